"""Writing Whoosh segments fast, with the same bytes Whoosh writes.

Indexing a 600-word article with Whoosh 2.7.4 costs ~10 ms of CPU (~14 ms in a 50,000-
article segment), most of it per word or per posting in Python:

* analysis: every word becomes a Token passed through four generators (tokenizer,
  lowercase, stop words, stemmer) before Positions.word_values groups them;
* the posting pool: every posting is a 5-tuple sized, appended and, past ``limitmb``,
  spilled to disk in sorted runs that are merged again at commit; then each posting is
  handed to the postings writer one by one;
* at commit, each posting's field length is read from the length column on disk.

Here:

* ``StemmedText`` is a TEXT field whose ``index()`` does the StemmingAnalyzer's work in
  one loop over the words, producing exactly the (term, frequency, weight, positions)
  tuples Whoosh's analyzer chain and Positions format produce;
* ``TermPostings`` replaces the posting pool: each field's postings are four columns
  (term id, docnum, weight, encoded value) appended a document at a time; at commit they
  are sorted by term with numpy, and each block of 128 postings is handed to Whoosh's own
  block writer at once;
* ``ArchiveSegmentWriter`` writes with both, and reads each document's field length once.

The segment's files are byte for byte those of Whoosh's own writer
(tests/test_whoosh_writing.py). The pool is not spilled to disk: a writer's memory grows
with its segment (~30 KB per 600-word article); engine/segments.py starts a new
segment when a pool passes its ``limitmb``.
"""

import functools
import re
from array import array

import numpy as np

from whoosh.analysis import (
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.tokenizers import default_pattern
from whoosh.compat import dumps
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

#: Distinct words whose stems are kept per field (an archive's working vocabulary).
STEM_CACHE_SIZE = 200_000


class StemmedText(TEXT):
    """A TEXT field analysed with a StemmingAnalyzer, indexed without a Token per word.

    Any other analyzer, format or call falls back to TEXT.index."""

    def index(self, value, **kwargs):
        analyse = self._fast_index()
        if analyse is None or kwargs or not isinstance(value, str):
            return super().index(value, **kwargs)
        return analyse(value)

    def _fast_index(self):
        try:
            return self.__dict__["_fast"]
        except KeyError:
            self.__dict__["_fast"] = fast = _fast_positions_index(self.analyzer, self.format)
            return fast

    def __getstate__(self):
        # The schema is pickled into the index's table of contents; a cached function is not.
        state = self.__dict__.copy()
        state.pop("_fast", None)
        return state


def _fast_positions_index(analyzer, format_):
    """A function text -> Whoosh's index() tuples, or None if the analyzer is not
    exactly RegexTokenizer | LowercaseFilter | StopFilter | StemFilter over Positions."""
    if type(format_) is not Positions or type(analyzer) is not CompositeAnalyzer:
        return None
    parts = analyzer.items
    if [type(part) for part in parts] != [RegexTokenizer, LowercaseFilter, StopFilter, StemFilter]:
        return None
    tokenizer, _, stops, stemmer = parts
    if tokenizer.gaps or not stops.renumber or stops.max is not None:
        return None
    words_in = _words_finder(tokenizer.expression)
    stoplist, minsize = stops.stops, stops.min
    ignore = stemmer.ignore
    stem = functools.lru_cache(maxsize=STEM_CACHE_SIZE)(stemmer._stem)
    encode = format_.encode
    # Positions.encode([pos]) without the call: most words occur once in an article.
    # A new bytes object each time: a shared one would be pickled as a back-reference
    # inside a block, and the file would no longer be Whoosh's byte for byte.
    one_position = pack_uint(1)
    boost = format_.field_boost

    def index(text):
        words = list(map(str.lower, words_in(text)))
        kept = [word for word in words if len(word) >= minsize and word not in stoplist]
        if not kept:
            return []
        # StopFilter's renumbering: the first word kept keeps its place among all
        # words, the ones after it follow on without gaps.
        first = 0
        while len(words[first]) < minsize or words[first] in stoplist:
            first += 1
        if ignore:
            kept = [word if word in ignore else stem(word) for word in kept]
        else:
            kept = list(map(stem, kept))
        positions = {}
        for pos, word in enumerate(kept, first):
            found = positions.get(word)
            if found is None:
                positions[word] = [pos]
            else:
                found.append(pos)
        return [
            (
                word.encode("utf-8"),
                count,
                float(count) * boost,
                one_position + dumps(found, 2) if count == 1 else encode(found),
            )
            for word, found in positions.items()
            for count in (len(found),)
        ]

    return index


def _words_finder(expression):
    """text -> the texts of the expression's matches, in one findall call."""
    if not expression.groups:
        return expression.findall
    if expression.pattern == default_pattern.pattern:
        # Whoosh's default pattern with its group made non-capturing: the same matches.
        return re.compile(r"\w+(?:\.?\w+)*", expression.flags).findall
    # findall gives the groups' texts when a pattern has groups: wrapped in one more
    # group, the whole match comes first.
    findall = re.compile("(%s)" % expression.pattern, expression.flags).findall
    return lambda text: [groups[0] for groups in findall(text)]


class _FieldPostings:
    """One field's postings in the new segment, in the order they were added: four
    parallel columns (term id, docnum, weight, encoded value), appended a document at a
    time, sorted by term once at commit."""

    def __init__(self):
        self.term_ids = {}  # term bytes -> term id
        self.terms = []  # term id -> term bytes
        self.tids = array("I")
        self.docnums = array("I")
        self.weights = array("d")
        self.values = []
        self.value_postings = 0

    def _ids_of(self, tbytes):
        ids = list(map(self.term_ids.get, tbytes))
        if None in ids:
            for term in set(tbytes).difference(self.term_ids):
                self.term_ids[term] = len(self.terms)
                self.terms.append(term)
            ids = list(map(self.term_ids.get, tbytes))
        return ids

    def add_document(self, docnum, items, boost):
        columns = list(zip(*items))
        if not columns:
            return 0
        tbytes, freqs, weights, values = columns
        ids = self._ids_of(tbytes)
        self.tids.extend(ids)
        self.docnums.extend(array("I", [docnum]) * len(ids))
        self.weights.extend(weights if boost == 1.0 else [w * boost for w in weights])
        self.values.extend(values)
        if values[0]:
            self.value_postings += len(ids)
        return sum(freqs)

    def add(self, tbytes, docnum, weight, vbytes):
        (term_id,) = self._ids_of((tbytes,))
        self.tids.append(term_id)
        self.docnums.append(docnum)
        self.weights.append(weight)
        self.values.append(vbytes)

    def __len__(self):
        return len(self.tids)

    def sorted_terms(self):
        """(tbytes, docnums, weights, values) per term, terms in byte order, each term's
        postings in docnum order (a merge may add them out of order)."""
        tids = np.frombuffer(self.tids, dtype=np.uint32)
        docnums = np.frombuffer(self.docnums, dtype=np.uint32)
        order = np.lexsort((docnums, tids))
        docnums = docnums[order]
        weights = np.frombuffer(self.weights, dtype=np.float64)[order]
        values = list(map(self.values.__getitem__, order.tolist()))
        counts = np.bincount(tids, minlength=len(self.terms))
        starts = (np.cumsum(counts) - counts).tolist()
        counts = counts.tolist()
        terms = self.terms
        for term_id in sorted(range(len(terms)), key=terms.__getitem__):
            start, end = starts[term_id], starts[term_id] + counts[term_id]
            yield terms[term_id], docnums[start:end].tolist(), weights[start:end].tolist(), values[start:end]


class TermPostings:
    """The posting pool of a new segment, per field (Whoosh's PostingPool holds one
    5-tuple per posting and sorts them all)."""

    def __init__(self):
        self.fields = {}

    def _field(self, fieldname):
        field = self.fields.get(fieldname)
        if field is None:
            field = self.fields[fieldname] = _FieldPostings()
        return field

    def add_field(self, fieldname, docnum, items, boost):
        """A document's postings for one field, as field.index() gives them; returns
        the sum of their frequencies (the field's length in the document)."""
        return self._field(fieldname).add_document(docnum, items, boost)

    def add(self, item):
        """One posting (fieldname, tbytes, docnum, weight, vbytes): how Whoosh's merges add
        the postings of the segments they merge into this one."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self._field(fieldname).add(tbytes, docnum, weight, vbytes or b"")

    def memory_bytes(self):
        """About what the pool holds: 24 bytes per posting in columns, ~45 per encoded
        value, ~150 per term."""
        return sum(
            len(f) * 24 + f.value_postings * 45 + len(f.terms) * 150 for f in self.fields.values()
        )

    def sorted_terms(self):
        """(fieldname, tbytes, docnums, weights, values) in the order a segment stores them."""
        for fieldname in sorted(self.fields):
            for term in self.fields[fieldname].sorted_terms():
                yield (fieldname, *term)

    def iter_postings(self):
        # Whoosh's pool interface; the writer below reads sorted_terms() instead.
        for fieldname, tbytes, docnums, weights, values in self.sorted_terms():
            for docnum, weight, value in zip(docnums, weights, values):
                yield fieldname, tbytes, docnum, weight, value

    def cleanup(self):
        self.fields = {}


class _LengthsInMemory:
    """A new segment's per-document reader whose field lengths are read once per field.

    Whoosh asks the length of the posting's field for EVERY posting at commit, each a
    read from the length column on disk (~40% of a commit's time)."""

    def __init__(self, reader):
        self._reader = reader
        self._lengths = {}

    def field_lengths(self, fieldname):
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._lengths[fieldname] = [
                read(d, fieldname, 0) for d in range(self._reader.doc_count_all())
            ]
        return lengths

    def doc_field_length(self, docnum, fieldname, default=0):
        return self.field_lengths(fieldname)[docnum]

    def __getattr__(self, name):
        return getattr(self._reader, name)


class ArchiveSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with a per-term posting pool written a block at a time."""

    def __init__(self, ix, compound=False, **kwargs):
        # No compound file: a searcher opens one by reading its whole directory (~235 ms
        # at 50,000 articles); separate files open in ~1 ms.
        super().__init__(ix, compound=compound, **kwargs)
        self.pool = TermPostings()
        # Fields with a spelling field or term vectors take Whoosh's own add_document.
        self._whoosh_add = any(f.separate_spelling() or f.vector for f in self.schema)

    def add_document(self, **fields):
        """Whoosh's SegmentWriter.add_document, with each field's postings handed to the
        pool in one call instead of one call per posting."""
        if self._whoosh_add:
            return super().add_document(**fields)
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        perdocwriter = self.perdocwriter
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                boost = self._field_boost(fields, fieldname, docboost)
                length = self.pool.add_field(fieldname, docnum, field.index(value), boost)
                if not field.scorable:
                    length = 0
            stored = fields.get("_stored_%s" % fieldname, value)
            perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def per_document_reader(self):
        return _LengthsInMemory(super().per_document_reader())

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        _write_postings(self.fieldwriter, self.schema, lengths, self.pool)
        self.fieldwriter.close()
        if lengths is not None:
            lengths.close()


def _write_postings(fieldwriter, schema, lengths, pool):
    """What FieldWriter.add_postings does with a sorted stream of postings, per block.

    Each block's buffers are filled as W3PostingsWriter.add_posting would fill them, and
    Whoosh's own code writes the block and the term's info."""
    current_field = None
    for fieldname, tbytes, docnums, weights, values in pool.sorted_terms():
        if fieldname != current_field:
            if current_field is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            current_field = fieldname
            field_lengths = lengths.field_lengths(fieldname) if lengths is not None else None
        fieldwriter.start_term(tbytes)
        postwriter = fieldwriter._postwriter
        blocklimit = postwriter._blocklimit
        for start in range(0, len(docnums), blocklimit):
            if start:
                postwriter._write_block()
            ids = docnums[start : start + blocklimit]
            block_weights = weights[start : start + blocklimit]
            if field_lengths is not None:
                block_lengths = [n for n in map(field_lengths.__getitem__, ids) if n]
            else:
                block_lengths = ()
            postwriter._ids = array("I", ids)
            postwriter._weights = array("f", block_weights)
            postwriter._values = [v for v in values[start : start + blocklimit] if v]
            postwriter._maxweight = max(0, max(block_weights))
            postwriter._minlength = min(block_lengths) if block_lengths else None
            postwriter._maxlength = max(block_lengths) if block_lengths else 0
        fieldwriter.finish_term()
    if current_field is not None:
        fieldwriter.finish_field()
