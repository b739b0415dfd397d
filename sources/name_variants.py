"""Latin spellings of one transliterated name that the transliteration libraries' schemes
do not write (Jalilov = Dzhalilov, Tourajonzoda = Turajonzoda, Kasymov = Kasimov,
Gorbachev = Gorbachov, Aliyev = Aliev): written by rule, as candidates only.

Most candidates are no word at all ("Dzhudge"), and some are other English words ("Cup"
gives "Coup"), so the search keeps a candidate only when the archive's own vocabulary
holds it and neither it nor the typed word is an English word (name_spellings.py).
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
from english_words import get_english_words_set

#: Letters a Russian-to-English scheme may write either way (French-style "ou" for у,
#: "j" for дж, "h" for х, "i" or "y" for и, ы, й). A digraph of its own is kept whole.
SWAPS = {"dzh": ("j",), "j": ("dzh",), "kh": ("h",), "h": ("kh",), "ou": ("u",), "u": ("ou",),
         "y": ("i",), "i": ("y",)}
UNCHANGED = ("sh", "ch", "zh", "ts")
#: Endings of one name across schemes: -ев after a vowel is -yev or -ev; -ёв is -ev or -ov.
ENDINGS = (("yev", "ev", "ov"), ("yeva", "eva", "ova"))
#: Changes in one candidate, and candidates of one word: a long name has many places
#: that may change, and the combinations of all of them would be thousands of look-ups.
MAX_CHANGES = 2
MAX_CANDIDATES = 64


@functools.lru_cache(maxsize=4096)
def candidates(word: str) -> tuple[str, ...]:
    """Lowercase spellings of `word` by the rules, fewest changes first, `word` excluded."""
    lower = word.lower()
    stem, ending_choices = _split_ending(lower)
    places = [*_places(stem), ending_choices]
    changeable = [n for n, choices in enumerate(places) if len(choices) > 1]
    out = dict.fromkeys(
        spelling
        for changes in range(1, MAX_CHANGES + 1)
        for changed in itertools.combinations(changeable, changes)
        for spelling in _spellings(places, changed)
    )
    out.pop(lower, None)
    return tuple(out)[:MAX_CANDIDATES]


def _split_ending(lower):
    """(stem, (ending, its other spellings...)), or (word, ("",)) when it has none of them."""
    for group in ENDINGS:
        for ending in sorted(group, key=len, reverse=True):
            if lower.endswith(ending) and len(lower) > len(ending) + 1:
                return lower[: -len(ending)], (ending, *(e for e in group if e != ending))
    return lower, ("",)


def _places(stem):
    """The stem as a list of choices: (as written, other spellings...) per piece."""
    pieces, i = [], 0
    while i < len(stem):
        kept = next((d for d in UNCHANGED if stem.startswith(d, i)), None)
        swap = next((s for s in sorted(SWAPS, key=len, reverse=True) if stem.startswith(s, i)), None)
        piece = kept or swap or stem[i]
        pieces.append((piece, *SWAPS[piece]) if piece == swap and not kept else (piece,))
        i += len(piece)
    return pieces


def _spellings(places, changed):
    """Every spelling with the places in `changed` spelt another way, the others as written."""
    options = [choices[1:] if n in changed else choices[:1] for n, choices in enumerate(places)]
    for parts in itertools.product(*options):
        yield "".join(parts)


def is_english_word(word: str) -> bool:
    """True when a dictionary of English spells `word` in lowercase: an ordinary word
    ("court", "young"), not a name (Webster's capitalises its few names: "Uighur" is none)."""
    hashes = _english_word_hashes()
    wanted = hash(word.lower())
    at = int(np.searchsorted(hashes, wanted))
    return at < len(hashes) and int(hashes[at]) == wanted


def load_dictionary() -> None:
    """Load the dictionary is_english_word reads, now rather than at its first use."""
    _english_word_hashes()


@functools.cache
def _english_word_hashes():
    """The sorted hashes of the dictionary's lowercase words: a set of its 210,000 words
    kept 30 MB in every server process, their hashes take 1.7 MB (a false match of two
    64-bit hashes is a chance of about one in 10^14 per word looked up)."""
    words = get_english_words_set(["web2"], lower=False, alpha=True)
    return np.unique(np.fromiter((hash(w) for w in words if w.islower()), dtype=np.int64))
