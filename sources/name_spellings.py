"""Other spellings of a name typed in a search: the same name in the other script and in
the usual transliteration schemes (Халимов = Halimov = Khalimov; Dushanbe = Душанбе).

Both directions are libraries' work: cyrtranslit writes a Latin name in Russian Cyrillic,
iuliia writes a Cyrillic name in the schemes an English, Russian or Uzbek text may have
used (BGN/PCGN, Wikipedia, the passport schemes, the informal one of messengers, Uzbek
Latin). A
Latin name goes to Cyrillic and back through those schemes, which is how Halimov meets
Khalimov. Only capitalised words are varied (names, not "border"), never acronyms (the
alias table's business), and a variant is just another word to look for: one the archive
does not hold costs a term look-up and finds nothing.
"""

from __future__ import annotations

import functools
import re

import cyrtranslit
import iuliia

SCHEMES = (iuliia.BGN_PCGN, iuliia.WIKIPEDIA, iuliia.ICAO_DOC_9303, iuliia.MVD_782,
           iuliia.TELEGRAM, iuliia.UZ)
MAX_VARIANTS = 8
_LATIN_NAME = re.compile(r"[A-Z][a-z']{2,39}")
_CYRILLIC_NAME = re.compile(r"[А-ЯЁ][а-яё]{2,39}")
_PLAIN_LATIN = re.compile(r"[A-Za-z']+")


@functools.lru_cache(maxsize=4096)
def spellings(word: str) -> tuple[str, ...]:
    """The other spellings of `word` when it is a name (capitalised, one script), else ()."""
    if _CYRILLIC_NAME.fullmatch(word):
        cyrillic = word
    elif _LATIN_NAME.fullmatch(word):
        # "kh" is one letter (х) in every scheme iuliia writes; cyrtranslit reads it as two.
        cyrillic = cyrtranslit.to_cyrillic(word.replace("Kh", "H").replace("kh", "h"), "ru")
    else:
        return ()
    latin = [scheme.translate(cyrillic) for scheme in SCHEMES]
    found = [cyrillic, *(w for w in latin if _PLAIN_LATIN.fullmatch(w))]
    others = [w for w in dict.fromkeys(found) if w.casefold() != word.casefold()]
    return tuple(others[:MAX_VARIANTS])
