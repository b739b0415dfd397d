"""Words of one family that stemming leaves apart. Porter's stemmer takes -ism off
("terrorism" is "terror") but not -ist, so "terror" found "terrorism" and missed
"terrorist" (issue 18). A plain lower-case query word also matches the -ist forms of its
family, and an -ist word its -ism form, when the archive holds the -ism form: an
ideology's family. "art" never widens to "artist": the archive writes no "artism"."""

from __future__ import annotations

from .name_spellings import KnownWords

_SUFFIXES = ("isms", "ism", "ists", "ist")
_MIN_ROOT = 4


def family(word: str, known: KnownWords | None) -> tuple[str, ...]:
    """The other words of `word`'s -ism/-ist family that the archive holds (`known`)."""
    if known is None or not word.isalpha() or not word.islower():
        return ()
    root = _root(word)
    if len(root) < _MIN_ROOT:
        return ()
    members = (f"{root}ism", f"{root}ist", f"{root}ists")
    held = known(members)
    if f"{root}ism" not in held:
        return ()
    return tuple(member for member in members if member in held and member != word)


def _root(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word
