"""Count the countries and organisations an article mentions.

Matching rules:

* Whole words and phrases only; at each position the longest alias wins, and
  matches never overlap. A country named inside an organisation's name is part
  of that name, not a mention of the country: "Islamic Movement of Uzbekistan"
  counts the organisation only, "Kyrgyz Ministry of the Interior" counts the
  ministry only. The organisation record carries its country for that link.
* Acronyms (aliases without lower-case letters, or short mixed-case ones such as
  "HuT") match case-sensitively; other names match whatever their case, except
  that every capitalised word of the alias must be capitalised in the text
  ("Turkey" but not "turkey", "The Diplomat" but not "the diplomat").
  Hyphens and spaces are interchangeable ("Hizb-ut-Tahrir" = "Hizb ut Tahrir").
* Aliases that are also common English words when written in capitals ("IS",
  "US") only count where their neighbours are not all-capital words, so a
  shouted headline ("WHAT IS NEXT") is not the Islamic State.
* A multi-word organisation name after "a"/"an" is a common noun phrase
  ("an Islamic state"), not the organisation.
* Countries that are also personal names ("Jordan", "Chad") do not count when
  a capitalised name-like word sits directly next to them ("Jordan Peterson",
  "Michael Jordan").
* A few phrases that contain a country word but mean something else
  ("Latin American", "New Mexico", "East Turkestan") are consumed without counting.
  "Turkic" never matches "Turk" because matching is by whole word.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from .gazetteer import Gazetteer


@dataclass(frozen=True)
class Hit:
    """One mention, where it stands in the text searched: what country_weight reads."""
    kind: str  # "country" or "organisation"
    target: str  # ISO code or canonical organisation name
    start: int
    end: int
    surface: str  # the alias that matched, as the gazetteer writes it


@dataclass
class Entities:
    countries: dict[str, int] = field(default_factory=dict)  # ISO code -> mentions
    organisations: dict[str, int] = field(default_factory=dict)  # canonical name -> mentions
    hits: list[Hit] = field(default_factory=list)  # every mention counted, in text order


# Phrases that contain a country word but do not mention that country.
NON_COUNTRY_PHRASES = [
    "Latin America", "Latin American", "Latin Americans", "South America", "South American",
    "South Americans", "Central America", "Central American", "North America",
    "North American", "Native American", "Native Americans", "New Mexico", "New Jersey",
    "New South Wales", "New England", "North Pole", "South Pole", "Indian Ocean",
    "East Turkestan", "Eastern Turkestan", "East Turkistan", "Jordan River", "Jordan Valley",
    "Turkish delight", "Guinea pig", "Russian roulette", "French fries",
]
# Capitalised English words that may stand next to a country without being part of a name.
FUNCTION_WORDS = {
    "a", "an", "the", "in", "into", "from", "to", "of", "and", "or", "but", "with", "for",
    "by", "on", "at", "as", "both", "neighbouring", "neighboring", "including", "like",
    "via", "across", "against", "between", "than", "while", "when", "after", "before",
    "king", "kingdom", "queen", "hashemite", "republic", "government", "president",
    "minister", "north", "south", "east", "west", "northern", "southern", "eastern",
    "western", "central", "central-asian", "said", "says", "also", "is", "was", "has",
}
PERSON_NAME_COUNTRIES = {"jordan", "chad"}
# Aliases that are ordinary English words when written in capitals.
WORDLIKE_ACRONYMS = {"IS", "US", "IT", "AS", "AT", "ON", "OR", "NO", "IN", "AN", "AM", "BE", "DO", "GO", "HE", "ME", "MY", "SO", "TO", "UP", "WE"}
NAME_PARTICLES = {"al", "el", "ul", "ut", "an", "ad", "as", "ash", "at", "wal", "bin", "ibn", "abu", "e", "i", "de", "of", "the", "and", "for", "in"}

SEPARATOR = r"[\s\-‐–]+"
SEPARATOR_RE = re.compile(SEPARATOR)
TOKEN = re.compile(r"\w+")
PREVIOUS_WORD = re.compile(r"(\w[\w'’.\-]*) $")
NEXT_WORD = re.compile(r" (\w[\w'’\-]*)")


@dataclass(frozen=True)
class _Alias:
    surface: str  # the alias as written in the gazetteer
    kind: str  # "country", "organisation" or "ignore"
    target: str  # ISO code or canonical organisation name
    case_sensitive: bool
    pattern: re.Pattern
    # Which context rules apply (see _acceptable), decided once when the index is built.
    wordlike: bool = False  # an acronym that is also an English word in capitals ("IS")
    common_noun_phrase: bool = False  # an organisation of several words ("Islamic State")
    personal_name: bool = False  # a country that is also a first or last name ("Jordan")


def find_entities(text: str, gazetteer: Gazetteer) -> Entities:
    index = _index_for(gazetteer)
    countries: Counter[str] = Counter()
    organisations: Counter[str] = Counter()
    hits: list[Hit] = []
    covered_until = 0
    by_first_word = index.by_first_word
    for token in TOKEN.finditer(text):
        # Most words start no alias: that test first.
        entry = by_first_word.get(token.group().casefold())
        if entry is None or token.start() < covered_until:
            continue
        # One C-level match of all these aliases at once rules out most positions
        # ("the" starts "The Diplomat" but is rarely followed by it).
        any_alias, candidates = entry
        found = any_alias.match(text, token.start())
        if found is None:
            continue
        match = _best_match(text, found, candidates)
        if match is None:
            continue
        alias, end = match
        covered_until = end
        if alias.kind == "ignore":
            continue
        (countries if alias.kind == "country" else organisations)[alias.target] += 1
        hits.append(Hit(alias.kind, alias.target, token.start(), end, alias.surface))
    return Entities(countries=dict(countries), organisations=dict(organisations), hits=hits)


def _best_match(text: str, found: re.Match, candidates: list[_Alias]) -> tuple[_Alias, int] | None:
    """The longest candidate alias that matches where `found` (the match of their _any_of
    pattern) starts and passes the context rules."""
    # The alternation tries the aliases in order, so its group is the first alias that
    # matches here, and its end is that alias's own match's: the aliases before it do not
    # match, and need not be tried again.
    first = found.lastindex - 1
    if _acceptable(text, candidates[first], found.start(), found.end()):
        return candidates[first], found.end()
    for alias in candidates[first + 1:]:
        match = alias.pattern.match(text, found.start())
        if match and _acceptable(text, alias, match.start(), match.end()):
            return alias, match.end()
    return None


# --- context rules ------------------------------------------------------------

def _acceptable(text: str, alias: _Alias, start: int, end: int) -> bool:
    if alias.kind == "ignore":
        return True
    if not alias.case_sensitive and not _capitals_agree(alias.surface, text[start:end]):
        return False
    if alias.wordlike and _next_to_capitals(text, start, end):
        return False
    if alias.common_noun_phrase and _after_indefinite_article(text, start):
        return False
    if alias.personal_name:
        return not _next_to_personal_name(text, start, end)
    return True


def _make_alias(surface: str, kind: str, target: str, case_sensitive: bool) -> _Alias:
    return _Alias(
        surface, kind, target, case_sensitive, _alias_pattern(surface, case_sensitive),
        wordlike=surface in WORDLIKE_ACRONYMS,
        common_noun_phrase=kind == "organisation" and " " in surface.strip(),
        personal_name=kind == "country" and surface.casefold() in PERSON_NAME_COUNTRIES,
    )


@functools.lru_cache(maxsize=4096)  # the same names recur, in article after article
def _capitals_agree(alias: str, matched: str) -> bool:
    """Every capitalised word of the alias (except particles such as "al") is capitalised in the
    text; in a name of three words or more only the first must be ("East Turkestan Islamic
    movement"): such a phrase is the name whatever the case of its later words."""
    alias_words = SEPARATOR_RE.split(alias)
    text_words = SEPARATOR_RE.split(matched)
    if len(alias_words) >= 3:
        alias_words, text_words = alias_words[:1], text_words[:1]
    for alias_word, text_word in zip(alias_words, text_words):
        if alias_word[:1].isupper() and alias_word.casefold() not in NAME_PARTICLES:
            if not text_word[:1].isupper():
                return False
    return True


def _previous_word(text: str, start: int) -> str:
    """The word directly before `start`, separated by a single space only (no punctuation)."""
    match = PREVIOUS_WORD.search(text[max(0, start - 40):start])
    return match.group(1) if match else ""


def _next_word(text: str, end: int) -> str:
    match = NEXT_WORD.match(text[end:end + 40])
    return match.group(1) if match else ""


def _is_all_caps_word(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _next_to_capitals(text: str, start: int, end: int) -> bool:
    return _is_all_caps_word(_previous_word(text, start)) or _is_all_caps_word(_next_word(text, end))


def _after_indefinite_article(text: str, start: int) -> bool:
    return _previous_word(text, start).casefold() in {"a", "an"}


def _looks_like_personal_name(word: str) -> bool:
    return (
        len(word) >= 2
        and word[0].isupper()
        and not _is_all_caps_word(word)
        and word.casefold().strip(".") not in FUNCTION_WORDS
    )


def _next_to_personal_name(text: str, start: int, end: int) -> bool:
    return _looks_like_personal_name(_previous_word(text, start)) or _looks_like_personal_name(
        _next_word(text, end)
    )


# --- index ------------------------------------------------------------------

def prepare(gazetteer: Gazetteer) -> None:
    """Build (and cache) the matching index for this gazetteer now, e.g. in a worker."""
    _index_for(gazetteer)


@dataclass
class _Index:
    # casefolded first word -> (a pattern matching where any of its aliases matches,
    # the aliases longest first)
    by_first_word: dict[str, tuple[re.Pattern, list[_Alias]]]


_INDEX_CACHE: dict[tuple, _Index] = {}
# The last gazetteer object seen and its index: building the content key walks the whole
# gazetteer, which cost as much as the entity search itself on a 600-word article.
_LAST: tuple[Gazetteer, _Index] | None = None


def _index_for(gazetteer: Gazetteer) -> _Index:
    """Aliases grouped by their first word, longest first; cached per gazetteer content."""
    global _LAST
    last = _LAST
    if last is not None and last[0] is gazetteer:
        return last[1]
    key = (
        tuple((c.code, c.name, tuple(c.aliases)) for c in gazetteer.countries),
        tuple((o.name, tuple(o.aliases)) for o in gazetteer.organisations),
    )
    if key not in _INDEX_CACHE:
        if len(_INDEX_CACHE) > 8:
            _INDEX_CACHE.clear()
        _INDEX_CACHE[key] = _build_index(gazetteer)
    _LAST = (gazetteer, _INDEX_CACHE[key])
    return _INDEX_CACHE[key]


def _build_index(gazetteer: Gazetteer) -> _Index:
    return _Index({
        first: (_any_of(candidates), candidates)
        for first, candidates in _build_first_word_index(gazetteer).items()
    })


def _any_of(aliases: list[_Alias]) -> re.Pattern:
    """A pattern that matches at a position exactly when one of the aliases' own patterns
    does (each alternative keeps its alias's case sensitivity); group i + 1 is aliases[i]
    (their patterns have no groups of their own)."""
    alternatives = []
    for alias in aliases:
        flags = "((?i:" if alias.pattern.flags & re.IGNORECASE else "((?-i:"
        alternatives.append(flags + alias.pattern.pattern + "))")
    return re.compile("|".join(alternatives))


def _build_first_word_index(gazetteer: Gazetteer) -> dict[str, list[_Alias]]:
    aliases: list[_Alias] = []
    seen: set[tuple[str, bool]] = set()

    def add(surface: str, kind: str, target: str) -> None:
        surface = surface.strip()
        if not surface or not TOKEN.search(surface):
            return
        case_sensitive = is_acronym(surface)
        # Aliases differing only in capitals are kept apart: "Islamic state" allows a
        # lower-case "state" where "Islamic State" does not.
        key = (surface, case_sensitive)
        if key in seen:
            return  # the first owner of an alias keeps it
        seen.add(key)
        aliases.append(_make_alias(surface, kind, target, case_sensitive))

    # Organisations first: their names are the longer, more specific phrases.
    for organisation in gazetteer.organisations:
        for surface in [organisation.name, *organisation.aliases]:
            add(surface, "organisation", organisation.name)
    for phrase in NON_COUNTRY_PHRASES:
        add(phrase, "ignore", "")
    for country in gazetteer.countries:
        for surface in [country.name, *country.aliases]:
            add(surface, "country", country.code)

    index: dict[str, list[_Alias]] = {}
    for alias in aliases:
        first = TOKEN.search(alias.surface).group().casefold()
        index.setdefault(first, []).append(alias)
    for candidates in index.values():
        candidates.sort(key=lambda a: len(a.surface), reverse=True)
    return index


def is_acronym(alias: str) -> bool:
    """ISIS, U.S., RFE/RL, and short mixed-case abbreviations like HuT or LeT."""
    letters = [ch for ch in alias if ch.isalpha()]
    if not letters or " " in alias:
        return False
    if not any(ch.islower() for ch in letters):
        return True
    capitals_after_first = sum(1 for ch in letters[1:] if ch.isupper())
    return len(letters) <= 4 and capitals_after_first >= 1


def _alias_pattern(alias: str, case_sensitive: bool) -> re.Pattern:
    parts = re.split(r"[\s\-‐–]+", alias)
    escaped = [re.sub(r"['’]", lambda _: "['’]", re.escape(part)) for part in parts if part]
    body = SEPARATOR.join(escaped)
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"{body}(?!\w)", flags)
