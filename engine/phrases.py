"""The documents of one segment where a phrase's words stand next to each other, read from
the words' stored positions.

Whoosh finds them with its span matchers: Python objects per position and per document,
~7 s for "Islamic State" at 100,000 articles, where both words are common. Here each
candidate document's positions are decoded once per word and compared as sets: the same
documents (Whoosh's Phrase with slop 1 is SpanNear2(ordered, slop=1, mindist=1): word i
at p + i), a fraction of the work. tests/test_whoosh_backend_perf_paths.py checks it
against Whoosh's own phrase search.
"""

from bisect import bisect_right
from itertools import accumulate
from pickle import loads

from whoosh.formats import Positions
from whoosh.system import _INT_SIZE

from .bitsets import iter_bits
from .scoring import leaf_matcher


def phrase_ids(reader, field, fieldname, btexts, candidates):
    """Document numbers among ``candidates`` (a bitset of the documents that hold every
    word) where the words ``btexts`` stand in order, next to each other; None when a
    word's postings are not Whoosh's own leaf matcher (then Whoosh decides)."""
    decode = _decode_positions if type(field.format) is Positions else field.format.decoder("positions")
    wanted = set(iter_bits(candidates))
    starts = None  # document -> positions where the phrase so far starts
    for i, btext in enumerate(btexts):
        positions = _positions(reader.postings(fieldname, btext), wanted, decode)
        if positions is None:
            return None
        if starts is None:
            starts = positions
        else:
            starts = {
                doc: found for doc, first in starts.items()
                if (found := first & {p - i for p in positions.get(doc, ())})
            }
        wanted = starts.keys()
        if not starts:
            break
    return sorted(starts or ())


def _positions(matcher, wanted, decode):
    """{document: set of positions} of the postings' documents in ``wanted``."""
    matcher = leaf_matcher(matcher)
    if matcher is None:
        return None
    ordered = sorted(wanted)
    out = {}
    below = -1  # every id up to this one stands in an earlier block
    while matcher.is_active():
        # A block holds the ids after the previous block's greatest up to its own, which
        # its header tells: a block without a wanted document is passed over unread (to
        # read one is to decompress and unpickle it, ids, weights and positions at once).
        if bisect_right(ordered, matcher._maxid) > bisect_right(ordered, below):
            if matcher._ids is None:
                matcher._read_ids()
            ids = matcher._ids
            if matcher._values is None:
                matcher._read_values()
            values = matcher._values
            for at in range(matcher._i, len(ids)):
                if ids[at] in wanted:
                    out[ids[at]] = set(decode(values[at]))
        below = matcher._maxid
        if matcher._lastblock:
            break
        matcher._next_block()
    return out


def _decode_positions(value):
    """Whoosh's Positions.decode_positions (a value is the frequency, then the pickled list
    of gaps between positions), with the gaps summed in C: a phrase of two common words at
    100,000 articles decodes ~170,000 values, and Whoosh's Python loop was a third of it."""
    if not value.endswith(b"."):
        value += b"."
    return accumulate(loads(value[_INT_SIZE:]))

