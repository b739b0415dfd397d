"""Other spellings of a name typed in a search: the same name in the other script and in
the usual transliteration schemes (Халимов = Halimov = Khalimov; Dushanbe = Душанбе;
Jalilov = Dzhalilov, Kasymov = Kasimov, Tourajonzoda = Turajonzoda).

The scripts are libraries' work: cyrtranslit writes a Latin name in Russian Cyrillic,
iuliia writes a Cyrillic name in the schemes an English, Russian or Uzbek text may have
used (BGN/PCGN, Wikipedia, the passport schemes, the informal one of messengers, Uzbek
Latin). A Latin name goes to Cyrillic and back through those schemes, which is how Halimov
meets Khalimov. The Latin spellings the schemes do not write (dzh/j, ou/u, y/i, -ev/-ov)
are written by rule (name_variants.py).

Only names are varied: capitalised words that are no ordinary English word ("Court",
"Young" and "Now" keep their one spelling), never acronyms (the alias table's business).
Where the engine can say which words its archive holds (`known`), a Latin spelling is
searched only when the archive holds it and it is no English word ("Cup" is no other
spelling of "Coup"): the rules write dozens of candidates for a long name, nearly all of
them no word at all. A Cyrillic name is searched in those of its case forms that the
archive holds (Джалилов, Джалилова): Russian stemming cuts the nominative of a surname
to another stem than its other cases ("джалилов" to "джалил", "джалилова" to
"джалилов") and a short name to a common word ("Наим" to "на", found in every Russian
article). Without that list the schemes' spellings are searched as they are and the
rules' are not.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterable

import cyrtranslit
import iuliia

from . import name_variants
from .ingest.russian_names import case_forms

SCHEMES = (iuliia.BGN_PCGN, iuliia.WIKIPEDIA, iuliia.ICAO_DOC_9303, iuliia.MVD_782,
           iuliia.TELEGRAM, iuliia.UZ)
MAX_VARIANTS = 12
_LATIN_NAME = re.compile(r"[A-Z][a-z']{2,39}")
_CYRILLIC_NAME = re.compile(r"[А-ЯЁ][а-яё]{2,39}")
_PLAIN_LATIN = re.compile(r"[A-Za-z']+")
_LATIN_READINGS = (("kh", "h"), ("j", "dzh"), ("ou", "u"))

#: Which of some lowercase words the archive holds (engine.extensions: known_words).
KnownWords = Callable[[Iterable[str]], set]


def spellings(word: str, known: KnownWords | None = None) -> tuple[str, ...]:
    """The other spellings of `word` when it is a name (capitalised, one script), else ()."""
    found = () if name_variants.is_english_word(word) else _scheme_spellings(word)
    if known is None or not found:
        return found[:MAX_VARIANTS]
    cyrillic = [w for w in (word, *found) if _CYRILLIC_NAME.fullmatch(w)]
    latin = _latin_candidates(word, tuple(w for w in found if w not in cyrillic))
    forms = [form for w in cyrillic for form in case_forms(w)]
    held = known([*latin, *(form.lower() for form in forms)])
    russian = [form for form in forms if form.lower() in held and form != word]
    latin = [w.capitalize() for w in latin if w in held]
    return tuple([*russian, *latin][:MAX_VARIANTS])


@functools.lru_cache(maxsize=4096)
def _scheme_spellings(word):
    """The name in the other script and in the schemes' Latin spellings, `word` excluded."""
    if _CYRILLIC_NAME.fullmatch(word):
        cyrillic = word
    elif _LATIN_NAME.fullmatch(word):
        cyrillic = _to_cyrillic(word)
    else:
        return ()
    latin = [scheme.translate(cyrillic) for scheme in SCHEMES]
    found = [cyrillic, *(w for w in latin if _PLAIN_LATIN.fullmatch(w))]
    return tuple(w for w in dict.fromkeys(found) if w.casefold() != word.casefold())


def _to_cyrillic(word):
    """A Latin name in Russian Cyrillic, read as the region's names are written in English:
    "kh" is one letter (х), "j" is дж (Jalilov = Джалилов, Khujand = Худжанд) and "ou" is
    у (Tourajonzoda), where cyrtranslit writes кх, ж and оу. Lowercase in, because
    cyrtranslit leaves a capitalised digraph ("Sh") in Latin letters."""
    lower = word.lower()
    for written, read in _LATIN_READINGS:
        lower = lower.replace(written, read)
    return cyrtranslit.to_cyrillic(lower, "ru").capitalize()


@functools.lru_cache(maxsize=4096)
def _latin_candidates(word, scheme_latin):
    """Lowercase Latin spellings to look up: the schemes' and the rules' on them and on a
    Latin `word`, none of them an English word."""
    sources = [word, *scheme_latin] if _LATIN_NAME.fullmatch(word) else list(scheme_latin)
    out = dict.fromkeys(w.lower() for w in scheme_latin)
    for source in sources:
        out.update(dict.fromkeys(name_variants.candidates(source)))
    out.pop(word.lower(), None)
    return tuple(w for w in out if not name_variants.is_english_word(w))
