"""The fast search path: a search, its total and its facet counts on bitsets.

Whoosh answers a search with facets by walking EVERY matching document in Python, once
per facet and once more for the total (~300 ms for a common word at 50,000 articles).
Here the matches are Python ints used as bitsets (bit d = document d of a segment):

* a Term is the bitset of its postings, read a block at a time and cached per segment:
  a segment never changes once written, except for deletions, which are masked out at
  the end with the segment's live-documents bitset (cached per deleted count);
* And/Or/Not/AndNot/AndMaybe/Require are &, |, ~; prefixes and other multi-term
  queries OR their expanded terms; anything else (phrases, ranges, ...) asks Whoosh
  for its documents (q.docs), so every answer is Whoosh's by construction;
* a facet's counts are popcounts of matches & value-set (the value-sets are built once
  per segment from the facet field's postings);
* a relevance page: every match of each segment scored at once (numpy, Whoosh's own
  matcher tree and BM25F, bit-for-bit its scores: engine/scoring.py), or, for a
  matcher that module does not know, by Whoosh's top-N collector with the matches as
  its allow-set; a sorted page walks a per-segment order of the sort key (cached)
  until the page is full, or sorts the few matches.

Same hits, totals and facet counts as plain Whoosh: tests/test_whoosh_backend_perf_paths.py
compares both paths. FAST_PATH=False in the connection options switches this off.
"""

import heapq
import logging

from whoosh import collectors

from .bitsets import BitsDocs, bits_to_mask, iter_bits
from .scoring import SegmentScorer, Unsupported, top_hits
from .segment_cache import BITSETS, Leaf

log = logging.getLogger(__name__)


def matches(searcher, index_key, parsed, flt):
    """([Leaf], [bitset of its live documents matching parsed and flt]), one per
    segment; None when a segment cannot be cached."""
    leaves = []
    for sub, offset in searcher.leaf_searchers():
        entry = BITSETS.entry(index_key, sub.reader())
        if entry is None:
            return None
        leaves.append(Leaf(entry, sub, offset))
    found = []
    for leaf in leaves:
        bits = leaf.bits(parsed)
        if bits and flt is not None:
            bits &= leaf.bits(flt)
        if bits:
            bits &= leaf.live()
        found.append(bits)
    return leaves, found


def page_hits(searcher, parsed, leaves, matches, page_num, page_length, sortedby, reverse):
    """[(docnum, score)] of the page, sorted by ``sortedby`` or by relevance; None when a
    sort key needs Whoosh's own collector."""
    limit = page_num * page_length
    if sortedby:
        top = sorted_top(searcher, leaves, matches, sortedby, reverse, limit)
        if top is None:
            return None
    else:
        top = scored_top(searcher, parsed, leaves, matches, limit)
        if top is None:
            top = collected_top(searcher, parsed, leaves, matches, limit)
    return [(docnum, score) for score, docnum in top[limit - page_length : limit]]


def scored_top(searcher, parsed, leaves, matches, limit):
    """The relevance page's (score, docnum), every match scored at once (see
    engine/scoring.py); None when the query needs Whoosh's own collector."""
    context = searcher.context()
    segments = []
    try:
        for leaf, bits in zip(leaves, matches):
            if not bits:
                continue
            scorer = SegmentScorer(leaf.arrays(), leaf.reader, leaf.bits)
            scores = scorer.scores(parsed.matcher(leaf.searcher, context))
            segments.append((scores, bits_to_mask(bits, leaf.entry.size), leaf.offset))
    except Unsupported as exc:
        log.debug("relevance page through Whoosh's collector: %s", exc)
        return None
    return top_hits(segments, limit)

def collected_top(searcher, parsed, leaves, matches, limit):
    """The relevance page's (score, docnum) from Whoosh's top-N collector."""
    allow = 0
    for leaf, bits in zip(leaves, matches):
        allow |= bits << leaf.offset
    # No block-quality skipping and no matcher replacement: both are inexact in
    # Whoosh 2.7 (a union matcher drops a sub-matcher, e.g. the title's, whose
    # best score alone cannot reach the page although it adds to other
    # documents' scores); measured, they changed relevance pages against the
    # plain path, whose facet collector scores every match.
    collector = collectors.FilterCollector(
        collectors.TopCollector(limit=limit, usequality=False, replace=0),
        allow=BitsDocs(allow, searcher.doc_count_all()),
    )
    searcher.search_with_collector(parsed, collector)
    return collector.results().top_n

def sorted_top(searcher, leaves, matches, sortedby, reverse, limit):
    """The first ``limit`` (key, docnum) of the matches in Whoosh's sorted order."""
    candidates = []
    for leaf, bits in zip(leaves, matches):
        count = bits.bit_count()
        if not count:
            continue
        found = leaf.order(sortedby, reverse, searcher)
        if found is None:
            return None
        order, keys = found
        if count * count >= limit * leaf.entry.size:
            # Dense matches: walk the order until the page is full.
            data = bits.to_bytes((leaf.entry.size >> 3) + 1, "little")
            local = []
            for d in order:
                if (data[d >> 3] >> (d & 7)) & 1:
                    local.append(d)
                    if len(local) == limit:
                        break
        else:
            # Few matches: sort just those.
            pick = heapq.nlargest if reverse else heapq.nsmallest
            local = pick(limit, iter_bits(bits), key=lambda d: (keys[d], d))
        candidates.extend((keys[d], leaf.offset + d) for d in local)
    candidates.sort(reverse=reverse)
    return candidates[:limit]
