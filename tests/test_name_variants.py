"""Latin spellings of one name that the transliteration schemes do not write (issue 15):
dzh/j, ou/u, y/i, kh/h and the -yev/-ev/-ov endings, searched only where the archive holds
them and never between two English words (sources/name_variants.py, name_spellings.py)."""

import pytest

from sources.name_variants import candidates, is_english_word
from tests.factories import make_source
from tests.fixtures_search import rebuild_index


@pytest.mark.parametrize("word, other", [
    ("Jalilov", "dzhalilov"), ("Dzhalilov", "jalilov"), ("Tourajonzoda", "turajonzoda"),
    ("Turajonzoda", "tourajonzoda"), ("Kasymov", "kasimov"), ("Yaqubov", "iaqubov"),
    ("Aliyev", "aliev"), ("Aliev", "aliyev"), ("Gorbachev", "gorbachov"), ("Rahmon", "rakhmon"),
    ("Dzhurayev", "juraev"), ("Aliyeva", "alieva"),
])
def test_the_rules_write_the_other_spelling(word, other):
    assert other in candidates(word)


def test_a_digraph_of_its_own_is_kept_whole():
    assert not [w for w in candidates("Shoyusupov") if w.startswith("skh")]
    assert "shoiusupov" in candidates("Shoyusupov")


def test_candidates_are_bounded():
    assert len(candidates("Khudoiberdiyevich")) <= 64


@pytest.mark.parametrize("word, english", [
    ("Young", True), ("Judge", True), ("court", True), ("Coup", True), ("Union", True),
    ("Uighur", False), ("Halimov", False), ("Dushanbe", False), ("Rahmon", False),
])
def test_english_words_are_told_from_names(word, english):
    assert is_english_word(word) is english


def found(client, q, **params):
    data = client.get("/api/search", {"q": q, "per_page": 50, **params}).json()
    return {hit["slug"] for hit in data["hits"]}


#: One name per group, as several English-language outlets spell it.
GROUPS = [
    ("Jalilov", "Dzhalilov"),
    ("Turajonzoda", "Tourajonzoda"),
    ("Kasymov", "Kasimov"),
    ("Yaqubov", "Iaqubov"),
    ("Aliyev", "Aliev"),
    ("Gorbachev", "Gorbachov"),
    ("Dzhuraev", "Juraev", "Dzhurayev"),
]


@pytest.mark.django_db
@pytest.mark.archive_engine  # checked against the engine's vocabulary, which stock Whoosh lacks
def test_every_spelling_finds_what_the_others_find(client, fresh_index):
    written = {
        spelling: make_source(f"Report {n}", f"Officials said {spelling} was questioned on Monday.").slug
        for group in GROUPS for n, spelling in enumerate(group)
    }
    make_source("Unrelated", "A report on wheat prices in Kazakhstan.")
    rebuild_index()
    for group in GROUPS:
        everyone = {written[spelling] for spelling in group}
        for spelling in group:
            assert found(client, spelling) == everyone, spelling
            assert found(client, spelling, exact="1") == {written[spelling]}, spelling


@pytest.mark.django_db
@pytest.mark.archive_engine
def test_the_variant_found_is_highlighted_and_named(client, fresh_index):
    article = make_source("Cleric returns", "Akbar Tourajonzoda spoke in Dushanbe.")
    rebuild_index()
    data = client.get("/api/search", {"q": "Turajonzoda"}).json()
    assert [hit["slug"] for hit in data["hits"]] == [article.slug]
    assert "<mark>Tourajonzoda</mark>" in " ".join(data["hits"][0]["snippets"])
    page = client.get("/search/", {"q": "Turajonzoda"}).content.decode()
    assert "Also searched for other names and spellings: " in page and "Tourajonzoda" in page


@pytest.mark.django_db
@pytest.mark.archive_engine
@pytest.mark.parametrize("latin, cyrillic_text", [
    ("Jalilov", "Суд над Джалиловым начался; адвокат Джалилова молчит."),  # j is дж, not ж
    ("Tourajonzoda", "Тураджонзода выступил в Душанбе."),  # French-style ou is у
    ("Khujand", "Митинг прошёл в Худжанде."),
])
def test_a_latin_name_finds_its_russian_spelling_and_the_reverse(client, fresh_index, latin, cyrillic_text):
    from sources.name_spellings import _to_cyrillic

    english = make_source("Report", f"Officials in {latin} spoke on Monday.")
    russian = make_source("Сообщение", cyrillic_text, language="ru")
    rebuild_index()
    assert found(client, latin) == {english.slug, russian.slug}
    assert found(client, _to_cyrillic(latin)) == {english.slug, russian.slug}
    assert found(client, latin, exact="1") == {english.slug}


#: English words the rules join to other English words: each must find its own articles only.
ENGLISH_PAIRS = [("Cup", "coup"), ("Court", "curt"), ("Die", "dye"), ("Tire", "tyre"),
                 ("Just", "joust"), ("Four", "fur"), ("Hunt", "hount"), ("Style", "stile")]


@pytest.mark.django_db
@pytest.mark.archive_engine
def test_english_words_are_not_joined(client, fresh_index):
    typed = {word: make_source(f"On {word}", f"{word} was the word of the day.").slug for word, _ in ENGLISH_PAIRS}
    for _, other in ENGLISH_PAIRS:
        make_source(f"On {other}", f"The {other} was discussed at length.")
    rebuild_index()
    for word, _ in ENGLISH_PAIRS:
        assert found(client, word) == {typed[word]}, word


@pytest.mark.django_db
@pytest.mark.archive_engine
def test_a_spelling_only_an_unpublished_article_holds_is_not_searched(client, fresh_index):
    from haystack import connections

    from sources.models import Source

    shown = make_source("Trial", "Jalilov was sentenced.")
    hidden = make_source("Trial again", "Dzhalilov was sentenced.")
    rebuild_index()
    assert "Dzhalilov" in client.get("/search/", {"q": "Jalilov"}).content.decode()
    hidden.is_published = False
    hidden.save()
    connections["default"].get_unified_index().get_index(Source).update_object(hidden)
    page = client.get("/search/", {"q": "Jalilov"}).content.decode()
    assert "Dzhalilov" not in page
    assert found(client, "Jalilov") == {shown.slug}


def test_without_the_vocabulary_the_rules_are_not_searched():
    """An engine that cannot say which words it holds (stock haystack) gets the schemes'
    spellings only; one that can gets those of them and the rules' that it holds."""
    from sources.aliases import AliasTable
    from sources.query_syntax import parse_query

    unchecked = parse_query("Gorbachev", aliases=AliasTable(), known=None).expression
    assert unchecked == "(Gorbachev OR Горбачев)"  # no rule-made Gorbachov
    held = {"gorbachov", "горбачева"}  # the Cyrillic name in one of its case forms
    checked = parse_query("Gorbachev", aliases=AliasTable(), known=held.intersection).expression
    assert checked == "(Gorbachev OR Горбачева OR Gorbachov)"  # the forms held, each its own stem
    unchecked = parse_query("Jalilov", aliases=AliasTable(), known=None).expression
    assert unchecked == "(Jalilov OR Джалилов OR Dzhalilov OR Djalilov)"
    checked = parse_query("Jalilov", aliases=AliasTable(), known={"dzhalilov"}.intersection).expression
    assert checked == "(Jalilov OR Dzhalilov)"  # no Джалилов in any case form, no Djalilov


def test_an_english_word_gets_no_other_spelling_in_either_script():
    from sources.aliases import AliasTable
    from sources.query_syntax import parse_query

    everything = lambda words: set(words)  # noqa: E731 - an archive that holds every word
    for word in ("Now", "Court", "Young", "Migrant"):
        assert parse_query(word, aliases=AliasTable(), known=everything).expression == word
        assert parse_query(word, aliases=AliasTable(), known=None).expression == word
