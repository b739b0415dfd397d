"""A server worker's warm-up (sources.warm_up): it loads what the first searches load."""

import pytest

from engine.segment_cache import BITSETS
from sources import name_variants
from sources import search as svc
from sources.facets import FACETS
from sources.warm_up import warm_up

pytestmark = pytest.mark.archive_engine  # it inspects this engine's caches


def segment_entries():
    return list(BITSETS.segments.values())


def test_warm_up_loads_every_facet_and_the_scoring_arrays_of_every_segment(seeded):
    BITSETS.clear()
    warm_up()
    entries = segment_entries()
    assert entries
    for entry in entries:
        assert {facet.name for facet in FACETS} <= set(entry.facets)
        assert entry.arrays is not None


def test_after_warm_up_a_search_answers_as_before(seeded):
    BITSETS.clear()
    cold = svc.search(svc.SearchQuery(q="security"))
    BITSETS.clear()
    warm_up()
    warm = svc.search(svc.SearchQuery(q="security"))
    assert warm.total == cold.total > 0
    assert [hit.source.pk for hit in warm.hits] == [hit.source.pk for hit in cold.hits]


def test_warm_up_of_an_empty_archive_searches_once_and_returns(fresh_index, db):
    steps = []
    assert warm_up(between_steps=lambda: steps.append(1)) >= 0
    assert steps == [1]  # browsing only: no title to take a word from


def test_warm_up_loads_the_dictionary_that_name_queries_read(fresh_index, db):
    """The first search for a word that may be a name reads an English dictionary (0.5 s
    to load); the warm-up's own word may be an organisation's, which never reads it."""
    name_variants._english_word_hashes.cache_clear()
    warm_up()
    assert name_variants._english_word_hashes.cache_info().currsize == 1
