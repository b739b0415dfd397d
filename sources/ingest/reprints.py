"""Fingerprints for versions (reprints) and shared passages. Pure Python + numpy, no Django.

An article's text becomes the set of its word 5-grams ("shingles"), each a 64-bit hash.
Words are case-folded runs of letters and digits, so straightened quotes, dashes and
punctuation do not change a shingle.

Finding candidates cheaply: of every article's shingles, the ones whose hash is 0 modulo
SAMPLE_MODULUS are its *keys* (Broder's mod-m sample). The sample is a fixed function
of the shingle, not of the document, so two texts that share a passage share the keys
inside it: a stored table of keys gives each new article its candidates with one indexed
look-up, at a cost per article independent of the archive's size. The most promising
candidates (`candidates`) are then compared exactly, on their whole shingles (`compare`).

Why not MinHash-LSH (datasketch): a MinHash estimates the Jaccard similarity of WHOLE
texts, so it finds versions but not a passage that is a fifth of one article (seed 000
quoting seed 004: Jaccard 0.09, below any usable LSH threshold); the mod-m sample finds
both. bench/reprints.py measures the two side by side: the same versions found (precision
1.0, recall 0.998 at 2,000 articles), at about the same cost per article (bench/RESULTS.md).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

SHINGLE_WORDS = 5
SAMPLE_MODULUS = 16
#: A key held by more articles than this is boilerplate (a stock phrase, a site's
#: footer): it gives no candidates.
MAX_KEY_POSTINGS = 50
#: A candidate must share at least this many keys (one shared key is often chance:
#: a stock phrase).
MIN_COMMON_KEYS = 2
#: Versions: the shorter text lies this much inside the longer, and the longer this much
#: inside the shorter (an excerpt with "Read more" is a version; a quotation is not).
VERSION_MIN_SHARE_SHORTER = 0.8
VERSION_MIN_SHARE_LONGER = 0.5
#: A shared passage is at least this many shingles in common (about 40 words), ...
MIN_PASSAGE_SHINGLES = 36
#: ... of which this many run on in one text (a quoted passage, not stock sentences
#: scattered through two articles), ...
MIN_PASSAGE_RUN = 40
#: ... and at least this share of one of the two texts.
MIN_PASSAGE_SHARE = 0.05

#: Which candidates are checked exactly: a possible version shares keys in about the
#: share its texts do (VERSION_KEY_SHARE of the fewer keys, with slack for the sample);
#: a possible passage shares MIN_PASSAGE_KEYS keys (~64 shingles). At most
#: MAX_CANDIDATES per article, those sharing the most keys first, so that the cost per
#: article stays bounded however often its sentences recur in the archive.
VERSION_KEY_SHARE = 0.5
MIN_PASSAGE_KEYS = 4
MAX_CANDIDATES = 10

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


class _ChunkIds(dict):
    """A whitespace-separated chunk of text ("Dushanbe’s", "(2019),") -> the crc32s of its
    words, packed as uint32 bytes, remembered: an archive's chunks repeat from text to
    text, and a hit is then a dict look-up in C, with no Python call and no regular
    expression over the chunk; a text's ids are then one bytes.join, read by numpy.

    Exact: a text's words are its chunks' words in order. str.split() cuts at the
    characters isspace() holds; none of them is a word character or changes under
    casefold(), and casefold() maps each character on its own, so no word runs across a
    cut (tests/test_ingest_shingles.py checks it over every code point)."""

    MAX_CHUNKS = 500_000

    def __missing__(self, chunk: str) -> bytes:
        if len(self) >= self.MAX_CHUNKS:
            self.clear()
        crcs = [zlib.crc32(word.encode("utf-8")) for word in words(chunk)]
        found = self[chunk] = np.array(crcs, dtype=np.uint32).tobytes()
        return found


_CHUNK_IDS = _ChunkIds()


def shingle_sequence(text: str) -> np.ndarray:
    """The shingle hashes of a text in its order, repeats kept (`shingles` is their set)."""
    packed = b"".join(map(_CHUNK_IDS.__getitem__, text.split()))
    ids = np.frombuffer(packed, dtype=np.uint32).astype(np.uint64)  # crc32s: < 2**32
    if not len(ids):
        return np.empty(0, dtype=np.int64)
    width = min(SHINGLE_WORDS, len(ids))
    count = len(ids) - width + 1
    with np.errstate(over="ignore"):
        combined = ids[:count].copy()  # the first word's ids (0 * _MULTIPLIER + ids)
        for offset in range(1, width):
            combined *= _MULTIPLIER
            combined += ids[offset : offset + count]
        hashed = _mix(combined)
    return hashed.view(np.int64)


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """np.unique(values) for a 1-d array, by a sort and a comparison of neighbours: the
    same sorted distinct values, several times faster than np.unique's hashing here."""
    ordered = np.sort(values)
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def shingles(text: str) -> np.ndarray:
    """The distinct shingle hashes of a text, as a sorted int64 array (signed: what a
    database's bigint holds). A text shorter than a shingle is one shingle."""
    return sorted_distinct(shingle_sequence(text))


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """A text's shingles in order and as a sorted set."""

    sequence: np.ndarray
    distinct: np.ndarray

    @cached_property
    def positions(self) -> np.ndarray:
        """For each shingle of the sequence, its index in distinct. Computed once, in the
        storing process, when a first run is measured (`_run_in`): at 10,000 articles,
        22,421 runs were measured on 2,796 Fingerprints (older articles are candidates
        again and again). 8 bytes a shingle, on those Fingerprints only."""
        return np.searchsorted(self.distinct, self.sequence)

    def __eq__(self, other):
        return isinstance(other, Fingerprint) and np.array_equal(self.sequence, other.sequence)

    __hash__ = None

    @classmethod
    def of(cls, text: str) -> "Fingerprint":
        sequence = shingle_sequence(text)
        return cls(sequence, sorted_distinct(sequence))


def candidates(common_keys: dict, key_counts: dict, own_keys: int) -> list:
    """Of the articles sharing keys with one article ({other: keys in common}), the ones
    worth an exact comparison, most promising first (see VERSION_KEY_SHARE)."""
    worth = [
        other
        for other, common in common_keys.items()
        if common >= MIN_COMMON_KEYS
        and (common >= MIN_PASSAGE_KEYS or common >= VERSION_KEY_SHARE * min(own_keys, key_counts.get(other, 0)))
    ]
    worth.sort(key=lambda other: (-common_keys[other], other))
    return worth[:MAX_CANDIDATES]


def keys(shingle_hashes: np.ndarray) -> np.ndarray:
    """The sample of a shingle set that is stored and looked up."""
    return shingle_hashes[(shingle_hashes.view(np.uint64) % np.uint64(SAMPLE_MODULUS)) == 0]


@dataclass(frozen=True)
class Overlap:
    common: int  # shingles in common
    share_a: float  # of a's text, the part also in b (0..1)
    share_b: float
    similarity: float  # Jaccard of the two shingle sets
    longest_run: int = 0  # the most consecutive shingles of a that are all in b

    @property
    def is_version(self) -> bool:
        shorter, longer = max(self.share_a, self.share_b), min(self.share_a, self.share_b)
        return shorter >= VERSION_MIN_SHARE_SHORTER and longer >= VERSION_MIN_SHARE_LONGER

    @property
    def is_shared_passage(self) -> bool:
        return (
            not self.is_version
            and self.common >= MIN_PASSAGE_SHINGLES
            and self.longest_run >= MIN_PASSAGE_RUN
            and max(self.share_a, self.share_b) >= MIN_PASSAGE_SHARE
        )


def compare(a, b) -> Overlap:
    """Exact overlap of two texts' shingles: Fingerprints, or sets as `shingles` returns
    them (then without the longest run)."""
    a_set, b_set = (x.distinct if isinstance(x, Fingerprint) else x for x in (a, b))
    if not len(a_set) or not len(b_set):
        return Overlap(0, 0.0, 0.0, 0.0)
    common_set = np.intersect1d(a_set, b_set, assume_unique=True)
    overlap = _overlap(len(common_set), len(a_set), len(b_set))
    if isinstance(a, Fingerprint) and not overlap.is_version and overlap.common >= MIN_PASSAGE_SHINGLES:
        # Only a possible passage needs its run (the costlier part of a comparison).
        overlap = replace(overlap, longest_run=_run_in(a, common_set))
    return overlap


def compare_both_ways(a: Fingerprint, b: Fingerprint) -> Overlap:
    """`compare` for detection, where a passage may run on in b and be broken up in a:
    its longest_run is the longer of a's run in b and b's run in a (one intersection
    serves both). The run is measured only where it decides is_shared_passage, which
    needs every other condition too: it stays 0 for a pair that cannot be a passage
    anyway (a version, too few shingles in common, too small a share of both texts),
    and b's run is not measured once a's reaches MIN_PASSAGE_RUN."""
    if not len(a.distinct) or not len(b.distinct):
        return Overlap(0, 0.0, 0.0, 0.0)
    common_set = np.intersect1d(a.distinct, b.distinct, assume_unique=True)
    overlap = _overlap(len(common_set), len(a.distinct), len(b.distinct))
    if (
        overlap.is_version
        or overlap.common < MIN_PASSAGE_SHINGLES
        or max(overlap.share_a, overlap.share_b) < MIN_PASSAGE_SHARE
    ):
        return overlap
    run = _run_in(a, common_set)
    if run < MIN_PASSAGE_RUN:
        run = max(run, _run_in(b, common_set))
    return replace(overlap, longest_run=run)


def _overlap(common: int, a_size: int, b_size: int) -> Overlap:
    return Overlap(common, common / a_size, common / b_size, common / (a_size + b_size - common))


def _run_in(a: Fingerprint, common_set: np.ndarray) -> int:
    """The most consecutive shingles of a that the other text holds too: those in the two
    texts' common set (a subset of a's distinct shingles). Flagging a's distinct shingles
    and reading the flags through a.positions is exact (a.distinct[a.positions] is
    a.sequence) and much cheaper than searching a's whole sequence in a set for each pair."""
    in_common = np.zeros(len(a.distinct), dtype=bool)
    in_common[np.searchsorted(a.distinct, common_set)] = True
    return _longest_run(in_common[a.positions])


def _longest_run(flags: np.ndarray) -> int:
    """The length of the longest run of True: the widest gap between two False, counting
    one before the first flag and one after the last."""
    bounds = np.concatenate(([-1], np.flatnonzero(~flags), [len(flags)]))
    return int((bounds[1:] - bounds[:-1]).max()) - 1
