"""The optimised paths of the engine (engine/fast_path.py, engine/scoring.py) give the
same answers as plain Whoosh.

* the bitset search path (FAST_PATH, the default) against the plain path (haystack's
  search_page with Whoosh's own facet collector), through the search service: same
  totals, same hits in the same order, same facet counts, for words, phrases, prefixes,
  boolean queries, facet filters, sorts, deep and past-the-end pages;
* the same on an index with several segments and deleted documents;
* the relevance page scored at once with numpy (engine/scoring.py) against
  Whoosh's own top-N collector: the same documents with bit-for-bit the same scores;
* one writer batch replaces documents exactly like update_document did;
* index build (parallel segments, atomic swap) gives the same index as the batch path.
"""

import datetime
import gc
import itertools
import random

import pytest
from django.core.management import call_command
from haystack import connections

from engine import fast_path
from engine.bitsets import iter_bits
from sources import search as svc
from sources.models import Source
from sources.search_indexes import SourceIndex
from tests.factories import make_source
from tests.fixtures_search import MARKER, make_tricky, rebuild_index

# These test the embedded Whoosh backend's own paths; the suite always runs on it.
pytestmark = pytest.mark.django_db


def backend():
    return connections["default"].get_backend()


def signature(results):
    return (
        results.total,
        results.page,
        [hit.source.pk for hit in results.hits],
        {facet: [(v.value, v.count, v.selected) for v in values] for facet, values in results.facets.items()},
    )


def both_paths(query, per_page=10):
    b = backend()
    try:
        b.fast_path = False
        plain = signature(svc.search(query, per_page=per_page))
        b.fast_path = True
        fast = signature(svc.search(query, per_page=per_page))
    finally:
        b.fast_path = True
    return fast, plain


def top_values(facet, n):
    results = svc.search(svc.SearchQuery())
    return [v.value for v in results.facets[facet][:n]]


QUERIES = [
    "",
    "security",
    "police officers",
    '"security services"',
    "terror*",
    "security OR police",
    "security -police",
    "NOT security",
    "title:security",
    MARKER,
    "zzznothingmatcheszzz",
]


def test_helpers_round_trip():
    from engine.bitsets import bits_from_ids, iter_bits

    rng = random.Random(3)
    for size in (1, 7, 8, 9, 1000, 4099):
        ids = sorted(rng.sample(range(size), rng.randint(0, size)))
        bits = bits_from_ids(ids, size)
        assert list(iter_bits(bits)) == ids
        assert bits.bit_count() == len(ids)


def test_fast_path_is_the_default():
    assert backend().fast_path is True


def test_same_answers_as_plain_whoosh(seeded):
    countries = top_values("country", 2)
    organisations = top_values("organisation", 2)
    years = top_values("year", 2)
    filters = [
        {},
        {"country": tuple(countries[:1])},
        {"country": tuple(countries), "organisation": tuple(organisations[:1])},
        {"country": tuple(countries[:1]), "organisation": tuple(organisations[:1]), "year": tuple(years[:1])},
        {"year": ("undated",)},
    ]
    checked = 0
    for q, flt, sort, page in itertools.product(QUERIES, filters, ("", "newest", "oldest"), (1, 2, 999)):
        query = svc.SearchQuery(q=q, sort=sort, page=page, **flt)
        fast, plain = both_paths(query, per_page=3)
        assert fast == plain, query
        checked += 1
    assert checked == len(QUERIES) * len(filters) * 3 * 3


#: Relevance queries whose matcher trees engine/scoring.py must evaluate itself:
#: words in two fields, AND, OR, NOT, phrases, prefixes, a field, an alias expansion.
SCORED_QUERIES = [q for q in QUERIES if q] + [
    "the",
    "security police officers",
    '"Islamic State" OR Tajikistan',
    "ISIS",
    '"security services" -police',
    "title:Tajikistan OR outlet:Reuters",
]


def scored_and_collected(query_text, filters=None, limit=1000):
    """(numpy scoring, Whoosh's collector) of one query, both over the same matches."""
    b = backend()
    query = svc.SearchQuery(q=query_text, **(filters or {}))
    sqs = svc._apply(svc._base_sqs(), svc._parse(query_text).expression, query)
    built = sqs.query.build_query()
    narrow = [b._parse(n) for n in sqs.query.narrow_queries]
    flt = None
    if narrow:
        from whoosh import query as wq

        flt = narrow[0] if len(narrow) == 1 else wq.And(narrow)
    searcher = b.searcher()
    parsed = b._parse(built)
    leaves, matches = fast_path.matches(searcher, b._index_key(), parsed, flt)
    scored = fast_path.scored_top(searcher, parsed, leaves, matches, limit)
    collected = fast_path.collected_top(searcher, parsed, leaves, matches, limit)
    return scored, collected


def test_numpy_scores_are_whoosh_scores(seeded):
    checked = 0
    for q in SCORED_QUERIES:
        for filters in ({}, {"country": tuple(top_values("country", 1))}):
            for limit in (1, 3, 1000):
                scored, collected = scored_and_collected(q, filters, limit)
                assert scored is not None, f"{q!r} fell back to Whoosh's collector"
                assert scored == collected, (q, filters, limit)
                checked += bool(collected)
    assert checked > len(SCORED_QUERIES) * 3  # most queries match something


def test_relevance_order_and_deep_pages(seeded):
    for page in range(1, 6):
        fast, plain = both_paths(svc.SearchQuery(q="the", page=page), per_page=2)
        assert fast == plain


def perf_spec(i, title):
    countries = ["Syria", "Iraq", "Kazakhstan"]
    return dict(
        title=title,
        outlet="Reuters",
        author="",
        published=None if i % 5 == 0 else datetime.date(2000 + i % 7, 1 + i % 12, 1 + i % 27),
        date_precision="unknown" if i % 5 == 0 else "day",
        text="Security forces and police met. " * (1 + i % 4) + f"Item {i} of the perf set.",
        countries=countries[: 1 + i % 3],
        organisations=["Islamic State"] if i % 2 else [],
        years=[2010 + i % 3],
    )


def test_several_segments_with_deletions(fresh_index, db):
    """Documents re-indexed in later batches leave deleted copies in earlier segments."""
    sources = [
        make_tricky(f"perf{i}", perf_spec(i, f"Perf source {i} security"), slug=f"perf-{i}")
        for i in range(24)
    ]
    index = connections["default"].get_unified_index().get_index(Source)
    b = fresh_index
    for chunk in (sources[:10], sources[10:18], sources[18:]):
        b.update(index, chunk)
    # Re-index some (deleting their first copies) and remove others.
    b.update(index, sources[3:6] + sources[12:14])
    for source in sources[20:22]:
        b.remove(source)
    searcher = b.searcher()
    assert len(searcher.leaf_searchers()) > 1
    assert searcher.reader().has_deletions()
    for q in ("security", "perf*", "", "source -security", '"perf source"'):
        for sort in ("", "newest", "oldest"):
            for page in (1, 2, 3):
                fast, plain = both_paths(svc.SearchQuery(q=q, sort=sort, page=page), per_page=4)
                assert fast == plain, (q, sort, page)
    assert svc.search(svc.SearchQuery(q="perf*")).total == 22
    for q in ("security", "perf*", "source -quokka", '"perf source"', "security OR police"):
        scored, collected = scored_and_collected(q)
        assert scored is not None and scored == collected and collected, q


def test_the_postings_cache_is_one_budget_for_all_segments(fresh_index, db, monkeypatch):
    """However many segments, the postings arrays held stay under one bound per process,
    and a bound that forces evictions changes no answer."""
    from engine import scoring
    from engine.segment_cache import BITSETS

    sources = [
        make_tricky(f"budget{i}", perf_spec(i, f"Budget source {i} security"), slug=f"budget-{i}")
        for i in range(24)
    ]
    index = connections["default"].get_unified_index().get_index(Source)
    for chunk in (sources[:8], sources[8:16], sources[16:]):
        fresh_index.update(index, chunk)
    assert len(fresh_index.searcher().leaf_searchers()) == 3
    queries = [svc.SearchQuery(q=q) for q in ("security", "police forces", "budget source", "met -police")]
    BITSETS.clear()
    unbounded = [signature(svc.search(q, per_page=5)) for q in queries]
    per_segment = {token for token, _ in scoring.POSTINGS.arrays}
    assert len(per_segment) == 3  # every segment's postings in the one cache
    held = scoring.POSTINGS.nbytes
    assert held == sum(ids.nbytes + weights.nbytes for ids, weights in scoring.POSTINGS.arrays.values())

    BITSETS.clear()
    bound = held // 3
    monkeypatch.setattr(scoring.POSTINGS, "max_bytes", bound)
    bounded = []
    for q in queries:
        bounded.append(signature(svc.search(q, per_page=5)))
        assert scoring.POSTINGS.nbytes <= bound
    assert bounded == unbounded
    assert len(scoring.POSTINGS.arrays) >= 1


def test_batch_update_replaces_documents_once(fresh_index, db):
    sources = [make_tricky(f"batch{i}", perf_spec(i, f"Batch {i} quokka"), slug=f"batch-{i}") for i in range(5)]
    index = connections["default"].get_unified_index().get_index(Source)
    fresh_index.update(index, sources)
    fresh_index.update(index, sources + sources[:2])  # the same document twice in a batch
    searcher = fresh_index.searcher()
    assert searcher.doc_count() == 5
    assert svc.search(svc.SearchQuery(q="quokka")).total == 5


@pytest.mark.django_db(transaction=True)
def test_build_index_equals_batch_index(seeded_live, tmp_path):
    """The parallel build (forked workers read the committed database) gives the same
    documents and the same answers as the one-writer batch path."""
    b = backend()
    rebuild_index()
    expected = {q: both_paths(svc.SearchQuery(q=q))[1] for q in QUERIES}
    stored = sorted(f["id"] for f in b.searcher().reader().all_stored_fields())

    call_command("index", "build", "--workers=2", "--no-progress", verbosity=0)
    b.drop_searcher()
    searcher = b.searcher()
    assert searcher.doc_count() == Source.objects.published().count()
    assert sorted(f["id"] for f in searcher.reader().all_stored_fields()) == stored
    for q, answer in expected.items():
        fast, plain = both_paths(svc.SearchQuery(q=q))
        assert fast == plain == answer, q

    # Again, over a non-empty index: the old segments are replaced, nothing doubles.
    call_command("index", "build", "--workers=2", "--no-progress", verbosity=0)
    b.drop_searcher()
    assert b.searcher().doc_count() == Source.objects.published().count()


def test_schema_keeps_the_body_out_of_stored_fields(seeded):
    schema = backend().schema
    stored = {name for name in schema.names() if schema[name].stored}
    assert "text" not in stored
    assert not schema["text"].spelling
    assert getattr(schema["text"], "column_type", None) is None
    assert SourceIndex().fields["text"].use_template is False


def test_spelling_vocabulary_holds_each_documents_words(seeded):
    # doc_frequency counts deleted copies too: earlier tests may have re-indexed some of
    # the shared index's articles (this failed in a full run, never alone).
    rebuild_index()
    b = backend()
    searcher = b.searcher()
    index = SourceIndex()
    with_the = [s for s in Source.objects.published() if "the" in index.prepare_spell(s).split()]
    assert len(with_the) > 10
    # Each article counts once, however often it says "the".
    assert searcher.doc_frequency("spell", "the") == len(with_the)
    assert b.create_spelling_suggestion("securty") == "security"
    assert b.create_spelling_suggestion("security") is None


def test_cached_sort_orders_are_left_out_of_garbage_collection(seeded):
    """A list of one int per article is walked item by item by every full collection
    (~10 ms of each at 100,000 articles); an array's items are not objects."""
    from engine.segment_cache import BITSETS

    BITSETS.clear()
    newest = svc.search(svc.SearchQuery(q="security", sort="newest"))
    assert newest.total > 1
    orders = [found for entry in BITSETS.segments.values() for found in entry.orders.values()]
    assert orders
    for order, keys in orders:
        assert len(order) == len(keys) > 1
        # What the collector visits in them: no item (a list would give every int).
        assert not [item for item in gc.get_referents(order) + gc.get_referents(keys) if isinstance(item, int)]


@pytest.mark.parametrize("hold_seconds, commits", [(3600.0, 1), (0.0, 3)])
def test_a_long_index_batch_commits_when_it_has_held_the_lock_long_enough(
    fresh_index, db, monkeypatch, hold_seconds, commits
):
    from engine import updates as whoosh_updates
    from sources import indexing, signals

    monkeypatch.setattr(indexing, "BATCH_SIZE", 4)
    monkeypatch.setattr(whoosh_updates, "WRITE_HOLD_SECONDS", hold_seconds)
    sources = [make_tricky(f"hold{i}", perf_spec(i, f"Hold {i} wombat"), slug=f"hold-{i}") for i in range(10)]
    fresh_index.setup()
    generation = fresh_index.index.refresh().latest_generation()
    signals.reindex_sources([s.pk for s in sources])
    assert fresh_index.index.refresh().latest_generation() - generation == commits
    assert svc.search(svc.SearchQuery(q="wombat")).total == 10


def test_related_articles_same_on_both_paths(seeded):
    """more_like_this (the article page's related list) scored at once equals Whoosh's collector."""
    b = backend()
    checked = 0
    for source in seeded[:8]:
        answers = []
        for fast in (True, False):
            b.fast_path = fast
            try:
                result = b.more_like_this(source, end_offset=6)
            finally:
                b.fast_path = True
            answers.append([(r.pk, r.score) for r in result["results"]])
        assert answers[0] == answers[1], source.slug
        checked += bool(answers[0])
    assert checked >= 4


def test_related_asks_the_engine_for_a_bounded_page(seeded, monkeypatch):
    """haystack's own run_mlt drops the slice: without bounds the engine returned every
    related document (84,000 at 100,000 articles). engine/query.py passes them on."""
    backend = connections["default"].get_backend()
    real = backend.more_like_this
    seen = []

    def recording(*args, **kwargs):
        result = real(*args, **kwargs)
        seen.append((kwargs.get("end_offset"), len(result["results"])))
        return result

    monkeypatch.setattr(backend, "more_like_this", recording)
    source = max(seeded, key=lambda s: len(s.text))
    assert svc.related(source, limit=2)
    assert seen and all(end == 7 and returned <= 7 for end, returned in seen)


def test_facets_counted_by_document_are_plain_whooshs_counts(seeded, monkeypatch):
    """A facet of many values (people at scale) is counted over the matching documents
    (engine/segment_cache.FacetDocs): forced for every facet here, the same counts."""
    import engine.facets

    monkeypatch.setattr(engine.facets, "MANY_VALUES", 0)
    countries = top_values("country", 1)
    for q, flt in itertools.product(QUERIES, ({}, {"country": tuple(countries)}, {"year": ("undated",)})):
        fast, plain = both_paths(svc.SearchQuery(q=q, **flt), per_page=3)
        assert fast == plain, (q, flt)


def test_facets_counted_by_document_over_segments_with_deletions(fresh_index, db, monkeypatch):
    import engine.facets

    monkeypatch.setattr(engine.facets, "MANY_VALUES", 0)
    sources = [make_tricky(f"fd{i}", perf_spec(i, f"Facet doc {i} security"), slug=f"fd-{i}") for i in range(16)]
    index = connections["default"].get_unified_index().get_index(Source)
    for chunk in (sources[:6], sources[6:12], sources[12:]):
        fresh_index.update(index, chunk)
    fresh_index.update(index, sources[2:4])
    fresh_index.remove(sources[14])
    assert len(fresh_index.searcher().leaf_searchers()) > 1
    for q in ("security", "", "facet -security"):
        fast, plain = both_paths(svc.SearchQuery(q=q), per_page=4)
        assert fast == plain and fast[3], q


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("many_values", [None, 0])
def test_a_facet_limit_keeps_the_most_counted_values(seeded, fast, many_values, monkeypatch):
    """Every limit, ties at the cut included (settled by name), counted by bitsets or by
    documents (many_values=0: as people are at scale)."""
    import engine.facets
    from haystack.query import SearchQuerySet

    if many_values is not None:
        monkeypatch.setattr(engine.facets, "MANY_VALUES", many_values)
    everything = SearchQuerySet().models(Source).facet("organisation").facet_counts()["fields"]["organisation"]
    assert len(everything) > 3
    counts = [count for _, count in everything]
    assert len(set(counts)) < len(counts)  # ties to settle
    b = backend()
    try:
        b.fast_path = fast
        for limit in range(1, len(everything) + 1):
            sqs = SearchQuerySet().models(Source).facet("organisation", limit=limit)
            assert sqs.facet_counts()["fields"]["organisation"] == everything[:limit], limit
    finally:
        b.fast_path = True


def test_related_leaves_out_words_most_of_the_archive_holds(db, fresh_index, monkeypatch):
    """A word most articles hold says little about which are related, and its postings cost
    most of an article page's first visit at scale (engine/backend.py)."""
    import engine.backend

    article = make_source("Okapi sighting", "Rangers report an okapi near the steppe border.")
    twin = make_source("Okapi again", "A second okapi was filmed by rangers.")
    others = [make_source(f"Steppe report {i}", f"The steppe border stays quiet, report {i}.") for i in range(8)]
    rebuild_index()
    everything = {s.pk for s in [twin, *others]}
    assert {s.pk for s in svc.related(article, limit=20)} == everything  # "steppe", "border" relate all
    monkeypatch.setattr(engine.backend, "RELATED_TERM_MIN_CAP", 1)
    monkeypatch.setattr(engine.backend, "RELATED_TERM_MAX_SHARE", 0.5)
    assert [s.pk for s in svc.related(article, limit=20)] == [twin.pk]


def test_phrases_read_from_positions_are_whooshs_phrases(db, fresh_index):
    """engine/phrases.py against Whoosh's span matcher, on texts made to trap it: words
    repeated ("new new york"), in reverse, apart, at the start and end, across more
    postings blocks than one, in a segment with deleted documents."""
    from whoosh import query as wq

    from engine.segment_cache import BITSETS

    rng = random.Random(5)
    words = ["new", "york", "state", "red", "sea"]  # each its own stem
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(400)]
    texts += ["new new york", "york new", "red. sea", "sea red sea"]
    sources = [make_source(f"Doc {i}", text) for i, text in enumerate(texts)]
    rebuild_index()
    for source in sources[:30]:
        source.delete()  # the signal removes it: deleted documents in the segment
    b = backend()
    phrases = [list(p) for n in (2, 3) for p in itertools.product(words, repeat=n)]
    checked = 0
    for phrase in phrases:
        query = wq.Phrase("text", phrase)
        searcher = b.searcher()
        expected = set(query.docs(searcher))
        BITSETS.segments.clear()
        leaves, found = fast_path.matches(searcher, b._index_key(), query, None)
        got = {leaf.offset + d for leaf, bits in zip(leaves, found) for d in iter_bits(bits)}
        assert got == expected, phrase
        checked += bool(expected)
    assert checked > 100  # most phrases are found somewhere


def test_related_terms_weighed_by_remembered_statistics_are_whooshs(db, fresh_index):
    """engine/term_stats.py remembers each word's statistics per set of segments: the key
    terms are Whoosh's own, over several segments, and again after a commit adds one."""
    from engine.term_stats import key_terms

    index = connections["default"].get_unified_index().get_index(Source)
    texts = ["Border guards of the steppe met border police.", "The steppe river and the border town.",
             "Police met the river guards at dawn.", "A dawn raid on the town by police."]
    sources = [make_source(f"Stats {i}", text) for i, text in enumerate(texts * 3)]
    for chunk in (sources[:4], sources[4:8], sources[8:]):
        fresh_index.update(index, chunk)
    for round_ in range(2):
        searcher = fresh_index.index.refresh().searcher()
        assert len(searcher.leaf_searchers()) > 1
        for text in texts:
            for _ in range(2):  # the second time from what was remembered
                found, stats = key_terms(searcher, "text", text, numterms=60)
                assert found == searcher.key_terms_from_text("text", text, numterms=60)
                assert [stats.doc_frequency("text", t) for t, _ in found] == [
                    searcher.doc_frequency("text", t) for t, _ in found]
        fresh_index.update(index, [make_source("Stats more", "Border steppe river " * 5)])
