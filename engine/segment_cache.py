"""What the fast search path keeps about each segment of the index, per process.

A segment never changes once written, except for deletions (which only grow): its term
bitsets, facet value-sets, sort orders and scoring arrays are cached here, keyed by
segment, and the deleted documents are masked out with a live bitset cached per deleted
count. A Leaf evaluates a Whoosh query on one segment as a bitset (engine/fast_path.py).
"""

import threading
from array import array
from collections import OrderedDict

from whoosh import query as wq
from whoosh import sorting
from whoosh.query.terms import MultiTerm
from whoosh.reading import TermNotFound

import numpy as np

from .bitsets import bits_from_array, bits_from_ids, bits_to_mask
from . import phrase_store
from .phrases import phrase_ids
from .scoring import POSTINGS, SegmentArrays, Unsupported, read_postings


def _posting_ids(matcher):
    """Every document id of a fresh postings matcher, deleted documents included."""
    read = read_postings(matcher)
    return read[0] if read is not None else matcher.all_ids()


class _SegmentEntry:
    """What is cached about ONE segment. A segment's documents never change; its
    deletions only grow, so the live mask is keyed by the deleted count."""

    def __init__(self, size):
        self.size = size
        self.all = (1 << size) - 1
        self.queries = OrderedDict()  # (fieldname, btext) or a Query -> bitset (LRU)
        self.facets = {}  # fieldname -> [(value, bitset)]
        self.facet_docs = {}  # fieldname -> FacetDocs (many-valued facets)
        self.orders = {}  # (sort fields, reverse) -> (docnums in order, keys)
        self.live = (0, self.all)  # (deleted count, live bitset)
        self.arrays = None  # numpy postings and lengths for scoring (engine/scoring.py)


class BitsetCache:
    """Per-segment bitsets of one process, shared by its backends (one per thread).

    Bounded: at most MAX_SEGMENTS segments (least recently used dropped; merged-away
    segments fall out that way) and MAX_QUERIES cached term/query bitsets per segment
    (at 100,000 articles a bitset is 12.5 kB)."""

    MAX_SEGMENTS = 64
    MAX_QUERIES = 2048

    def __init__(self):
        self.lock = threading.Lock()
        self.segments = OrderedDict()

    def entry(self, index_key, reader):
        segment = reader.segment() if hasattr(reader, "segment") else None
        if segment is None:
            return None
        key = (index_key, segment.segment_id())
        with self.lock:
            entry = self.segments.get(key)
            if entry is None:
                entry = self.segments[key] = _SegmentEntry(reader.doc_count_all())
                while len(self.segments) > self.MAX_SEGMENTS:
                    self.segments.popitem(last=False)
            else:
                self.segments.move_to_end(key)
        return entry

    def remember(self, entry, key, bits):
        with self.lock:
            entry.queries[key] = bits
            while len(entry.queries) > self.MAX_QUERIES:
                entry.queries.popitem(last=False)
        return bits

    def clear(self):
        with self.lock:
            self.segments.clear()
        POSTINGS.clear()


BITSETS = BitsetCache()


class Leaf:
    """One segment of a searcher: its bitsets, evaluated against BITSETS."""

    def __init__(self, entry, searcher, offset):
        self.entry = entry
        self.searcher = searcher
        self.reader = searcher.reader()
        self.offset = offset
        self.schema = searcher.schema

    def arrays(self):
        if self.entry.arrays is None:
            self.entry.arrays = SegmentArrays(self.entry.size)
        return self.entry.arrays

    def live(self):
        deleted = self.reader.segment().deleted_count()
        count, bits = self.entry.live
        if count != deleted:
            dead = bits_from_ids(self.reader.segment().deleted_docs(), self.entry.size)
            bits = self.entry.all & ~dead
            self.entry.live = (deleted, bits)
        return bits

    def _cached(self, key):
        try:
            return self.entry.queries.get(key)
        except TypeError:  # an unhashable query
            return None

    def term(self, fieldname, text):
        if fieldname not in self.schema:
            return 0
        try:
            btext = self.schema[fieldname].to_bytes(text)
        except ValueError:
            return 0
        key = (fieldname, btext)
        bits = self._cached(key)
        if bits is None:
            try:
                bits = self._read_term(key)
            except TermNotFound:
                bits = 0
            BITSETS.remember(self.entry, key, bits)
        return bits

    def _read_term(self, key):
        # A scored field's postings are read once, with their weights, into the
        # scoring cache: the search scores these terms next. Read twice (ids here,
        # ids and weights there), they were ~40% of an article page's related list.
        if self.schema[key[0]].scorable:
            try:
                ids, _ = self.arrays().term(self.reader, key)
            except Unsupported:
                pass
            else:
                return bits_from_array(ids, self.entry.size)
        return bits_from_ids(_posting_ids(self.reader.postings(*key)), self.entry.size)

    def bits(self, q):
        """Documents of this segment matching ``q`` (deleted ones may be included)."""
        kind = type(q)
        if kind is wq.Term:
            return self.term(q.fieldname, q.text)
        if kind in (wq.And, wq.Require):
            subs = q.subqueries if kind is wq.And else (q.a, q.b)
            out = self.entry.all
            for sub in subs:
                out &= self.bits(sub)
                if not out:
                    break
            return out
        if kind is wq.Or and not q.minmatch or kind is wq.DisjunctionMax:
            out = 0
            for sub in q.subqueries:
                out |= self.bits(sub)
            return out
        if kind is wq.Not:
            return self.entry.all & ~self.bits(q.query)
        if kind is wq.AndNot:
            return self.bits(q.a) & ~self.bits(q.b)
        if kind is wq.AndMaybe:
            return self.bits(q.a)
        if kind is wq.Every and q.fieldname in (None, "", "*"):
            return self.entry.all
        if q is wq.NullQuery:
            return 0
        if kind is wq.Phrase:
            words = [self.term(q.fieldname, w) for w in q.words]
            if not all(words):
                return 0  # a phrase needs every word (cheap test before reading positions)
        bits = self._cached(q)
        if bits is None:
            if kind is wq.Phrase and q.slop == 1:
                bits = self._phrase_bits(q, words)
            if bits is None:
                bits = self._other_bits(q)
            try:
                BITSETS.remember(self.entry, q, bits)
            except TypeError:
                pass
        return bits

    def _phrase_bits(self, q, words):
        """A phrase's documents from its words' positions (engine/phrases.py), kept with the
        segment (engine/phrase_store.py); None when Whoosh must decide."""
        field = self.schema[q.fieldname]
        candidates = self.entry.all
        for bits in words:
            candidates &= bits
        try:
            btexts = [field.to_bytes(w) for w in q.words]
        except ValueError:
            return None

        def from_positions():
            ids = phrase_ids(self.reader, field, q.fieldname, btexts, candidates)
            return None if ids is None else bits_from_ids(ids, self.entry.size)

        return phrase_store.read_through(self.reader.storage(), self.reader.segment(), self.entry.size,
                                         q.fieldname, q.words, candidates, from_positions)

    def _other_bits(self, q):
        """A query that is not a boolean combination, read (not cached) from Whoosh."""
        if isinstance(q, MultiTerm) and q.field() in self.schema:
            # A prefix, wildcard, ...: the union of its terms, as Whoosh expands it.
            bits = 0
            for btext in q._btexts(self.reader):
                bits |= self.term(q.field(), btext)
            return bits
        return bits_from_ids(q.docs(self.searcher), self.entry.size)

    def facet_sets(self, fieldname):
        sets = self.entry.facets.get(fieldname)
        if sets is None:
            sets = []
            if fieldname in self.schema:
                field = self.schema[fieldname]
                for btext in self.reader.lexicon(fieldname):
                    ids = _posting_ids(self.reader.postings(fieldname, btext))
                    sets.append((field.from_bytes(btext), bits_from_ids(ids, self.entry.size)))
            self.entry.facets[fieldname] = sets
        return sets

    def facet_docs(self, fieldname):
        """The facet's values per document (FacetDocs), made from its value-sets once."""
        docs = self.entry.facet_docs.get(fieldname)
        if docs is None:
            docs = self.entry.facet_docs[fieldname] = FacetDocs.of(self.facet_sets(fieldname), self.entry.size)
        return docs

    def order(self, sortedby, reverse, top_searcher):
        """This segment's docnums sorted as Whoosh's SortingCollector sorts them
        ((key, docnum), reverse), with the keys; None when the key needs a matcher."""
        cache_key = (tuple(sortedby), reverse)
        found = self.entry.orders.get(cache_key)
        if found is None:
            categorizer = sorting.MultiFacet.from_sortedby(sortedby).categorizer(top_searcher)
            if categorizer.needs_current:
                return None
            categorizer.set_searcher(self.searcher, self.offset)
            key_for = categorizer.key_for
            keys = [key_for(None, d) for d in range(self.entry.size)]
            order = sorted(range(self.entry.size), key=lambda d: (keys[d], d), reverse=reverse)
            found = self.entry.orders[cache_key] = (as_array(order), as_array(keys))
        return found


class FacetDocs:
    """A facet's values document by document (compressed rows: document d holds the value
    numbers ``ids[offsets[d]:offsets[d + 1]]``), for counting a facet of many values by
    its matching documents instead of one bitset AND per value. ``numbers`` gives each
    of the segment's values its process-wide number (VALUE_NUMBERS), so that segments'
    tallies add up as arrays."""

    def __init__(self, values, offsets, ids, numbers):
        self.values = values
        self.offsets = offsets
        self.ids = ids
        self.numbers = numbers

    @classmethod
    def of(cls, sets, size):
        values = [value for value, _ in sets]
        docs, numbers = [], []
        for number, (_, bits) in enumerate(sets):
            held = np.flatnonzero(bits_to_mask(bits, size))
            docs.append(held)
            numbers.append(np.full(len(held), number, dtype=np.int64))
        docs = np.concatenate(docs) if docs else np.empty(0, dtype=np.int64)
        numbers = np.concatenate(numbers) if numbers else np.empty(0, dtype=np.int64)
        order = np.argsort(docs, kind="stable")
        offsets = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs, minlength=size), out=offsets[1:])
        return cls(values, offsets, numbers[order], VALUE_NUMBERS.numbers_of(values))

    def tally(self, bits, size):
        """How many documents of ``bits`` hold each of the segment's values (an array)."""
        docs = np.flatnonzero(bits_to_mask(bits, size))
        starts, ends = self.offsets[docs], self.offsets[docs + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if not total:
            return np.zeros(len(self.values), dtype=np.int64)
        # The rows of the matching documents, end to end, without a Python step per row.
        within = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return np.bincount(self.ids[np.repeat(starts, lengths) + within], minlength=len(self.values))


class ValueNumbers:
    """One number per facet value in this process, whatever segment holds it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.number = {}
        self.values = []

    def numbers_of(self, values):
        with self.lock:
            for value in values:
                if value not in self.number:
                    self.number[value] = len(self.values)
                    self.values.append(value)
            return np.fromiter((self.number[value] for value in values), dtype=np.int64, count=len(values))


VALUE_NUMBERS = ValueNumbers()


def as_array(values):
    """Integers in an array rather than a list, else the list. A full garbage collection
    visits every item of every list a process holds, a cache miss each: at 100,000
    articles these lists held 200,000 ints, and a full collection took 12 ms, 2.5 without."""
    for typecode in ("q", "Q"):
        try:
            return array(typecode, values)
        except (TypeError, OverflowError):
            continue
    return values
