"""Backup and restore as the README describes it: dumpdata, then on an empty database
loaddata, then the index rebuilt from the database. Curated edits come back: curated
fields, unpublished flags, aliases of countries and organisations, old slugs, users."""

import datetime
import json

import pytest
from django.http import QueryDict

from sources.models import Country, Organisation, SlugRedirect, Source

from .factories import make_source
from .serving import clear_index, index_pks, manage

pytestmark = pytest.mark.django_db(transaction=True)

DUMP = [
    "dumpdata",
    "--natural-foreign",
    "--natural-primary",
    "--exclude", "contenttypes",
    "--exclude", "auth.permission",
    "--exclude", "sessions",
    "--exclude", "admin.logentry",
    "--exclude", "axes",
    "--indent", "1",
]


def snapshot():
    from sources.search import SearchQuery, search

    def ids(params):
        results = search(SearchQuery.from_params(QueryDict(params)), per_page=50)
        return results.total, [hit.source.pk for hit in results.hits]

    sources = {
        s.pk: {
            "slug": s.slug,
            "title": s.title,
            "text": s.text,
            "is_published": s.is_published,
            "curated_fields": sorted(s.curated_fields),
            "published": s.published,
            "countries": sorted(c.name for c in s.countries.all()),
            "organisations": sorted(o.name for o in s.organisations.all()),
            "years": s.years,
        }
        for s in Source.objects.all()
    }
    return {
        "sources": sources,
        "countries": sorted(Country.objects.values_list("code", "name", "aliases")),
        "organisations": sorted(Organisation.objects.values_list("name", "aliases", "kind")),
        "redirects": sorted(SlugRedirect.objects.values_list("old_slug", "source__slug")),
        "index": sorted(index_pks()),
        "search": [ids(p) for p in ("", "q=Bishkek", "country=Kyrgyzstan", "q=curated")],
    }


@pytest.fixture
def curated_archive(django_user_model):
    clear_index()
    kg, _ = Country.objects.get_or_create(code="KG", defaults={"name": "Kyrgyzstan"})
    kg.aliases = "Kyrgyz\nKirghiz\nKyrgyzstani\nKirgizia"  # a curator's alias edit
    kg.save()
    org = Organisation.objects.create(
        name="Islamic Movement of Turkestan", aliases="IMT\nIslamic Movement of Uzbekistan",
        kind=Organisation.Kind.ARMED_GROUP,
    )
    a = make_source("Bishkek talks", text="Talks in Bishkek on water.", countries=[kg.name],
                    published=datetime.date(2017, 1, 9), years=[2016])
    b = make_source("Osh report", text="The IMT in Osh.", published=datetime.date(2015, 6, 1))
    b.organisations.add(org)
    # Curated edits: a corrected title kept by imports, a hidden article.
    a.title = "Bishkek talks (curated title)"
    a.curated_fields = ["title"]
    a.save()
    b.is_published = False
    b.curated_fields = ["is_published"]
    b.save()
    SlugRedirect.objects.create(old_slug="bishkek-talks-old", source=a)
    make_source("Unrelated piece", text="Nothing about Bishkek at all, or curated.")
    django_user_model.objects.create_user("curator", password="pw-curator-1", is_staff=True)
    return snapshot()


def test_backup_and_restore_bring_back_data_curation_and_index(tmp_path, curated_archive):
    before = curated_archive
    assert before["index"] and len(before["sources"]) == 3

    backup = tmp_path / "archive-backup.json"
    manage(*DUMP, "--output", str(backup))
    dumped_models = {obj["model"] for obj in json.loads(backup.read_text())}
    assert {"sources.source", "sources.country", "sources.organisation",
            "sources.slugredirect", "auth.user"} <= dumped_models

    # Disaster: the database is emptied and the index is gone.
    manage("flush", "--noinput")
    clear_index()
    assert Source.objects.count() == 0 and index_pks() == set()

    # Restore: an empty, migrated database, the data, then the index from the database.
    manage("migrate", "--noinput")
    manage("flush", "--noinput")  # drop what migrations load (the shipped gazetteer)
    manage("loaddata", str(backup))
    proc = manage("index", "repair")
    assert "Consistent" in proc.stdout

    after = snapshot()
    assert after == before
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.get(username="curator").check_password("pw-curator-1")


def test_index_build_after_restore_is_consistent(tmp_path, curated_archive):
    backup = tmp_path / "backup.json"
    manage(*DUMP, "--output", str(backup))
    manage("flush", "--noinput")
    clear_index()
    manage("loaddata", str(backup))
    manage("index", "build")
    assert manage("index", "check").returncode == 0
    assert snapshot() == curated_archive
