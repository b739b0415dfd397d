"""Countries named in passing (issue 18) through the real importer, database and Whoosh
index: stored on CountryMention.passing, left out of the country facet, filter and the
country pages' counts, listed apart on the article page and in /api/sources/<slug>, and
recomputed by reextract_sources."""

from io import StringIO

import pytest
from django.core.management import call_command

from sources.models import CountryMention, Source
from tests.fixtures_search import rebuild_index

pytestmark = pytest.mark.django_db

# Written for this test: about Kyrgyzstan, naming Russia and China in passing.
ARTICLE = (
    "Kyrgyzstan holds a snap election for quokkapassing\n\n"
    "Kyrgyzstan voted on Sunday in an early presidential election called after protests "
    "toppled the government in the capital last autumn, officials said.\n\n"
    "Turnout was low in the south.\n\n"
    "The mountainous country of seven million borders China, hosts a Russian air base "
    "and depends on money sent home by migrants working in Russia."
)


@pytest.fixture
def imported(tmp_path, fresh_index):
    path = tmp_path / "snap-election.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    call_command("import_sources", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO())
    rebuild_index()
    return Source.objects.get(source_file__endswith="snap-election.txt")


def stored(source):
    return dict(CountryMention.objects.filter(source=source).values_list("country__code", "passing"))


def test_the_importer_stores_which_countries_are_passing(imported):
    assert stored(imported) == {"KG": False, "RU": True, "CN": True}


def test_facet_and_filter_take_only_what_the_article_is_about(client, imported):
    data = client.get("/api/search", {"q": "quokkapassing"}).json()
    assert data["total"] == 1
    assert {v["value"] for v in data["facets"]["country"]} == {"Kyrgyzstan"}
    assert data["hits"][0]["countries"] == ["Kyrgyzstan"]
    assert client.get("/api/search", {"q": "quokkapassing", "country": "Russia"}).json()["total"] == 0
    assert client.get("/api/search", {"q": "quokkapassing", "country": "Kyrgyzstan"}).json()["total"] == 1


def test_country_pages_count_only_what_articles_are_about(client, imported):
    assert client.get("/api/countries/kg").json()["articles"] == 1
    assert client.get("/api/countries/ru").json()["articles"] == 0
    html = client.get("/countries/", {"q": "Russia"}).content.decode()
    assert '<span class="entity-list__count">0 articles</span>' in html


def test_the_article_page_lists_passing_countries_apart(client, imported):
    html = client.get(imported.get_absolute_url()).content.decode()
    about, _, also = html.partition("Also mentioned:")
    assert 'href="/countries/kg/">Kyrgyzstan</a>' in about.split("<h2>Countries</h2>")[1]
    assert 'href="/countries/ru/">Russia</a>' in also and 'href="/countries/cn/">China</a>' in also
    assert "Russia" not in about.split("<h2>Countries</h2>")[1]


def test_the_api_lists_them_apart(client, imported):
    record = client.get(f"/api/sources/{imported.slug}").json()
    assert record["countries"] == ["Kyrgyzstan"]
    assert record["countries_mentioned"] == ["China", "Russia"]


def test_reextract_recomputes_passing(imported):
    CountryMention.objects.filter(source=imported).update(passing=False)
    call_command("reextract_sources", imported.slug, stdout=StringIO())
    assert stored(imported) == {"KG": False, "RU": True, "CN": True}


def test_an_unpublished_articles_passing_countries_stay_hidden(client, imported):
    Source.objects.filter(pk=imported.pk).update(is_published=False)
    rebuild_index()
    assert client.get(f"/api/sources/{imported.slug}").status_code == 404
    assert client.get(imported.get_absolute_url()).status_code == 404


def test_the_curated_tables_carry_what_the_weighing_reads(tmp_path, fresh_index):
    """Through the database's gazetteer: a news agency's kind (Russia's Interfax is an
    attribution) and a state body's country (the bare GKNB of an article about Tajikistan)."""
    path = tmp_path / "plot.txt"
    path.write_text(
        "Plot foiled in Tajikistan\n\nThe GKNB detained five men in Dushanbe on Monday, Russia's Interfax reported.",
        encoding="utf-8",
    )
    call_command("import_sources", str(path), "--no-progress", stdout=StringIO(), stderr=StringIO())
    source = Source.objects.get(source_file__endswith="plot.txt")
    assert stored(source) == {"TJ": False, "RU": True}
    names = set(source.organisations.values_list("name", flat=True))
    assert "State Committee for National Security of Tajikistan" in names
    assert "State Committee for National Security of Kyrgyzstan" not in names
