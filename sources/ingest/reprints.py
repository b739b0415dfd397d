"""Fingerprints for versions (reprints) and shared passages. Pure Python + numpy, no Django.

An article's text becomes the set of its word 5-grams ("shingles"), each a 64-bit hash.
Words are case-folded runs of letters and digits, so straightened quotes, dashes and
punctuation do not change a shingle.

Finding candidates cheaply: of every article's shingles, the ones whose hash is 0 modulo
SAMPLE_MODULUS are its *keys* (Broder's mod-m sample). The sample is a fixed function
of the shingle, not of the document, so two texts that share a passage share the keys
inside it: a stored table of keys gives each new article its candidates with one indexed
look-up, at a cost per article independent of the archive's size. Candidates are then
compared exactly, on their whole shingle sets (`compare`).

Why not MinHash-LSH (datasketch): a MinHash estimates the Jaccard similarity of WHOLE
texts, so it finds versions but not a passage that is a fifth of one article (Jaccard
~0.1, below any usable LSH threshold); the mod-m sample finds both, and its estimate is
checked exactly anyway. bench/reprints.py measures the two side by side.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

SHINGLE_WORDS = 5
SAMPLE_MODULUS = 16
#: A candidate must share at least this many keys (one shared key is often chance:
#: a stock phrase).
MIN_COMMON_KEYS = 2
#: Versions: the shorter text lies this much inside the longer, and the longer this much
#: inside the shorter (an excerpt with "Read more" is a version; a quotation is not).
VERSION_MIN_SHARE_SHORTER = 0.8
VERSION_MIN_SHARE_LONGER = 0.5
#: A shared passage is at least this many shingles in common (about 40 words) ...
MIN_PASSAGE_SHINGLES = 36
#: ... and at least this share of one of the two texts.
MIN_PASSAGE_SHARE = 0.05

_WORD = re.compile(r"\w+")
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _mix(values):
    """splitmix64's finaliser: every bit of the result depends on every bit of the input,
    so the low bits (the modulo sample) are as good as any."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def shingles(text: str) -> np.ndarray:
    """The distinct shingle hashes of a text, as a sorted int64 array (signed: what a
    database's bigint holds). A text shorter than a shingle is one shingle."""
    tokens = words(text)
    if not tokens:
        return np.empty(0, dtype=np.int64)
    ids = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in tokens), dtype=np.uint64, count=len(tokens))
    width = min(SHINGLE_WORDS, len(ids))
    count = len(ids) - width + 1
    with np.errstate(over="ignore"):
        combined = np.zeros(count, dtype=np.uint64)
        for offset in range(width):
            combined = combined * _MULTIPLIER + ids[offset : offset + count]
        hashed = _mix(combined)
    return np.unique(hashed.view(np.int64))


def keys(shingle_hashes: np.ndarray) -> np.ndarray:
    """The sample of a shingle set that is stored and looked up."""
    return shingle_hashes[(shingle_hashes.view(np.uint64) % np.uint64(SAMPLE_MODULUS)) == 0]


@dataclass(frozen=True)
class Overlap:
    common: int  # shingles in common
    share_a: float  # of a's text, the part also in b (0..1)
    share_b: float
    similarity: float  # Jaccard of the two shingle sets

    @property
    def is_version(self) -> bool:
        shorter, longer = max(self.share_a, self.share_b), min(self.share_a, self.share_b)
        return shorter >= VERSION_MIN_SHARE_SHORTER and longer >= VERSION_MIN_SHARE_LONGER

    @property
    def is_shared_passage(self) -> bool:
        return (
            not self.is_version
            and self.common >= MIN_PASSAGE_SHINGLES
            and max(self.share_a, self.share_b) >= MIN_PASSAGE_SHARE
        )


def compare(a: np.ndarray, b: np.ndarray) -> Overlap:
    """Exact overlap of two shingle sets (as returned by `shingles`)."""
    if not len(a) or not len(b):
        return Overlap(0, 0.0, 0.0, 0.0)
    common = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - common
    return Overlap(common, common / len(a), common / len(b), common / union)
