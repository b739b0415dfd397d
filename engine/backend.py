"""The Archive's Whoosh engine: haystack's Whoosh backend with the traps measured on
django-haystack 3.4.0 + Whoosh 2.7.4 taken out.

Everything Whoosh-specific lives here; sources/search.py talks to haystack's
SearchQuerySet only, so that ARCHIVE_SEARCH_ENGINE can point at another engine.

What differs from haystack.backends.whoosh_backend:

* Schema options per field: the body is neither stored, sortable nor given a spelling
  graph; facet fields are whole-value keyword fields split on a character that cannot
  occur in a name (U+001F), never on commas, never lowercased, tokenised or stemmed;
  sort keys are 64-bit sortable integers.
* Facet filters (``filter(organisation__in=[...])``, ``__exact``, plain ``=``) become
  Whoosh ``Term`` queries on the raw value. The value travels through the query string
  hex-encoded and the field parses it itself, so the query parser never splits
  "Hizb ut-Tahrir" into words nor builds a phrase query on a keyword field.
* One searcher per backend (haystack keeps one backend per thread), refreshed only when
  the index changed; no separate narrowing search for the model type when one model is
  indexed.
* Writers: the write lock is retried with backoff for a bounded time (LOCK_TIMEOUT,
  default 60 s) in update/remove/clear, then LockError is raised; an update is one
  writer for the whole batch, documents are prepared before the lock is taken.
* Spelling suggestions only when asked (``spelling_query``), from a field of each
  document's distinct unstemmed words ("spell", a WORDS field: no analyzer, weights or
  lengths), never from the stemmed body.
* Facet results never contain a None bucket.
* Speed at archive scale (see "the fast search path" below): searches, totals and facet
  counts are computed on per-segment bitsets (Python ints) cached per segment; relevance
  pages are scored a whole segment at a time with numpy, with Whoosh's own matcher tree
  and BM25F (engine/scoring.py). Segments are written by
  engine/writing.py (the same files as Whoosh's writer, ~3× faster, no compound
  files: a searcher opens in ~1 ms instead of ~235 ms at 50,000 articles); sort keys are
  one term per value. Many Sources at once (build_index, an import's batch:
  ``index_many``) are written by several processes (engine/segments.py).
"""

import heapq
import logging
import math
import random
import re
import threading
import time
from array import array
from collections import OrderedDict

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import (
    WhooshEngine,
    WhooshSearchBackend,
    WhooshSearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.fields import FacetField
from haystack.inputs import Raw
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import query as wq
from whoosh import collectors, sorting
from whoosh.analysis import RegexTokenizer, StemmingAnalyzer, StripFilter, LowercaseFilter
from whoosh.fields import DATETIME, ID as WHOOSH_ID, NUMERIC, FieldType, Schema
from whoosh.formats import Existence
from whoosh.idsets import DocIdSet
from whoosh.index import LockError
from whoosh.qparser import MultifieldParser, QueryParser
from whoosh.sorting import Count, FieldFacet
from whoosh.query.terms import MultiTerm
from whoosh.reading import TermNotFound
from whoosh.writing import CLEAR

from .scoring import (
    SegmentArrays,
    SegmentScorer,
    Unsupported,
    bits_to_mask,
    bits_from_array,
    read_postings,
    top_hits,
)
from .writing import ArchiveSegmentWriter, StemmedText

log = logging.getLogger(__name__)

#: Separates the values of a multi-valued facet field. A control character: names are
#: cleaned of those, so it cannot occur inside a value (a comma can).
VALUE_SEPARATOR = "\x1f"
#: Prefix of a hex-encoded exact value inside a query string.
EXACT_PREFIX = "x"

#: "Everything" in the Lucene syntax the search service writes (a purely negative query).
MATCH_ALL = "*:*"
MATCH_ALL_PLACEHOLDER = "archivematchall"

DEFAULT_LOCK_TIMEOUT = 60.0
#: A long index batch commits after holding the write lock this long (see apply_batches).
WRITE_HOLD_SECONDS = 15.0


def encode_exact(value):
    return EXACT_PREFIX + force_str(value).encode("utf-8").hex()


def decode_exact(text):
    if not text.startswith(EXACT_PREFIX):
        raise ValueError("not an encoded exact value")
    return bytes.fromhex(text[len(EXACT_PREFIX):]).decode("utf-8")


class EXACT(FieldType):
    """A whole-value keyword field: each value is one term, as given (case kept).

    Values are separated by VALUE_SEPARATOR. The field parses query text itself: the text
    is a hex-encoded value (see encode_exact) and becomes one Term, so nothing the
    query parser does to words can reach it. No positions: it is for filters and facets.
    """

    def __init__(self, stored=False, field_boost=1.0):
        self.analyzer = RegexTokenizer("[^%s]+" % VALUE_SEPARATOR) | StripFilter()
        self.format = Existence(field_boost=field_boost)
        self.stored = stored
        self.scorable = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def self_parsing(self):
        return True

    def parse_query(self, fieldname, qstring, boost=1.0):
        try:
            value = decode_exact(qstring)
        except ValueError:
            # Typed by hand (only the backend writes these): take it literally.
            value = qstring
        return wq.Term(fieldname, value, boost=boost)

    def parse_range(self, fieldname, start, end, startexcl, endexcl, boost=1.0):
        return wq.TermRange(
            fieldname,
            decode_exact(start) if start else None,
            decode_exact(end) if end else None,
            startexcl,
            endexcl,
            boost=boost,
        )


def spell_analyzer():
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter()


class WORDS(FieldType):
    """The spelling vocabulary: a document's distinct words, given already split,
    lowercased and space-separated (SourceIndex.prepare_spell), indexed as they are.

    Only which words occur in which documents matters (for doc_frequency and
    terms_within): no analyzer pass, no weights, no field lengths. A TEXT field cost a
    third of all indexing time for the same terms."""

    def __init__(self):
        self.analyzer = spell_analyzer()  # for anything that analyses query text
        self.format = Existence()
        self.stored = False
        self.scorable = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value, **kwargs):
        return [(word.encode("utf-8"), 1, 1.0, b"") for word in force_str(value).split()]


# ------------------------------------------------------------------ the fast search path
#
# Whoosh answers a search with facets by walking EVERY matching document in Python, once
# per facet and once more for the total (~300 ms for a common word at 50,000 articles).
# Here the matches are Python ints used as bitsets (bit d = document d of a segment):
#
# * a Term is the bitset of its postings, read a block at a time and cached per segment:
#   a segment never changes once written, except for deletions, which are masked out at
#   the end with the segment's live-documents bitset (cached per deleted count);
# * And/Or/Not/AndNot/AndMaybe/Require are &, |, ~; prefixes and other multi-term
#   queries OR their expanded terms; anything else (phrases, ranges, ...) asks Whoosh
#   for its documents (q.docs), so every answer is Whoosh's by construction;
# * a facet's counts are popcounts of matches & value-set (the value-sets are built once
#   per segment from the facet field's postings);
# * a relevance page: every match of each segment scored at once (numpy, Whoosh's own
#   matcher tree and BM25F, bit-for-bit its scores: engine/scoring.py), or, for a
#   matcher that module does not know, by Whoosh's top-N collector with the matches as
#   its allow-set; a sorted page walks a per-segment order of the sort key (cached)
#   until the page is full, or sorts the few matches.
#
# Same hits, totals and facet counts as plain Whoosh: tests/test_whoosh_backend_perf_paths.py
# compares both paths. FAST_PATH=False in the connection options switches this off.

_BIT = tuple(1 << i for i in range(8))
_BYTE_BITS = tuple(tuple(i for i in range(8) if b >> i & 1) for b in range(256))
_NONZERO = re.compile(b"[^\x00]")


def bits_from_ids(ids, size):
    """A bitset (int) of the document numbers ``ids`` (each < size)."""
    buf = bytearray((size >> 3) + 1)
    bit = _BIT
    for d in ids:
        buf[d >> 3] |= bit[d & 7]
    return int.from_bytes(buf, "little")


def iter_bits(bits):
    """The set bits of ``bits``, ascending (zero bytes are skipped by the regex engine)."""
    if bits <= 0:
        return
    data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    table = _BYTE_BITS
    for m in _NONZERO.finditer(data):
        at = m.start()
        base = at << 3
        for i in table[data[at]]:
            yield base + i


def _posting_ids(matcher):
    """Every document id of a fresh postings matcher, deleted documents included."""
    read = read_postings(matcher)
    return read[0] if read is not None else matcher.all_ids()


class _BitsDocs(DocIdSet):
    """Global document numbers in a bitset: Whoosh's allow-filter for a search."""

    def __init__(self, bits, size):
        self.bits = bits
        self.size = size
        self.data = bits.to_bytes((size >> 3) + 1, "little")

    def __contains__(self, d):
        return 0 <= d < self.size and (self.data[d >> 3] >> (d & 7)) & 1 == 1

    def __len__(self):
        return self.bits.bit_count()

    def __bool__(self):
        return True  # an empty allow-set still allows nothing

    def __iter__(self):
        return iter_bits(self.bits)


class _SegmentEntry:
    """What is cached about ONE segment. A segment's documents never change; its
    deletions only grow, so the live mask is keyed by the deleted count."""

    def __init__(self, size):
        self.size = size
        self.all = (1 << size) - 1
        self.queries = OrderedDict()  # (fieldname, btext) or a Query -> bitset (LRU)
        self.facets = {}  # fieldname -> [(value, bitset)]
        self.orders = {}  # (sort fields, reverse) -> (docnums in order, keys)
        self.live = (0, self.all)  # (deleted count, live bitset)
        self.arrays = None  # numpy postings and lengths for scoring (whoosh_scoring.py)


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


BITSETS = BitsetCache()


class _Leaf:
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
        if kind is wq.Phrase and not all(self.term(q.fieldname, w) for w in q.words):
            return 0  # a phrase needs every word (cheap test before Whoosh's check)
        bits = self._cached(q)
        if bits is None:
            if isinstance(q, MultiTerm) and q.field() in self.schema:
                # A prefix, wildcard, ...: the union of its terms, as Whoosh expands it.
                bits = 0
                for btext in q._btexts(self.reader):
                    bits |= self.term(q.field(), btext)
            else:
                bits = bits_from_ids(q.docs(self.searcher), self.entry.size)
            try:
                BITSETS.remember(self.entry, q, bits)
            except TypeError:
                pass
        return bits

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
            found = self.entry.orders[cache_key] = (_as_array(order), _as_array(keys))
        return found


def _as_array(values):
    """Integers in an array rather than a list, else the list. A full garbage collection
    visits every item of every list a process holds, a cache miss each: at 100,000
    articles these lists held 200,000 ints, and a full collection took 12 ms, 2.5 without."""
    for typecode in ("q", "Q"):
        try:
            return array(typecode, values)
        except (TypeError, OverflowError):
            continue
    return values


def _all_of(queries):
    """The queries AND-ed (a filter), or None when there are none."""
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.And(queries)


def empty_result():
    """What haystack expects from a search that found nothing."""
    return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}


class ArchiveWhooshSearchBackend(WhooshSearchBackend):
    #: Fields searched by a query word without a field name, with their boosts.
    DEFAULT_FIELDS = ("text", "title")
    SPELL_FIELD = "spell"
    #: A word in at most this many documents may still be a typo of a commoner word.
    RARE_WORD_DOCS = 2

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
        self.fast_path = bool(connection_options.get("FAST_PATH", True))
        self.include_spelling = False  # suggestions only when asked, see search()
        self._searcher = None
        self._searcher_lock = threading.Lock()
        self.exact_fields = set()

    # ------------------------------------------------------------------ schema

    def setup(self):
        super().setup()
        fieldboosts = {}
        unified = self._unified_index()
        for field in unified.all_searchfields().values():
            if field.index_fieldname in self.DEFAULT_FIELDS and field.boost != 1.0:
                fieldboosts[field.index_fieldname] = field.boost
        default_fields = [f for f in self.DEFAULT_FIELDS if f in self.schema.names()]
        if len(default_fields) > 1:
            self.parser = MultifieldParser(default_fields, schema=self.schema, fieldboosts=fieldboosts)
        else:
            self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self._drop_searcher()

    def _unified_index(self):
        from haystack import connections

        return connections[self.connection_alias].get_unified_index()

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        exact_fields = set()
        for field in fields.values():
            name = field.index_fieldname
            if field.document:
                content_field_name = name
                # The body: stemmed, with positions for phrases; not stored (the text
                # is in the database), not sortable, no spelling graph.
                schema_fields[name] = StemmedText(stored=False, analyzer=StemmingAnalyzer())
            elif isinstance(field, FacetField) or (field.is_multivalued and field.indexed):
                schema_fields[name] = EXACT(stored=field.stored)
                exact_fields.add(name)
            elif field.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=field.stored)
            elif field.field_type == "integer":
                # shift_step=0: one term per value instead of 16 "trie" terms (those only
                # speed up range queries, which nothing runs on sort keys).
                schema_fields[name] = NUMERIC(
                    numtype=int, bits=64, stored=field.stored, sortable=True, signed=True,
                    shift_step=0,
                )
            elif field.field_type == "float":
                # Not a column: Whoosh 2.7.4's float column cannot write a float
                # (struct.error; found by haystack's own round-trip test). Sorting on it
                # still works, from the postings.
                schema_fields[name] = NUMERIC(numtype=float, stored=field.stored)
            elif name == self.SPELL_FIELD:
                schema_fields[name] = WORDS()
            elif not field.indexed:
                schema_fields[name] = WHOOSH_ID(stored=field.stored)
            else:
                schema_fields[name] = StemmedText(
                    stored=field.stored,
                    analyzer=field.analyzer or StemmingAnalyzer(),
                    field_boost=field.boost,
                )
        if not content_field_name:
            from haystack.exceptions import SearchBackendError

            raise SearchBackendError("No document=True field in the search indexes.")
        self.exact_fields = exact_fields
        return content_field_name, Schema(**schema_fields)

    def _from_python(self, value):
        if isinstance(value, (list, tuple, set)):
            return VALUE_SEPARATOR.join(force_str(v) for v in value)
        return super()._from_python(value)

    # ----------------------------------------------------------------- searcher

    def _drop_searcher(self):
        with self._searcher_lock:
            self._searcher = None

    def searcher(self):
        """This backend's searcher, refreshed only when the index has changed."""
        if not self.setup_complete:
            self.setup()
        with self._searcher_lock:
            s = self._searcher
            if s is None:
                self.index = self.index.refresh()
                s = self.index.searcher()
            elif not s.up_to_date():
                s = s.refresh()
            self._searcher = s
            return s

    # ------------------------------------------------------------------ writing

    def _acquire_writer(self):
        """A writer, waiting for another process's writer with backoff, up to lock_timeout."""
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                self.index = self.index.refresh()
                return ArchiveSegmentWriter(self.index)
            except LockError:
                if time.monotonic() >= deadline:
                    raise LockError(
                        "The search index stayed locked by another writer for %.0f s"
                        % self.lock_timeout
                    )
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())) * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 1.0)

    def _prepare_docs(self, index, iterable):
        """Whoosh documents, one per identifier (the last one wins)."""
        docs = {}
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc = {key: self._from_python(value) for key, value in doc.items()}
            doc.pop("boost", None)
            docs[doc[ID]] = doc
        return list(docs.values())

    def apply_batch(self, index, objs=(), remove_identifiers=()):
        """Update ``objs`` and remove documents by identifier, in ONE writer."""
        self.apply_batches(index, [(objs, remove_identifiers)])

    def apply_batches(self, index, batches):
        """apply_batch for a stream of (objs, remove_identifiers) batches, with few
        commits: one writer takes batches until it has held the write lock for
        WRITE_HOLD_SECONDS, then commits without merging segments (so a curator's save
        waits for the lock at most about that long); only the last commit merges, as
        Whoosh's policy decides. Documents are prepared before the lock is taken."""
        if not self.setup_complete:
            self.setup()
        writer = searcher = None
        try:
            for objs, remove_identifiers in batches:
                docs = self._prepare_docs(index, objs) if index is not None else []
                identifiers = [force_str(i) for i in remove_identifiers] + [doc[ID] for doc in docs]
                if not identifiers:
                    continue
                if writer is None:
                    writer = self._acquire_writer()
                    # writer.update_document opens a searcher over every segment for
                    # EACH document (to delete the old version); one serves them all.
                    searcher = writer.searcher()
                    held_since = time.monotonic()
                for identifier in identifiers:
                    writer.delete_by_term(ID, identifier, searcher=searcher)
                for doc in docs:
                    writer.add_document(**doc)
                if time.monotonic() - held_since >= WRITE_HOLD_SECONDS:
                    searcher.close()
                    # No merge on the way: merging the growing index at every
                    # intermediate commit cost two thirds of a 100,000-article batch.
                    writer.commit(merge=False)
                    writer = None
        except BaseException:
            if writer is not None:
                searcher.close()
                writer.cancel()
            raise
        if writer is not None:
            searcher.close()
            writer.commit()

    def index_many(self, index, pks, progress=None):
        """Index (or remove, if unpublished) many Sources: worker processes write new
        segments without the write lock, swapped in with one commit. False (nothing
        done) for an index in memory: the workers write files."""
        from .segments import index_in_segments

        if not self.setup_complete:
            self.setup()
        if not self.use_file_storage:
            return False
        index_in_segments(self.connection_alias, index, pks, progress=progress)
        return True

    def update(self, index, iterable, commit=True):
        self.apply_batch(index, list(iterable))

    def remove(self, obj_or_string, commit=True):
        self.apply_batch(None, (), [get_identifier(obj_or_string)])

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        if models is not None:
            assert isinstance(models, (list, tuple))
            writer = self._acquire_writer()
            try:
                for model in models:
                    writer.delete_by_term(DJANGO_CT, get_model_ct(model))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            return
        self.delete_index()

    def delete_index(self):
        """Empty the index and give it the current schema, under the write lock."""
        if not self.setup_complete:
            self.setup()
        writer = self._acquire_writer()
        try:
            # A CLEAR commit drops every segment; the new schema comes with create_index.
            writer.commit(mergetype=CLEAR)
        except BaseException:
            writer.cancel()
            raise
        lock = self.index.lock("WRITELOCK")
        self._wait_for(lock)
        try:
            self.index = self.storage.create_index(self.schema)
        finally:
            lock.release()
        self._drop_searcher()

    def _wait_for(self, lock):
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise LockError("The search index stayed locked for %.0f s" % self.lock_timeout)
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    def optimize(self):
        writer = self._acquire_writer()
        writer.commit(optimize=True)

    # ---------------------------------------------------------------- searching

    def _model_filter(self, models, limit_to_registered_models):
        """A Term filter for the model type, or None when it would not narrow anything."""
        from django.conf import settings

        registered = self.build_models_list()
        if models:
            wanted = sorted(get_model_ct(m) for m in models)
        elif limit_to_registered_models is None and getattr(
            settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True
        ) or limit_to_registered_models:
            wanted = registered
        else:
            wanted = []
        if not wanted or (set(registered) <= set(wanted)):
            # Every indexed document is of a wanted model: nothing to narrow.
            return None
        return wq.Or([wq.Term(DJANGO_CT, ct) for ct in wanted])

    def _parse(self, query_string):
        query_string = force_str(query_string).strip()
        if query_string in ("", "*", "(*)", MATCH_ALL):
            return wq.Every()
        if MATCH_ALL not in query_string:
            return self.parser.parse(query_string)
        # Whoosh's parser reads "*:*" inside an expression as Every() and DROPS the rest
        # ("(*:* AND NOT police)" -> everything); parse a placeholder term instead and
        # put Every() in its place.
        placeholder = wq.Term(ID, MATCH_ALL_PLACEHOLDER)
        parsed = self.parser.parse(query_string.replace(MATCH_ALL, "%s:%s" % (ID, MATCH_ALL_PLACEHOLDER)))
        return parsed.accept(lambda q: wq.Every() if q == placeholder else q)

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if not self.setup_complete:
            self.setup()
        empty = empty_result()
        if spelling_query:
            empty["spelling_suggestion"] = self.create_spelling_suggestion(spelling_query)
        query_string = force_str(query_string or "")
        if not query_string.strip():
            return empty

        reverse = False
        sortedby = None
        if sort_by:
            directions = {s.startswith("-") for s in sort_by}
            if len(directions) > 1:
                from haystack.exceptions import SearchBackendError

                raise SearchBackendError("Whoosh requires all order_by fields to use the same sort direction")
            reverse = directions.pop()
            sortedby = [s.lstrip("-") for s in sort_by]

        group_by = []
        facet_types = {}
        for facet in facets or ():
            group_by.append(FieldFacet(facet, allow_overlap=True, maptype=Count))
            facet_types[facet] = "fields"

        filters = []
        model_filter = self._model_filter(models, limit_to_registered_models)
        if model_filter is not None:
            filters.append(model_filter)
        for nq in narrow_queries or ():
            filters.append(self._parse(nq))

        parsed = self._parse(query_string)
        if parsed is None or parsed is wq.NullQuery:
            return empty

        searcher = self.searcher()
        if not searcher.doc_count():
            return empty
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        flt = _all_of(filters)
        if self.fast_path:
            fast = self._fast_search(
                searcher, parsed, flt, page_num, page_length, sortedby, reverse, facet_types,
                result_class or SearchResult,
            )
            if fast is not None:
                fast["spelling_suggestion"] = empty["spelling_suggestion"]
                return fast
        search_kwargs = {"pagelen": page_length, "reverse": reverse}
        if sortedby:
            search_kwargs["sortedby"] = sortedby
        if group_by:
            search_kwargs["groupedby"] = group_by
        if flt is not None:
            search_kwargs["filter"] = flt
        raw_page = searcher.search_page(parsed, page_num, **search_kwargs)
        if raw_page.pagenum < page_num:
            # Past the last page: no hits on this page, but the true total (the
            # service clamps to the last page with it).
            result = dict(empty)
            result["hits"] = raw_page.total
            result["facets"] = self._facets(raw_page, facet_types)
            return result

        results = self._process_results(raw_page, result_class=result_class, facet_types=facet_types)
        results["spelling_suggestion"] = empty["spelling_suggestion"]
        return results

    def _facets(self, raw_page, facet_types):
        groups = {name: raw_page.results.groups(name) for name in raw_page.results.facet_names()}
        return self._format_facets(groups, facet_types)

    def _format_facets(self, groups, facet_types):
        """{name: {value: count}} -> haystack's facet structure, no None bucket."""
        facets = {"fields": {}, "dates": {}, "queries": {}}
        if not facet_types:
            return {}
        for name, group in groups.items():
            facets[facet_types[name]][name] = sorted(
                ((k, v) for k, v in group.items() if k not in (None, "", "None")),
                key=lambda kv: (-kv[1], kv[0]),
            )
        return facets

    def _fast_search(
        self, searcher, parsed, flt, page_num, page_length, sortedby, reverse, facet_types, result_class
    ):
        """The search on bitsets (see "the fast search path" above); None = not possible
        here (then the plain Whoosh path answers)."""
        found = self._matches(searcher, parsed, flt)
        if found is None:
            return None
        leaves, matches = found
        total = sum(bits.bit_count() for bits in matches)

        groups = {}
        for name in facet_types:
            counts = {}
            for leaf, bits in zip(leaves, matches):
                if not bits:
                    continue
                for value, value_bits in leaf.facet_sets(name):
                    n = (bits & value_bits).bit_count()
                    if n:
                        counts[value] = counts.get(value, 0) + n
            groups[name] = counts
        facets = self._format_facets(groups, facet_types)

        pagecount = math.ceil(total / page_length) if page_length else 0
        if min(pagecount, page_num) < page_num:
            # Past the last page (as Whoosh's ResultsPage clamps it): no hits, true total.
            return {"results": [], "hits": total, "facets": facets}
        limit = page_num * page_length
        if sortedby:
            top = self._fast_sorted(searcher, leaves, matches, sortedby, reverse, limit)
            if top is None:
                return None
        else:
            top = self._scored_top(searcher, parsed, leaves, matches, limit)
            if top is None:
                top = self._collected_top(searcher, parsed, leaves, matches, limit)
        hits = [(docnum, score) for score, docnum in top[limit - page_length : limit]]
        return self._results_from_hits(searcher, hits, total, facets, result_class)

    def _matches(self, searcher, parsed, flt):
        """([_Leaf], [bitset of its live documents matching parsed and flt]), one per
        segment; None when a segment cannot be cached."""
        index_key = self.path if self.use_file_storage else id(self.storage)
        leaves = []
        for sub, offset in searcher.leaf_searchers():
            entry = BITSETS.entry(index_key, sub.reader())
            if entry is None:
                return None
            leaves.append(_Leaf(entry, sub, offset))
        matches = []
        for leaf in leaves:
            bits = leaf.bits(parsed)
            if bits and flt is not None:
                bits &= leaf.bits(flt)
            if bits:
                bits &= leaf.live()
            matches.append(bits)
        return leaves, matches

    @staticmethod
    def _scored_top(searcher, parsed, leaves, matches, limit):
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

    @staticmethod
    def _collected_top(searcher, parsed, leaves, matches, limit):
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
            allow=_BitsDocs(allow, searcher.doc_count_all()),
        )
        searcher.search_with_collector(parsed, collector)
        return collector.results().top_n

    @staticmethod
    def _fast_sorted(searcher, leaves, matches, sortedby, reverse, limit):
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

    def _results_from_hits(self, searcher, hits, total, facets, result_class):
        """haystack's result structure from (docnum, score) pairs, as _process_results."""
        unified_index = self._unified_index()
        indexed = {get_model_ct(m): m for m in unified_index.get_indexed_models()}
        results = []
        for docnum, score in hits:
            raw = searcher.stored_fields(docnum)
            ct = raw.get(DJANGO_CT)
            if ct not in indexed:
                total -= 1
                continue
            app_label, model_name = ct.split(".")
            extra = {k: v for k, v in raw.items() if k not in (DJANGO_CT, DJANGO_ID)}
            results.append(result_class(app_label, model_name, raw[DJANGO_ID], score or 0, **extra))
        return {"results": results, "hits": total, "facets": facets}

    def _process_results(
        self,
        raw_page,
        highlight=False,
        query_string="",
        spelling_query=None,
        result_class=None,
        facet_types=None,
    ):
        unified_index = self._unified_index()
        result_class = result_class or SearchResult
        indexed = {get_model_ct(m): m for m in unified_index.get_indexed_models()}
        results = []
        hits = raw_page.total
        for offset, raw in enumerate(raw_page):
            ct = raw[DJANGO_CT]
            if ct not in indexed:
                hits -= 1
                continue
            app_label, model_name = ct.split(".")
            extra = {
                k: v for k, v in raw.items() if k not in (DJANGO_CT, DJANGO_ID)
            }
            results.append(
                result_class(app_label, model_name, raw[DJANGO_ID], raw_page.score(offset) or 0, **extra)
            )
        return {
            "results": results,
            "hits": hits,
            "facets": self._facets(raw_page, facet_types),
            "spelling_suggestion": None,
        }

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Key terms of the instance's prepared text (the body is not stored), OR-ed."""
        if not self.setup_complete:
            self.setup()
        empty = empty_result()
        index = self._unified_index().get_index(type(model_instance))
        try:
            text = index.full_prepare(model_instance).get(self.content_field_name) or ""
        except SkipDocument:
            return empty
        searcher = self.searcher()
        if not searcher.doc_count() or not text:
            return empty
        field = self.content_field_name
        # Key terms that other documents share (a term only this one has finds nothing).
        terms = [
            (t, w)
            for t, w in searcher.key_terms_from_text(field, text, numterms=60)
            if searcher.doc_frequency(field, t) > 1
        ][:15]
        if not terms:
            return empty
        q = wq.Or([wq.Term(self.content_field_name, t, boost=w) for t, w in terms])
        q = wq.AndNot(q, wq.Term(ID, get_identifier(model_instance)))
        filters = []
        model_filter = self._model_filter(models, limit_to_registered_models)
        if model_filter is not None:
            filters.append(model_filter)
        if additional_query_string and additional_query_string.strip() not in ("", "*"):
            filters.append(self._parse(additional_query_string))
        flt = _all_of(filters)
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        if self.fast_path:
            # Fifteen OR-ed terms match most of a large archive: Whoosh's collector took
            # ~60 s per article page at 100,000 articles under load; scored at once here.
            found = self._matches(searcher, q, flt)
            if found is not None:
                leaves, matches = found
                limit = page_num * page_length
                top = self._scored_top(searcher, q, leaves, matches, limit)
                if top is not None:
                    hits = [(docnum, score) for score, docnum in top[limit - page_length : limit]]
                    total = sum(bits.bit_count() for bits in matches)
                    result = self._results_from_hits(searcher, hits, total, {}, result_class or SearchResult)
                    result["spelling_suggestion"] = None
                    return result
        if flt is not None:
            q = wq.And([q, flt])
        raw_page = searcher.search_page(q, page_num, pagelen=page_length)
        if raw_page.pagenum < page_num:
            return empty
        return self._process_results(raw_page, result_class=result_class)

    # ----------------------------------------------------------------- spelling

    def create_spelling_suggestion(self, query_string):
        """Correct the words of the query that the index does not know; None if none."""
        import re

        words = re.findall(r"[^\W\d_]+", force_str(query_string))
        if not words:
            return None
        searcher = self.searcher()
        if self.SPELL_FIELD not in searcher.schema.names():
            return None
        reader = searcher.reader()
        changed = False
        out = []
        for word in words:
            if word in self.RESERVED_WORDS:
                continue
            lower = word.lower()
            known = searcher.doc_frequency(self.SPELL_FIELD, lower)
            if len(lower) < 3 or known > self.RARE_WORD_DOCS:
                out.append(lower)
                continue
            best = None
            # The nearest words first; among equally near ones, the most common.
            for maxdist in (1, 2):
                near = set(reader.terms_within(self.SPELL_FIELD, lower, maxdist, prefix=1))
                near.discard(lower)
                if near:
                    best = max(
                        sorted(near),
                        key=lambda w: searcher.doc_frequency(self.SPELL_FIELD, w),
                    )
                    break
            if best and known and searcher.doc_frequency(self.SPELL_FIELD, best) < 3 * known:
                best = None  # a rare word, but not a typo of a much commoner one
            if best:
                out.append(best)
                changed = True
            else:
                out.append(lower)
        return " ".join(out) if changed else None


class ArchiveWhooshSearchQuery(WhooshSearchQuery):
    """Facet filters become exact Term queries (see EXACT), never parsed words."""

    def build_query_fragment(self, field, filter_type, value):
        from haystack import connections

        if field != "content" and filter_type in ("content", "exact", "in"):
            fieldname = connections[self._using].get_unified_index().get_index_fieldname(field)
            if fieldname in self.backend.exact_fields or (
                not self.backend.setup_complete and self._is_exact(fieldname)
            ):
                raw = getattr(value, "query_string", value)
                if hasattr(raw, "values_list"):
                    raw = list(raw)
                values = list(raw) if isinstance(raw, (list, tuple, set, frozenset)) else [raw]
                if not values:
                    # An empty IN matches nothing.
                    return "%s:(%s)" % (ID, encode_exact("\x00none"))
                terms = " OR ".join(encode_exact(v) for v in values)
                return "%s:(%s)" % (fieldname, terms)
        return super().build_query_fragment(field, filter_type, value)

    def _is_exact(self, fieldname):
        self.backend.setup()
        return fieldname in self.backend.exact_fields


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
    query = ArchiveWhooshSearchQuery


__all__ = ["ArchiveWhooshEngine", "ArchiveWhooshSearchBackend", "ArchiveWhooshSearchQuery", "Raw"]
