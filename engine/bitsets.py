"""Sets of document numbers as Python ints (bit d = document d of a segment).

Python's big ints do &, |, ~ and popcount in C, a segment at a time: the fast search
path (engine/fast_path.py) is built on them. Here is every conversion to and from them.
"""

import re

import numpy as np
from whoosh.idsets import DocIdSet

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


def bits_to_mask(bits, size):
    """A bitset (Python int, bit d = document d) as a numpy bool array of ``size``."""
    data = np.frombuffer(bits.to_bytes((size >> 3) + 1, "little"), dtype=np.uint8)
    return np.unpackbits(data, bitorder="little")[:size].astype(bool)


def bits_from_array(ids, size):
    """A bitset (Python int) of the document numbers in the numpy array ``ids``: what
    bits_from_ids makes of any iterable, without a Python step per id."""
    mask = np.zeros(size, dtype=bool)
    mask[ids] = True
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


class BitsDocs(DocIdSet):
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
