"""Curators in the Django admin: edits that stick, merges, aliases, bulk actions."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from sources.models import Organisation, OrganisationMention, SlugRedirect, Source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds():
    call_command("import_sources", str(SEEDS), "--no-progress", stdout=StringIO(), stderr=StringIO())
    return Source.objects.all()


def change_form_data(source, **changes):
    """The change form as the admin would post it, unchanged unless told otherwise."""
    data = {
        "title": source.title,
        "is_published": "on" if source.is_published else "",
        "outlet": source.outlet,
        "author": source.author,
        "dateline": source.dateline,
        "published": source.published.isoformat() if source.published else "",
        "date_precision": source.date_precision,
        "language": source.language,
        "text": source.text,
    }
    for prefix, rows, key in [
        ("countrymention_set", source.countrymention_set.all(), "country"),
        ("organisationmention_set", source.organisationmention_set.all(), "organisation"),
        ("personmention_set", source.personmention_set.all(), "person"),
    ]:
        rows = list(rows)
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(rows)),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-id": str(row.pk), f"{prefix}-{i}-source": str(source.pk),
                         f"{prefix}-{i}-{key}": str(getattr(row, f"{key}_id")),
                         f"{prefix}-{i}-mentions": str(row.mentions)})
    data.update({k: v for k, v in changes.items() if v is not None})
    return {k: v for k, v in data.items() if v != ""}


def test_changelist_with_filters_and_search(admin_client, seeds):
    url = reverse("admin:sources_source_changelist")
    response = admin_client.get(url, {"q": "Tajikistan"})
    assert response.status_code == 200
    kazakhstan = seeds.first().countries.model.objects.get(code="KZ")
    response = admin_client.get(url, {"countries__id__exact": kazakhstan.pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 2
    response = admin_client.get(url, {"published_year": "unknown"})
    assert response.status_code == 200


def test_change_page_shows_clean_text_beside_raw_and_removed_lines(admin_client, seeds):
    source = seeds.get(source_file__startswith="000_")
    response = admin_client.get(reverse("admin:sources_source_change", args=[source.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "archive-compare" in content
    assert "astropay bozdurma" in content  # raw text and the removed-lines table keep the spam
    assert "spam" in content


def test_curator_edit_is_kept_on_reimport_and_old_slug_redirects(admin_client, seeds):
    source = seeds.get(source_file__startswith="004_")
    old_slug = source.slug
    response = admin_client.post(
        reverse("admin:sources_source_change", args=[source.pk]),
        change_form_data(source, title="Tajikistan claims 36 foiled attacks", outlet="Eurasianet"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    source.refresh_from_db()
    assert {"title", "outlet"} <= set(source.curated_fields)
    assert source.slug != old_slug
    assert SlugRedirect.objects.get(old_slug=old_slug).source == source

    call_command("import_sources", str(SEEDS), "--no-progress", stdout=StringIO(), stderr=StringIO())
    source.refresh_from_db()
    assert source.title == "Tajikistan claims 36 foiled attacks"
    assert source.outlet == "Eurasianet"


def test_bulk_unpublish_and_publish(admin_client, seeds):
    url = reverse("admin:sources_source_changelist")
    pks = list(seeds.values_list("pk", flat=True)[:3])
    admin_client.post(url, {"action": "unpublish", "_selected_action": pks})
    assert Source.objects.filter(pk__in=pks, is_published=False).count() == 3
    admin_client.post(url, {"action": "publish", "_selected_action": pks})
    assert Source.objects.filter(pk__in=pks, is_published=True).count() == 3


def test_merge_moves_sources_and_keeps_loser_name_as_alias(admin_client, seeds):
    survivor = Organisation.objects.get(name="Islamic State")
    loser = Organisation.objects.create(name="Daesh Central", aliases="Islamic State Central Asia")
    source = seeds.get(source_file__startswith="000_")
    OrganisationMention.objects.create(source=source, organisation=loser, mentions=2)
    before = OrganisationMention.objects.get(source=source, organisation=survivor).mentions

    url = reverse("admin:sources_organisation_changelist")
    response = admin_client.post(url, {"action": "merge", "_selected_action": [survivor.pk, loser.pk]})
    assert response.status_code == 200 and b"Merge" in response.content
    admin_client.post(url, {"action": "merge", "apply": "1", "survivor": survivor.pk,
                            "_selected_action": [survivor.pk, loser.pk]})

    assert not Organisation.objects.filter(pk=loser.pk).exists()
    survivor.refresh_from_db()
    assert "Daesh Central" in survivor.alias_list
    assert "Islamic State Central Asia" in survivor.alias_list
    assert source.organisations.filter(pk=survivor.pk).exists()
    assert OrganisationMention.objects.get(source=source, organisation=survivor).mentions >= before


def test_new_alias_is_reapplied_on_save(admin_client, seeds):
    group = Organisation.objects.create(name="Kaganat Religious Education Center", kind="ngo")
    source = seeds.get(source_file__startswith="002_")
    assert not source.organisations.filter(pk=group.pk).exists()
    response = admin_client.post(
        reverse("admin:sources_organisation_change", args=[group.pk]),
        {"name": group.name, "aliases": "Kaganat", "kind": "ngo", "country": ""},
    )
    assert response.status_code == 302
    assert source.organisations.filter(pk=group.pk).exists()
