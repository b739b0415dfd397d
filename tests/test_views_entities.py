"""Pages per country and organisation (sources/views_entities.py) on the real index and
database: lists with counts, one page each, its JSON, unpublished articles never counted."""

import pytest
from django.utils.text import slugify

from sources.models import Country, Organisation, Outlet
from tests.factories import make_source
from tests.fixtures_search import rebuild_index

pytestmark = pytest.mark.django_db

SECRET = "Secretistan"


@pytest.fixture
def world(db, fresh_index):
    narnia = Country.objects.create(name="Narnia", code="XN", aliases="Narnian")
    front = Organisation.objects.create(name="Front <b>Line</b> & Co", kind=Organisation.Kind.ARMED_GROUP,
                                        country=narnia, aliases="FLC")
    import datetime

    made = [
        make_source(f"Narnia report {i}", countries=["Narnia", "Archenland"], organisations=[front.name],
                    published=datetime.date(2015 + i, 5, 1))
        for i in range(3)
    ]
    made.append(make_source("Narnia undated", countries=["Narnia"]))
    hidden = make_source(f"{SECRET} draft", countries=["Narnia", SECRET], organisations=[front.name],
                         is_published=False, published=datetime.date(1999, 1, 1))
    rebuild_index()
    return narnia, front, made, hidden


def test_the_list_counts_published_articles_and_filters_by_name(client, world):
    html = client.get("/countries/").content.decode()
    assert '<a href="/countries/xn/">Narnia</a> <span class="entity-list__count">4 articles</span>' in html
    assert "/countries/" in html
    html = client.get("/countries/", {"q": "narnian"}).content.decode()  # other names count
    assert "Narnia" in html and "Archenland" not in html
    html = client.get("/countries/", {"q": SECRET}).content.decode()
    assert '<span class="entity-list__count">0 articles</span>' in html  # only the draft names it


def test_a_country_page_gathers_what_the_archive_knows(client, world):
    response = client.get("/countries/xn/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="entity__name">Narnia</h1>' in html and "Also: Narnian" in html
    assert "<strong>4</strong> articles in the archive" in html
    assert 'href="/search/?country=Narnia"' in html
    assert 'href="/search.atom?country=Narnia"' in html
    assert "2015: 1 article" in html and "Undated: 1 article" in html  # the timeline's bars
    assert '<a href="/countries/' in html and "Archenland" in html  # mentioned with it, linked
    assert "Narnia report 2" in html.split("Latest articles")[1]
    assert SECRET not in html


def test_an_organisation_page_and_escaping(client, world):
    _, front, _, _ = world
    url = f"/organisations/{slugify(front.name)}/"
    html = client.get(url).content.decode()
    assert "Front &lt;b&gt;Line&lt;/b&gt; &amp; Co" in html and "<b>Line</b>" not in html
    assert "Armed group · Narnia" in html
    assert "<strong>3</strong> articles" in html


def test_the_json_says_the_same(client, world):
    data = client.get("/api/countries/xn").json()
    assert data["name"] == "Narnia" and data["other_names"] == ["Narnian"]
    assert data["articles"] == 4
    assert data["by_year"] == {"2015": 1, "2016": 1, "2017": 1, "undated": 1}
    assert {"name": "Archenland", "articles": 3} in data["mentioned_with"]["countries"]
    assert all(c["name"] != "Narnia" for c in data["mentioned_with"]["countries"])
    assert [a["title"] for a in data["latest"]][:3] == ["Narnia report 2", "Narnia report 1", "Narnia report 0"]
    assert SECRET not in str(data)


def test_unknown_entries_are_404(client, world):
    for url in ("/countries/zz/", "/countries/narnia/", "/organisations/nothing/", "/api/countries/zz"):
        assert client.get(url).status_code == 404


def test_an_entity_only_unpublished_articles_mention_has_nothing_to_show(client, world):
    data = client.get(f"/api/countries/{Country.objects.get(name=SECRET).code.lower()}").json()
    assert data["articles"] == 0 and data["latest"] == [] and data["by_year"] == {}


def test_article_page_chips_lead_to_the_entity_pages(client, world):
    source = world[2][0]
    html = client.get(source.get_absolute_url()).content.decode()
    assert '<a class="tag tag--country" href="/countries/xn/">Narnia</a>' in html
    assert f'href="/organisations/{slugify(world[1].name)}/"' in html


def test_an_outlet_page_counts_its_articles_under_all_its_names(client, world):
    make_source("Narnia wire one", outlet="Narnia Wire", countries=["Narnia"])
    make_source("Narnia wire two", outlet="NW", countries=["Narnia"])
    Outlet.objects.filter(name="Narnia Wire").update(aliases="NW")
    nw = Outlet.objects.get(name="NW")
    from sources.curation import merge_outlets

    merge_outlets(Outlet.objects.get(name="Narnia Wire"), [nw])
    make_source("Narnia wire draft", outlet="Narnia Wire", is_published=False)
    rebuild_index()
    html = client.get("/outlets/").content.decode()
    assert '<a href="/outlets/narnia-wire/">Narnia Wire</a> <span class="entity-list__count">2 articles</span>' in html
    data = client.get("/api/outlets/narnia-wire").json()
    assert data["name"] == "Narnia Wire" and data["other_names"] == ["NW"] and data["articles"] == 2
    assert {"name": "Narnia", "articles": 2} in data["mentioned_with"]["countries"]
    country = client.get("/api/countries/xn").json()
    assert {"name": "Narnia Wire", "articles": 2} in country["mentioned_with"]["outlets"]
    html = client.get("/countries/xn/").content.decode()
    assert "Outlets that published it" in html and 'href="/outlets/narnia-wire/"' in html
