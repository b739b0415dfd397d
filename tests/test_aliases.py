"""A query for one name of an organisation finds the articles that use its other names."""

import pytest

from sources.aliases import AliasTable
from sources.search import SearchQuery, parse_query, search

TABLE = AliasTable.from_names([
    ["Islamic State", "ISIS", "ISIL", "Daesh", "IS"],
    ["Hizb ut-Tahrir", "Hezb ut-Tahrir", "HuT"],
])


def test_word_expands_to_every_other_name():
    parsed = parse_query("Daesh", aliases=TABLE)
    assert set(parsed.also_searched) == {"Islamic State", "ISIS", "ISIL"}
    assert '"Islamic State"' in parsed.expression


def test_two_letter_names_are_not_searched_as_aliases():
    assert "IS" not in parse_query("Daesh", aliases=TABLE).also_searched


def test_acronyms_match_case_sensitively():
    assert parse_query("hut", aliases=TABLE).also_searched == []
    assert "Hizb ut-Tahrir" in parse_query("HuT", aliases=TABLE).also_searched


def test_phrase_expands_and_field_search_does_not():
    assert "Daesh" in parse_query('"islamic state"', aliases=TABLE).also_searched
    assert parse_query("title:Daesh", aliases=TABLE).also_searched == []


def test_exclusion_excludes_every_name():
    parsed = parse_query("Syria -Daesh", aliases=TABLE)
    assert parsed.expression.count("NOT") == 1
    assert "ISIS" in parsed.expression.split("NOT", 1)[1]


@pytest.mark.django_db
def test_search_for_daesh_finds_articles_that_only_say_isis(seeded):
    daesh = search(SearchQuery(q="Daesh"))
    titles = {hit.source.title for hit in daesh.hits}
    # Seed 003's RFE/RL piece says "Islamic State" and "IS", never "Daesh".
    assert "Tajikistan’s Deadly Export" in titles
    assert "ISIS" in daesh.also_searched
    saying_daesh = {hit.source.title for hit in daesh.hits if "daesh" in hit.source.text.lower()}
    assert saying_daesh < titles


@pytest.mark.django_db
def test_alias_added_by_a_curator_is_searched(seeded):
    from sources.models import Organisation

    taliban = Organisation.objects.get(name="Taliban")
    assert search(SearchQuery(q="Talibs")).total == 0
    taliban.aliases = "\n".join([*taliban.alias_list, "Talibs"])
    taliban.save()
    assert search(SearchQuery(q="Talibs")).total > 0
