"""A word's -ism/-ist family (sources/word_families.py): "terror" finds "terrorist" (issue
18), but a word whose family the archive does not write ("art", "artist") is not widened."""

import pytest

from sources.word_families import family

pytestmark = pytest.mark.django_db


def held(*words):
    return lambda asked: set(asked) & set(words)


def test_the_family_of_an_ideology_that_the_archive_holds():
    known = held("terror", "terrorism", "terrorist", "terrorists")
    assert family("terror", known) == ("terrorism", "terrorist", "terrorists")
    assert family("terrorist", known) == ("terrorism", "terrorists")
    assert family("terrorism", known) == ("terrorist", "terrorists")


def test_no_family_without_its_ism_form_nor_for_names_or_short_roots():
    assert family("art", held("art", "artist", "artists")) == ()
    assert family("journal", held("journal", "journalist")) == ()
    assert family("Terror", held("terrorism", "terrorist")) == ()  # capitalised: a name's rules
    assert family("racist", held("racism", "racist")) == ()  # a root of three letters
    assert family("terror", None) == ()  # an engine that cannot tell which words it holds


def test_terror_finds_terrorist_and_exact_spelling_does_not(client, fresh_index):
    from tests.factories import make_source
    from tests.fixtures_search import rebuild_index

    ist = make_source("Arrests", "Police arrested two terrorists near the border.")
    ism = make_source("Law", "Parliament passed a law against terrorism.")
    word = make_source("Campaign", "The terror campaign ended in May.")
    artist = make_source("Exhibition", "An artist showed her paintings.")
    art = make_source("Museum", "The art museum reopened.")
    rebuild_index()

    def found(**params):
        data = client.get("/api/search", {"per_page": 50, **params}).json()
        return {hit["slug"] for hit in data["hits"]}

    assert found(q="terror") == {ist.slug, ism.slug, word.slug}
    assert found(q="terrorist") == {ist.slug, ism.slug, word.slug}
    assert found(q="terror", exact="1") == {ism.slug, word.slug}  # stemming alone
    assert found(q="art") == {art.slug}
    assert artist.slug not in found(q="art")
    data = client.get("/api/search", {"q": "terror"}).json()
    marked = {hit["slug"]: " ".join(hit["snippets"]) for hit in data["hits"]}
    assert "<mark>terrorists</mark>" in marked[ist.slug]
