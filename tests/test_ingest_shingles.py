"""Shingle hashes (sources.ingest.reprints) are stored in the database: their values must
never change. shingle_sequence reads a text's words chunk by chunk (between whitespace);
these tests pin the values and check that the chunks give the words of the whole text."""

import random
import re
import sys

import numpy as np
import pytest

from sources.ingest import reprints

PINNED = {
    "“Quoted,” said the Minister — in Dushanbe’s hall today.": [
        6128174112854240922, 73096120972895083, -7753993000591353969, -8373835177405256616, 4417584479300588919,
    ],
    "İstanbul STRASSE straße ſtraße Kelvin": [-7854749844040009110, -6500573780452885953],
    "Москва, 2019: ΣΊΣΥΦΟΣ 東京 a_b x\u0345y": [-4516364735299271956, 364056074943847016],
    "one": [-2762618209358416186],
    "": [],
    " \n\t ": [],
}


@pytest.mark.parametrize("text", PINNED)
def test_shingle_values_never_change(text):
    assert reprints.shingle_sequence(text).tolist() == PINNED[text]
    assert reprints.shingles(text).tolist() == sorted(set(PINNED[text]))


def test_no_word_runs_across_whitespace():
    """What makes reading chunk by chunk exact: every character str.split() cuts at stays
    itself under casefold() and is not a word character."""
    word = re.compile(r"\w")
    spaces = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]
    assert spaces and all(space.casefold() == space and not word.match(space) for space in spaces)


def _whole_text_sequence(text):
    """The definition: the words of the whole casefolded text, hashed as shingle_sequence does."""
    ids = np.array([reprints.zlib.crc32(word.encode("utf-8")) for word in reprints.words(text)], dtype=np.uint64)
    if not len(ids):
        return []
    width = min(reprints.SHINGLE_WORDS, len(ids))
    count = len(ids) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(width):
            combined = combined * reprints._MULTIPLIER + ids[offset : offset + count]
        return reprints._mix(combined).view(np.int64).tolist()


PIECES = ["the", "THE", "Dushanbe’s", "don't", "İ", "ß", "ſ", "K", "Σ", "ς", "\u0345", "\u0307", "e\u0301",
          "Москва", "東京", "a_b", "_", "2019", "١٢٣", "ﬁ", "—", "(", ").", " ", "  ", "\n\n", "\t", "\u00a0",
          "\u2028", "\u3000", "\x1c", "\u200b", "\ufeff"]


def test_same_as_the_whole_text_on_generated_texts():
    chance = random.Random(13)
    for _ in range(3000):
        text = "".join(chance.choice(PIECES) for _ in range(chance.choice([0, 1, 2, 5, 6, 9, 40])))
        sequence = reprints.Fingerprint.of(text)
        assert sequence.sequence.tolist() == _whole_text_sequence(text), repr(text)
        assert sequence.distinct.tolist() == sorted(set(sequence.sequence.tolist()))


def test_sorted_distinct_is_numpy_unique():
    chance = np.random.default_rng(13)
    for size in (0, 1, 2, 7, 500):
        values = chance.integers(-5, 5, size=size).astype(np.int64)
        assert np.array_equal(reprints.sorted_distinct(values), np.unique(values))
        assert reprints.sorted_distinct(values).dtype == np.int64
