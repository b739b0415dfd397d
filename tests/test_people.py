"""People as curated entities, on the real database and index: what an import stores, the
person facet (page, API, CSV), their pages and JSON, curators' review and merge, and
unpublished articles never counted."""

import csv
import re
import io
import pytest
from django.core.management import call_command
from django.urls import reverse

from sources.models import Person, PersonMention, Source
from tests.factories import make_source
from tests.fixtures_search import rebuild_index

pytestmark = pytest.mark.django_db

HALIMOV = "Gulmurod Halimov"


def api(client, **params):
    response = client.get("/api/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def person_facet(data):
    return {value["value"]: value["count"] for value in data["facets"]["person"]}


def seeds_naming(name):
    return set(Source.objects.filter(people__name=name, is_published=True).values_list("slug", flat=True))


# --- what an import stores ---------------------------------------------------------------

def test_import_stores_found_names_as_unreviewed_people_and_a_reimport_changes_nothing(tmp_path, settings):
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    shipped = Person.objects.count()
    assert shipped >= 70 and not Person.objects.filter(found_in_text=True).exists()
    out = io.StringIO()
    call_command("import_sources", str(seeds), stdout=out)
    found = Person.objects.filter(found_in_text=True)
    assert {"Anna Matleeva", "Charlie Winter", "Janatulloh Komilov"} <= set(found.values_list("name", flat=True))
    assert not Person.objects.filter(name__in=["Khalimov", "Halimov", "Gulmurod Khalimov"]).exists()
    assert Person.objects.filter(found_in_text=False).count() == shipped
    assert all(person.slug for person in found)
    halimov = Person.objects.get(name=HALIMOV)
    assert halimov.source_set.count() >= 3  # Halimov, Khalimov, Gulmorod: one person
    rows = PersonMention.objects.count()
    out = io.StringIO()
    call_command("import_sources", str(seeds), stdout=out)
    assert "0 updated" in out.getvalue() and PersonMention.objects.count() == rows


# --- the facet ------------------------------------------------------------------------------

def test_person_filter_repeats_or_within_and_with_other_filters(client, seeded):
    halimov, rahmon = seeds_naming(HALIMOV), seeds_naming("Emomali Rahmon")
    assert len(halimov) >= 3 and halimov != rahmon
    data = api(client, person=HALIMOV)
    assert {hit["slug"] for hit in data["hits"]} == halimov and data["total"] == len(halimov)
    assert person_facet(data)[HALIMOV] == len(halimov)
    # Counts ignore their own selection: Rahmon's count is what adding him would add.
    assert person_facet(data)["Emomali Rahmon"] == len(rahmon)
    either = api(client, person=[HALIMOV, "Emomali Rahmon"])
    assert either["total"] == len(halimov | rahmon)
    both = api(client, person=HALIMOV, country="Syria")
    # The country filter takes the countries an article is about, not those named in passing.
    about_syria = Source.objects.filter(countrymention__country__name="Syria", countrymention__passing=False)
    with_syria = set(about_syria.values_list("slug", flat=True))
    assert {hit["slug"] for hit in both["hits"]} == halimov & with_syria
    for hit in data["hits"]:
        assert HALIMOV in hit["people"]


def test_any_spelling_of_a_name_finds_every_article_of_the_person(client, seeded):
    halimov = seeds_naming(HALIMOV)
    for spelling in ("Khalimov", "Halimov", '"Gulmurod Khalimov"', "Халимов"):
        data = api(client, q=spelling, per_page=50)
        assert halimov <= {hit["slug"] for hit in data["hits"]}, spelling


def test_the_page_lists_the_person_facet_and_the_article_page_links_its_people(client, seeded):
    from tests.test_views_search import _facet_links

    response = client.get("/search/", {"person": HALIMOV})
    values = {name: (selected, count) for selected, _, _, _, name, _, count in _facet_links(response, "person")}
    assert values[HALIMOV] == (" is-selected", str(len(seeds_naming(HALIMOV))))
    assert values["Emomali Rahmon"] == ("", str(len(seeds_naming("Emomali Rahmon"))))
    halimov = Person.objects.get(name=HALIMOV)
    source = halimov.source_set.filter(is_published=True).first()
    detail = client.get(source.get_absolute_url()).content.decode()
    assert f'<a class="tag tag--person" href="/people/{halimov.slug}/"' in detail


def test_csv_lists_each_articles_people(client, seeded):
    response = client.get("/search.csv", {"person": HALIMOV})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and all(HALIMOV in row["people"] for row in rows)


# --- pages and JSON ---------------------------------------------------------------------------

@pytest.fixture
def ministers(db, fresh_index):
    minister = Person.objects.create(name="Bakhtiyor Odinaev", aliases="Bakhtiyor Odinayev",
                                     description="Interior Minister <of> Narnia")
    shown = [make_source(f"Odinaev visit {i}", people=[minister.name, "Zarina Temirova"]) for i in range(2)]
    hidden = make_source("Odinaev secret draft", people=[minister.name, "Secret Person"], is_published=False)
    rebuild_index()
    return minister, shown, hidden


def test_people_list_and_page_count_published_articles_only(client, ministers):
    minister, shown, hidden = ministers
    html = client.get("/people/").content.decode()
    assert f'<a href="/people/{minister.slug}/">Bakhtiyor Odinaev</a> <span class="entity-list__count">2 articles</span>' in html
    page = client.get(f"/people/{minister.slug}/").content.decode()
    assert "<strong>2</strong> articles in the archive" in page
    assert "Interior Minister &lt;of&gt; Narnia" in page and "Also: Bakhtiyor Odinayev" in page
    assert "Zarina Temirova" in page and "Secret Person" not in page and "secret draft" not in page
    data = client.get(f"/api/people/{minister.slug}").json()
    assert data["articles"] == 2 and data["description"] == "Interior Minister <of> Narnia"
    assert data["mentioned_with"]["people"] == [{"name": "Zarina Temirova", "articles": 2}]
    assert client.get("/people/no-such-person/").status_code == 404


# --- curators ---------------------------------------------------------------------------------

def test_admin_merge_moves_mentions_and_keeps_the_name(admin_client, client, fresh_index):
    keep = Person.objects.create(name="Farrukh Nazarov")
    lose = Person.objects.create(name="Farukh Nazarov", found_in_text=True)
    a = make_source("Party member speaks", "Journalist Farrukh Nazarov spoke.", people=[keep.name])
    b = make_source("Party member leaves", "Journalist Farukh Nazarov left.", people=[lose.name])
    url = reverse("admin:sources_person_changelist")
    response = admin_client.post(url, {"action": "merge", "_selected_action": [keep.pk, lose.pk]})
    assert response.status_code == 200 and b"Merge" in response.content
    admin_client.post(url, {"action": "merge", "apply": "1", "survivor": keep.pk,
                            "_selected_action": [keep.pk, lose.pk]})
    assert not Person.objects.filter(pk=lose.pk).exists()
    keep.refresh_from_db()
    assert keep.alias_list == ["Farukh Nazarov"] and not keep.found_in_text
    assert set(PersonMention.objects.values_list("source_id", "person_id")) == {(a.pk, keep.pk), (b.pk, keep.pk)}
    rebuild_index()
    assert person_facet(api(client, q="Nazarov")) == {"Farrukh Nazarov": 2}


def test_a_reviewed_person_is_looked_for_everywhere(admin_client, fresh_index):
    call_command("load_gazetteer", stdout=io.StringIO())
    person = Person.objects.create(name="Zarina Temirova", found_in_text=True)
    introduced = make_source("Arrest", "The journalist Zarina Temirova was detained.", people=[person.name])
    plain = make_source("Trial", "Zarina Temirova appeared in court on Monday.")
    from sources import importer

    assert person.name not in {p.name for p in importer.gazetteer_from_db().people}
    url = reverse("admin:sources_person_change", args=[person.pk])
    response = admin_client.post(url, {"name": person.name, "aliases": "Зарина Темирова", "description": "Journalist"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.found_in_text
    assert set(person.source_set.values_list("pk", flat=True)) == {introduced.pk, plain.pk}


def test_atom_feed_and_article_json_carry_people(client, seeded):
    halimov = seeds_naming(HALIMOV)
    feed = client.get("/search.atom", {"person": HALIMOV})
    assert feed.status_code == 200
    body = b"".join(feed.streaming_content).decode() if feed.streaming else feed.content.decode()
    links = set(re.findall(r'<link href="http://testserver/sources/([^/"]+)/"', body))
    assert links == halimov
    record = client.get(f"/api/sources/{sorted(halimov)[0]}").json()
    assert HALIMOV in record["people"]
