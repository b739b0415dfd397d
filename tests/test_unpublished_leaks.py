"""Nothing unpublished leaks: not through any search surface, facet, timeline, related
list, export or feed. The article page is a 404 for the public and visible to staff.

Two ways a Source is unpublished are covered: created unpublished, and published first
(indexed) then unpublished by a curator, the case where a stale index document could leak.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.http import QueryDict

from sources.models import Source

from .factories import make_source
from .serving import clear_index, index_pks

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Xylocarpine"  # a word only the unpublished articles contain
SHARED = "moonbeamvalley"  # a word every article contains


@pytest.fixture
def archive():
    clear_index()
    public = [
        make_source(
            f"Public report {i} on Ferghana {SHARED}",
            text=f"Public report {i} on the Ferghana valley, {SHARED}. Trade and water.",
            countries=["Kyrgyzstan"],
            organisations=["Shanghai Cooperation Organisation"],
            published=datetime.date(2016, 3, 1 + i),
            years=[2015],
            outlet="Public Wire",
        )
        for i in range(3)
    ]
    hidden_new = make_source(
        f"{SECRET} draft on Ferghana {SHARED}",
        text=f"{SECRET} draft about the Ferghana valley, {SHARED}. Trade and water.",
        is_published=False,
        countries=["Kyrgyzstan", "Secretistan"],
        organisations=["Shanghai Cooperation Organisation", "Hidden Front"],
        published=datetime.date(1999, 5, 5),
        years=[1998],
        outlet="Secret Wire",
    )
    hidden_later = make_source(
        f"{SECRET} retracted report on Ferghana {SHARED}",
        text=f"{SECRET} retracted: the Ferghana valley, {SHARED}. Trade and water.",
        countries=["Kyrgyzstan", "Secretistan"],
        organisations=["Shanghai Cooperation Organisation", "Hidden Front"],
        published=datetime.date(1999, 6, 6),
        years=[1998],
        outlet="Secret Wire",
    )
    assert hidden_later.pk in index_pks()
    # A curator unpublishes it (as the admin does: a save of the Source).
    hidden_later.is_published = False
    hidden_later.save()
    return {"public": public, "hidden": [hidden_new, hidden_later]}


def service(params):
    from sources.search import SearchQuery, search

    return search(SearchQuery.from_params(QueryDict(params)), per_page=50)


def hidden_markers(archive):
    markers = [SECRET, "Secretistan", "Hidden Front", "Secret Wire", "1999", "1998"]
    for source in archive["hidden"]:
        markers += [source.slug, source.title]
    return markers


def assert_clean(text, archive, where):
    for marker in hidden_markers(archive):
        if marker == SECRET and f"q={SECRET}" in where:
            continue  # the page repeats the query typed; that is not a leak
        # A year counts as a number of its own: "1999" inside the microseconds of a
        # timestamp (".199930") is no leak (seen once in a feed's <updated>).
        found = re.search(rf"(?<!\d){re.escape(marker)}(?!\d)", text) if marker.isdigit() else marker in text
        assert not found, f"{marker!r} leaked through {where}"


def test_index_holds_no_unpublished_document(archive):
    assert index_pks() == {s.pk for s in archive["public"]}


def test_search_results(archive):
    for params in (f"q={SHARED}", f"q={SECRET}", "q=Ferghana", "", "sort=oldest",
                   "country=Kyrgyzstan", "sort=newest&page=1"):
        results = service(params)
        pks = {hit.source.pk for hit in results.hits}
        assert not pks & {s.pk for s in archive["hidden"]}, params
    assert service(f"q={SECRET}").total == 0
    assert service(f"q={SHARED}").total == 3


def test_facet_counts_and_timeline(archive):
    results = service(f"q={SHARED}")
    values = {
        facet: {fv.value: fv.count for fv in facet_values}
        for facet, facet_values in results.facets.items()
    }
    assert "Secretistan" not in values.get("country", {})
    assert values["country"]["Kyrgyzstan"] == 3
    assert "Hidden Front" not in values.get("organisation", {})
    assert values["organisation"]["Shanghai Cooperation Organisation"] == 3
    assert "1999" not in values.get("year", {})
    assert "1998" not in values.get("mentioned_year", {})
    assert {bar.year for bar in results.timeline if bar.count} == {2016}
    assert sum(bar.count for bar in results.timeline) == 3
    # Selecting the hidden values by hand finds nothing.
    assert service("country=Secretistan").total == 0
    assert service("organisation=Hidden+Front").total == 0
    assert service("year=1999").total == 0


def test_related_articles(archive):
    from sources.search import related

    for source in archive["public"]:
        found = {s.pk for s in related(source, limit=10)}
        assert not found & {s.pk for s in archive["hidden"]}


def test_html_search_page(client, archive):
    for params in (f"q={SHARED}", f"q={SECRET}", "", "country=Kyrgyzstan", "sort=oldest"):
        response = client.get(f"/search/?{params}")
        assert response.status_code == 200
        assert_clean(response.content.decode(), archive, f"/search/?{params}")
    home = client.get("/")
    assert_clean(home.content.decode(), archive, "/")


def test_home_page_counts(client, archive):
    counts = client.get("/").context["counts"]
    assert counts == {"sources": 3, "outlets": 1, "countries": 1, "organisations": 1}


def test_json_api(client, archive):
    for params in (f"q={SHARED}", f"q={SECRET}", "", "country=Kyrgyzstan"):
        response = client.get(f"/api/search?{params}")
        assert response.status_code == 200
        data = response.json()
        assert_clean(json.dumps(data, ensure_ascii=False), archive, f"/api/search?{params}")
    assert client.get(f"/api/search?q={SHARED}").json()["total"] == 3


def test_csv_export(client, archive):
    response = client.get(f"/search.csv?q={SHARED}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 3  # header + the public ones
    assert_clean(text, archive, "/search.csv")


def test_atom_feed(client, archive):
    for params in (f"q={SHARED}", ""):
        response = client.get(f"/search.atom?{params}")
        assert response.status_code == 200
        text = response.content.decode()
        assert text.count("<entry>") == 3
        assert_clean(text, archive, f"/search.atom?{params}")


def test_article_pages(client, archive, django_user_model):
    public = archive["public"][0]
    response = client.get(public.get_absolute_url())
    assert response.status_code == 200
    # The public article's page (related list included) shows nothing hidden.
    assert_clean(response.content.decode(), archive, public.get_absolute_url())
    for source in archive["hidden"]:
        assert client.get(source.get_absolute_url()).status_code == 404

    # A logged-in non-staff user is the public too.
    reader = django_user_model.objects.create_user("reader", password="pw-reader-1")
    client.force_login(reader)
    for source in archive["hidden"]:
        assert client.get(source.get_absolute_url()).status_code == 404

    staff = django_user_model.objects.create_user("curator", password="pw-cur-1", is_staff=True)
    client.force_login(staff)
    for source in archive["hidden"]:
        response = client.get(source.get_absolute_url())
        assert response.status_code == 200
        assert source.title in response.content.decode()


def test_republishing_brings_it_back(archive):
    source = archive["hidden"][1]
    source.is_published = True
    source.save()
    assert source.pk in index_pks()
    assert service(f"q={SECRET}").total == 1
    Source.objects.filter(pk=source.pk).first().delete()
    assert source.pk not in index_pks()
