"""The index (sources/search_indexes.py) and the Whoosh backend (engine/backend.py),
each trap measured with haystack 3.4.0 + Whoosh 2.7.4 covered by a test."""

import threading
import time

import pytest
from haystack import connections
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from sources.models import Source
from sources.signals import reindex_sources
from tests.fixtures_search import MARKER, UNIQUE_UNPUBLISHED_WORD, make_tricky

pytestmark = pytest.mark.django_db

def sqs():
    return SearchQuerySet().models(Source)


def slugs(results):
    return {Source.objects.get(pk=r.pk).slug for r in results}


def test_only_published_sources_are_indexed(seeded, tricky):
    assert sqs().count() == Source.objects.published().count() == len(seeded)
    assert sqs().filter(content=UNIQUE_UNPUBLISHED_WORD).count() == 0
    index = connections["default"].get_unified_index().get_index(Source)
    assert not index.index_queryset().filter(is_published=False).exists()
    assert index.should_update(tricky["unpublished"]) is False


def test_prepared_document(tricky):
    index = connections["default"].get_unified_index().get_index(Source)
    doc = index.full_prepare(tricky["iskp"])
    assert doc["organisation"] == ["Islamic State", "Islamic State, Khorasan Province"]
    assert doc["country"] == ["Afghanistan"]
    assert doc["year"] == "2018" and doc["mentioned_year"] == ["2017"]
    assert index.full_prepare(tricky["undated"])["year"] == "undated"
    assert index.full_prepare(tricky["undated_too"])["year"] == "undated"  # precision unknown
    script = index.full_prepare(tricky["script"])
    assert "<script>alert(1)</script>" in script["text"]  # raw, escaped only at output
    assert "&amp;" not in script["text"] and "&lt;" not in script["text"]


@pytest.mark.parametrize(
    "lookup",
    [
        {"organisation": "Hizb ut-Tahrir"},
        {"organisation__exact": "Hizb ut-Tahrir"},
        {"organisation__exact": Exact("Hizb ut-Tahrir")},
        {"organisation__in": ["Hizb ut-Tahrir"]},
    ],
)
def test_facet_filters_match_whole_values_never_parsed_words(seeded, lookup):
    # haystack's Whoosh backend turned this into (Hizb AND ut AND Tahrir), or a phrase
    # query on a keyword field ("field has no positions").
    assert slugs(sqs().filter(content=MARKER).filter(**lookup)) == {"tricky-hizb"}
    # Seeds that mention it are found too, and only those.
    for result in sqs().filter(**lookup)[:1000]:
        names = {o.name for o in Source.objects.get(pk=result.pk).organisations.all()}
        assert "Hizb ut-Tahrir" in names


def test_a_comma_inside_a_value_does_not_split_it(seeded):
    assert slugs(sqs().filter(content=MARKER, organisation__exact="Islamic State, Khorasan Province")) == {
        "tricky-iskp"
    }
    assert slugs(sqs().filter(organisation__exact="Khorasan Province")) == set()
    counts = sqs().filter(content="quokkafixture").facet("organisation")
    list(counts[:1])
    values = dict(counts.facet_counts()["fields"]["organisation"])
    assert values["Islamic State, Khorasan Province"] == 1
    assert "Khorasan Province" not in values and " Khorasan Province" not in values


def test_facets_have_no_none_bucket(seeded):
    counts = sqs().facet("country").facet("organisation").facet("mentioned_year")
    list(counts[:1])
    for name, pairs in counts.facet_counts()["fields"].items():
        assert not {None, "", "None"} & {value for value, _ in pairs}, name


def test_escaped_entities_are_not_words_in_the_index(seeded):
    assert sqs().filter(content="amp").count() == 0
    assert sqs().filter(content="lt").count() == 0
    assert "tricky-script" in slugs(sqs().filter(content="zebra"))


def test_sort_keys_put_undated_last_both_ways(seeded):
    for order, reverse in (("-newest", True), ("oldest", False)):
        results = [Source.objects.get(pk=r.pk) for r in sqs().order_by(order)[:1000]]
        flags = [s.publication_year is None for s in results]
        assert flags == sorted(flags), order
        dated = [s.published for s in results if s.publication_year]
        assert dated == sorted(dated, reverse=reverse)


def test_schema_options_per_field(seeded):
    backend = connections["default"].get_backend()
    backend.searcher()
    schema = backend.schema
    from engine.fields import EXACT

    assert not schema["text"].stored and schema["text"].column_type is None  # not sortable
    assert not getattr(schema["text"], "spelling", False)
    assert schema["text"].format.supports("positions")  # phrases
    for name in ("country", "organisation", "year", "mentioned_year"):
        assert isinstance(schema[name], EXACT)
    assert schema["newest"].column_type is not None and schema["oldest"].column_type is not None
    assert schema["newest"].bits == 64


def test_one_searcher_reused_until_the_index_changes(fresh_index):
    backend = fresh_index
    first = make_tricky("damascus", slug="idx-searcher-a")
    reindex_sources([first.pk])
    searcher = backend.searcher()
    sqs().filter(content="bombing").count()
    sqs().filter(content="terror").count()
    assert backend.searcher() is searcher
    second = make_tricky("iskp", slug="idx-searcher-b")
    reindex_sources([second.pk])
    assert backend.searcher() is not searcher
    assert sqs().count() == 2


def test_no_model_type_narrowing_with_one_indexed_model(seeded):
    backend = connections["default"].get_backend()
    assert backend._model_filter(None, None) is None
    assert backend._model_filter([Source], None) is None


def test_writer_waits_for_the_lock_then_succeeds(fresh_index):
    backend = fresh_index
    source = make_tricky("damascus", slug="idx-lock-wait")
    backend.setup()
    held = backend.index.writer()  # another "process" writing
    threading.Timer(0.4, held.commit).start()
    started = time.monotonic()
    reindex_sources([source.pk])
    assert time.monotonic() - started >= 0.3
    assert sqs().count() == 1


def test_writer_gives_up_after_the_timeout_and_raises(fresh_index):
    from whoosh.index import LockError

    backend = fresh_index
    backend.lock_timeout = 0.3
    source = make_tricky("damascus", slug="idx-lock-timeout")
    backend.setup()
    held = backend.index.writer()
    try:
        with pytest.raises(LockError):
            reindex_sources([source.pk])
        with pytest.raises(LockError):
            backend.remove(source)  # haystack's SILENTLY_FAIL swallowed this one
        with pytest.raises(LockError):
            backend.clear()
    finally:
        held.cancel()
    reindex_sources([source.pk])
    assert sqs().count() == 1


def test_clear_and_rebuild(fresh_index):
    source = make_tricky("damascus", slug="idx-clear")
    reindex_sources([source.pk])
    assert sqs().count() == 1
    fresh_index.clear()
    assert sqs().count() == 0
    fresh_index.clear(models=[Source])
    reindex_sources([source.pk])
    fresh_index.clear(models=[Source])
    assert sqs().count() == 0


def test_spelling_only_when_asked(seeded):
    plain = sqs().filter(content="bombimg")
    assert plain.count() == 0
    assert plain.spelling_suggestion() in (None, "")  # not computed for every search
    query = sqs().query
    query.set_limits(0, 1)
    assert query.get_spelling_suggestion("bombimg") == "bombing"
