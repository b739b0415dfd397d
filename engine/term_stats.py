"""The index statistics that related articles weigh an article's words by (Whoosh's
Bo1 key terms, engine/backend.py ``_like_query``), each read once while the index's
segments stay the same.

Whoosh asks each word's frequency of every segment in turn: with the eleven segments of a
100,000-article index that was most of an article page's time. A segment's term
statistics never change (deletions do not alter them), so the sums are remembered per
set of segments and forgotten when a commit changes the set.
"""

import threading

from whoosh import classify

#: Words remembered at most (about 100 bytes each); past it, words are looked up anew.
MAX_TERMS = 200_000

_lock = threading.Lock()
_remembered = {"segments": None, "terms": {}}


def key_terms(searcher, fieldname, text, numterms):
    """([(word, weight)], the statistics used): as ``searcher.key_terms_from_text``."""
    stats = TermStats(searcher.reader(), _terms_of(searcher))
    expander = classify.Expander(stats, fieldname, model=classify.Bo1Model)
    expander.add_text(text)
    return expander.expanded_terms(numterms, normalize=True), stats


def _terms_of(searcher):
    """The remembered statistics of the searcher's segments ({} to fill, when new)."""
    try:
        segments = frozenset(sub.reader().segment().segment_id() for sub, _ in searcher.leaf_searchers())
    except AttributeError:  # a reader without segments (not Whoosh's file index): nothing kept
        return {}
    with _lock:
        if _remembered["segments"] != segments:
            _remembered["segments"], _remembered["terms"] = segments, {}
        return _remembered["terms"]


class TermStats:
    """The part of an index reader that key-term weighting reads, remembered in `terms`."""

    def __init__(self, reader, terms):
        self.reader = reader
        self.schema = reader.schema
        self.terms = terms

    def doc_count_all(self):
        return self.reader.doc_count_all()

    def field_length(self, fieldname):
        return self.reader.field_length(fieldname)

    def __contains__(self, term):
        return self._stats(*term)[0]

    def frequency(self, fieldname, btext):
        return self._stats(fieldname, btext)[1]

    def doc_frequency(self, fieldname, text):
        return self._stats(fieldname, self.schema[fieldname].to_bytes(text))[2]

    def _stats(self, fieldname, btext):
        """(held, frequency, document frequency) of a term."""
        key = (fieldname, btext)
        found = self.terms.get(key)
        if found is None:
            held = key in self.reader
            found = (held, self.reader.frequency(*key), self.reader.doc_frequency(*key)) if held else (False, 0, 0)
            if len(self.terms) < MAX_TERMS:
                self.terms[key] = found
        return found
