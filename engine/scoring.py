"""Whoosh's relevance scores for every match of a segment at once, with numpy.

Whoosh scores a relevance page by stepping its matcher tree one document at a time in
Python (~10 µs a document for a two-field word; a common word at 100,000 articles is
~1 s). Here the same matcher tree that Whoosh builds for the segment is evaluated as
whole-segment vectors instead, with Whoosh's own formula (BM25F) and parameters, in the
same order of floating-point operations, so the scores are bit-for-bit Whoosh's:

* a term's leaf: ``bm25(idf, weight, length, avgfl, B, K1)`` for every posting, from
  the term's postings and the field's length column (both read once per segment and
  cached: a segment never changes once written);
* Union and Intersection add (``a + b``), AndNot / Require keep ``a``, a boost wrapper
  multiplies, a preloaded union accumulates in its sub-matchers' order, an inverse
  matcher (NOT) and a list matcher give their constant weight;
* every vector is zero outside the node's own matches (scores are positive), so a sum
  never mixes in a sub-matcher that does not match; a phrase's matches come from the
  backend's cached phrase bitsets (the words' intersection alone would be too wide).

Anything else in the tree raises Unsupported and the backend lets Whoosh's collector
score the page instead. tests/test_whoosh_backend_perf_paths.py checks the scores and
the pages against Whoosh's own collector.
"""

import itertools
import threading
from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching import binary, combo, mcore, wrappers
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

from .bitsets import bits_to_mask

#: Memory for the cached postings arrays of ALL segments of a process (a word in most of
#: 50,000 articles is ~0.8 MB); least recently used terms are dropped beyond it. One
#: budget, so that more segments (or more indexes) do not mean more memory.
MAX_POSTINGS_BYTES = 64 * 1024 * 1024
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """A matcher this module does not evaluate: Whoosh's collector scores the page."""


class PostingsCache:
    """Postings arrays (ids, weights) of any segment, least recently used dropped beyond
    ``max_bytes`` in total; shared by the threads of a process."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.arrays = OrderedDict()  # (segment token, (fieldname, btext)) -> (ids, weights)
        self.nbytes = 0  # of the arrays held
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.arrays.get(key)
            if found is not None:
                self.arrays.move_to_end(key)
            return found

    def put(self, key, found):
        with self.lock:
            if key not in self.arrays:
                self.arrays[key] = found
                self.nbytes += found[0].nbytes + found[1].nbytes
            while self.nbytes > self.max_bytes and len(self.arrays) > 1:
                _, (ids, weights) = self.arrays.popitem(last=False)
                self.nbytes -= ids.nbytes + weights.nbytes

    def clear(self):
        with self.lock:
            self.arrays.clear()
            self.nbytes = 0


POSTINGS = PostingsCache(MAX_POSTINGS_BYTES)
#: Tells the segments apart in POSTINGS (never reused, unlike id()).
_segment_tokens = itertools.count()


class SegmentArrays:
    """numpy views of one segment (postings and field lengths), cached with its bitsets;
    the postings in the process-wide POSTINGS."""

    def __init__(self, size):
        self.size = size
        self.token = next(_segment_tokens)
        self.lengths = {}  # fieldname -> field length of every document

    def term(self, reader, key):
        found = POSTINGS.get((self.token, key))
        if found is not None:
            return found
        # A fresh matcher: the tree's own leaves may have moved (a phrase looks ahead).
        # Deleted documents are included here and masked out later.
        read = read_postings(reader.postings(*key), with_weights=True)
        if read is None:
            raise Unsupported("postings of %s are not Whoosh's leaf matcher" % (key,))
        found = np.array(read[0], dtype=np.int32), np.array(read[1], dtype=np.float64)
        POSTINGS.put((self.token, key), found)
        return found

    def field_lengths(self, reader, fieldname):
        found = self.lengths.get(fieldname)
        if found is None:
            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None:
                raise Unsupported("no length column for %s" % fieldname)
            encoded = np.fromiter(column, dtype=np.uint8, count=self.size)
            found = self.lengths[fieldname] = _BYTE_TO_LENGTH[encoded]  # (dict set: atomic)
        return found


def leaf_matcher(matcher):
    """Whoosh's own postings matcher under SegmentReader's deletion filters; None when the
    matcher is anything else."""
    while type(matcher) is wrappers.FilterMatcher and matcher._exclude:
        matcher = matcher.child
    return matcher if type(matcher) is W3LeafMatcher else None


def read_postings(matcher, with_weights=False):
    """(ids, weights or None) of a fresh postings matcher, deleted documents included,
    read a block (a tuple) at a time instead of one Python call per posting; None when
    it is not Whoosh's own leaf matcher (leaf_matcher)."""
    matcher = leaf_matcher(matcher)
    if matcher is None:
        return None
    ids, weights = [], [] if with_weights else None
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i:])
        if with_weights:
            if matcher._weights is None:
                matcher._read_weights()
            weights.extend(matcher._weights[matcher._i:])
        if matcher._lastblock:
            break
        matcher._next_block()
    return ids, weights


class SegmentScorer:
    """Evaluates one segment's matcher tree into a vector of scores."""

    def __init__(self, arrays, reader, phrase_bits):
        self.arrays = arrays
        self.reader = reader
        self.size = arrays.size
        #: fieldname, words -> bitset of the phrase's documents in this segment
        self.phrase_bits = phrase_bits

    def scores(self, m):
        kind = type(m)
        if kind is mcore.NullMatcherClass:
            return np.zeros(self.size)
        if kind is W3LeafMatcher:
            return self._leaf(m)
        if getattr(m, "boost", 1.0) <= 0:
            raise Unsupported("a boost of zero or less: a match could score 0")
        if kind is wrappers.FilterMatcher:
            vec = self.scores(m.child) * m.boost
            if not m._exclude:  # an allow-list (a deletion filter excludes; masked later)
                keep = np.zeros(self.size, dtype=bool)
                keep[np.fromiter(m._ids, dtype=np.int64)] = True
                vec = np.where(keep, vec, 0.0)
            return vec
        if kind is wrappers.WrappingMatcher:
            return self.scores(m.child) * m.boost
        if kind in (binary.UnionMatcher, binary.AndMaybeMatcher):
            return self.scores(m.a) + self.scores(m.b)
        if kind is binary.IntersectionMatcher:
            a, b = self.scores(m.a), self.scores(m.b)
            return np.where((a != 0) & (b != 0), a + b, 0.0)
        if kind is binary.AndNotMatcher:
            a, b = self.scores(m.a), self.scores(m.b)
            return np.where(b != 0, 0.0, a)
        if kind is wrappers.RequireMatcher:
            a, b = self.scores(m.a), self.scores(m.b)
            return np.where(b != 0, a, 0.0)
        if kind is wrappers.InverseMatcher:
            inside = self.scores(m.child) != 0
            return np.where(inside, 0.0, float(m._weight))
        if kind in (combo.ArrayUnionMatcher, combo.PreloadedUnionMatcher):
            if not getattr(m, "_scored", True):
                raise Unsupported("unscored union")
            total = np.zeros(self.size)
            for sub in m._submatchers:
                total = total + self.scores(sub) * m._boost
            return total
        if kind is mcore.ListMatcher:
            return self._list(m)
        if kind is SpanNear2.SpanNear2Matcher:
            return self._phrase(m)
        raise Unsupported(kind.__name__)

    def _leaf(self, m):
        ids, weights = self.arrays.term(self.reader, m._term)
        vec = np.zeros(self.size)
        if not len(ids):
            return vec
        scorer = m.scorer
        if type(scorer) is BM25FScorer:
            fieldname = m._term[0]
            fl = self.arrays.field_lengths(self.reader, fieldname)[ids]
            # Whoosh's bm25(), operation for operation.
            idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            vec[ids] = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))
        elif type(scorer) is WeightScorer:
            vec[ids] = weights
        else:
            raise Unsupported("scorer %s" % type(scorer).__name__)
        return vec

    def _list(self, m):
        if m._scorer is not None:
            raise Unsupported("scored list matcher")
        ids = np.fromiter(m._ids, dtype=np.int64)
        vec = np.zeros(self.size)
        if m._all_weights:
            vec[ids] = float(m._all_weights)
        elif m._weights is not None:
            vec[ids] = np.array(m._weights, dtype=np.float64)
        else:
            vec[ids] = 1.0
        return vec

    def _phrase(self, m):
        leaves = [leaf_matcher(t) for t in m.ms]
        if not (m.ordered and m.mindist == 1) or any(t is None for t in leaves):
            raise Unsupported("span query other than a phrase")
        fieldnames = {t._term[0] for t in leaves}
        if len(fieldnames) != 1:
            raise Unsupported("phrase over several fields")
        words = [t._term[1].decode("utf-8") for t in leaves]
        phrase = wq.Phrase(fieldnames.pop(), words, slop=m.slop)
        inside = bits_to_mask(self.phrase_bits(phrase), self.size)
        return np.where(inside, self.scores(m.child) * m.boost, 0.0)


def top_hits(segments, limit):
    """The first ``limit`` (score, global docnum) in Whoosh's TopCollector order (score
    descending, then docnum ascending) from [(scores vector, matches mask, offset)]."""
    best_scores, best_docs = [], []
    for scores, mask, offset in segments:
        docs = np.flatnonzero(mask)
        if not len(docs):
            continue
        s = scores[docs]
        if len(docs) > limit:
            # Anything tied with the limit-th score may still win on docnum: keep all ties.
            cut = np.partition(s, len(s) - limit)[len(s) - limit]
            keep = s >= cut
            docs, s = docs[keep], s[keep]
        best_scores.append(s)
        best_docs.append(docs + offset)
    if not best_scores:
        return []
    scores = np.concatenate(best_scores)
    docs = np.concatenate(best_docs)
    order = np.lexsort((docs, -scores))[:limit]
    return [(float(scores[i]), int(docs[i])) for i in order]
