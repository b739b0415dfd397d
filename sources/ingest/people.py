"""Count the people an article names.

A name is found in two ways:

* The gazetteer: a curated person's name or other name (spellings, transliterations, a
  famous bare surname such as "Rahmon"), matched against whole runs of capitalised words,
  the longest first.
* Rules, for the names the gazetteer lacks: two to four capitalised name words introduced
  by a title or a role ("Interior Minister Ramazon Rahimzoda", "journalist Ilhomjon
  Yaqubov", "a national called Abdulkadir Masharipov") or quoted as a speaker ("says
  Edward Lemon", "Edward Lemon said", "Edward Lemon, a fellow at ...", "Edward Lemon, who").
  Once found, the name counts wherever the article repeats it.

Precision first: a word that names a country or an organisation, a month, a weekday, a
title, an institution ("Court", "Radio") or an ordinary word the same article also writes
in lower case is never part of a new name, so "Tajik Interior Ministry said" or "in January
Dushanbe" never make a person. A bare surname counts only for a person whose full name the
article gave before it, or a gazetteer person known by the surname alone, and not where
another given name stands before it ("Rustam Karimov" is not Islam Karimov).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from .gazetteer import Gazetteer

PARTICLES = {"al", "el", "ul", "ud", "ad", "ash", "bin", "ibn", "abu", "de", "van", "von", "der", "da", "di", "la", "le"}
_PARTICLE = "|".join(sorted(PARTICLES, key=len, reverse=True))
# A run of words that start with anything but an ASCII lower-case letter (so capitalised
# Latin and Cyrillic words, checked one by one afterwards), single spaces between them, a
# lower-case particle allowed inside ("Abu Bakr al-Baghdadi").
_WORD = r"[^\W\d_a-z][\w'’‐-]*"
RUN = re.compile(rf"(?<![\w'’‐-]){_WORD}(?:[ \u00a0](?:(?:{_PARTICLE})[ \u00a0‐-])?{_WORD})*")
SPLIT = re.compile(r"[ \u00a0]+")
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
LOWER_WORD = re.compile(r"(?<![\w'’‐-])[a-zа-яё][\w'’‐-]*")
SEPARATORS = re.compile(r"[\s‐-]+")

TITLES = {
    "president", "vice-president", "minister", "premier", "chairman", "chairwoman", "chair",
    "speaker", "ambassador", "envoy", "governor", "mayor", "senator", "deputy", "prosecutor",
    "prosecutor-general", "judge", "general", "gen", "colonel", "col", "lieutenant", "lt",
    "major", "maj", "captain", "capt", "commander", "sergeant", "admiral", "marshal",
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "imam",
    "sheikh", "shaykh", "eishan", "ishan", "mullah", "mufti", "ayatollah", "emir", "amir", "king", "queen",
    "prince", "princess", "sultan", "pope", "father", "rev", "reverend", "director",
    "secretary", "secretary-general", "spokesman", "spokeswoman", "spokesperson",
    "head", "chief", "leader", "founder", "researcher", "analyst", "journalist", "editor",
    "correspondent", "lawyer", "attorney", "activist", "blogger", "writer", "poet",
    "scholar", "expert", "professor", "cleric", "preacher", "commissioner", "official",
    "ombudsman", "mp", "chancellor", "rector", "dean", "coach", "militant", "recruiter",
}
# Words that only qualify a title ("First Deputy Prime Minister", "Interior Minister").
QUALIFIERS = {
    "first", "vice", "prime", "former", "ex", "acting", "late", "then", "deputy", "senior",
    "chief", "supreme", "foreign", "interior", "defence", "defense", "justice", "finance",
    "economy", "energy", "labour", "labor", "education", "health", "culture", "security",
    "emergency", "emergencies", "state", "national", "general", "attorney", "grand",
    "press", "special", "assistant", "associate", "executive", "managing", "party",
}
# Nouns that name institutions, places and titles of works, never a person's name.
INSTITUTIONS = {
    "ministry", "committee", "council", "court", "office", "service", "agency", "party",
    "movement", "front", "union", "organization", "organisation", "group", "institute",
    "university", "college", "academy", "school", "centre", "center", "foundation", "fund",
    "bank", "company", "corporation", "radio", "television", "tv", "news", "press", "times",
    "post", "journal", "daily", "weekly", "monitor", "review", "gazette", "gazeta", "herald",
    "tribune", "telegraph", "guardian", "observer", "mirror", "express", "network", "media",
    "house", "palace", "parliament", "assembly", "senate", "congress", "government",
    "administration", "police", "army", "forces", "force", "guard", "brigade", "battalion",
    "jamaat", "region", "province", "oblast", "district", "city", "village", "valley",
    "river", "lake", "mountains", "street", "square", "airport", "prison", "mosque",
    "church", "embassy", "consulate", "mission", "program", "programme", "project",
    "initiative", "report", "law", "code", "act", "treaty", "accord", "agreement",
    "declaration", "war", "revolution", "republic", "kingdom", "emirate", "federation",
    "state", "states", "nations", "islamic", "islam", "muslim", "muslims", "christian",
    "soviet", "communist", "democratic", "liberal", "social", "central", "eastern",
    "western", "northern", "southern", "middle", "east", "west", "north", "south", "asia",
    "asian", "europe", "european", "africa", "african", "america", "american", "caucasus",
    "internet", "facebook", "twitter", "telegram", "youtube", "instagram", "whatsapp",
    "google", "wikipedia", "st", "saint", "mount", "lake", "fort", "port", "new", "old",
}
CALENDAR = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "today", "yesterday", "tomorrow", "ramadan", "eid",
}
FUNCTION_WORDS = {
    "a", "an", "the", "this", "that", "these", "those", "in", "on", "at", "of", "for", "to",
    "from", "by", "with", "and", "or", "but", "if", "when", "while", "after", "before",
    "as", "since", "until", "though", "although", "because", "so", "yet", "he", "she", "it",
    "we", "they", "i", "you", "his", "her", "its", "their", "our", "my", "your", "there",
    "here", "what", "who", "whom", "which", "where", "why", "how", "all", "some", "many",
    "most", "more", "both", "each", "every", "no", "not", "one", "two", "three", "also",
    "however", "meanwhile", "moreover", "according", "despite", "during", "under", "over",
    "about", "against", "between", "among", "into", "through", "without", "within",
    "later", "earlier", "now", "still", "even", "only", "just", "instead", "indeed", "thus",
    "again", "once", "soon", "recently", "previously", "finally", "next", "perhaps", "yes",
    "nevertheless", "otherwise", "unlike", "whether", "unless", "asked", "told", "says", "said",
    "mr.", "is", "was", "are", "were", "be", "has", "have", "had", "will", "would", "can",
}
NEVER_IN_A_NAME = TITLES | QUALIFIERS | INSTITUTIONS | CALENDAR | FUNCTION_WORDS
# Lower-case words that introduce the name right after them.
ROLE_NOUNS = TITLES | {"called", "named", "citizen", "national", "resident", "member", "son",
                       "daughter", "wife", "husband", "brother", "sister", "widow", "by"}
SPEECH_BEFORE = re.compile(r"(?:\b(?:says|said|told|tells|asks|asked|adds|added|writes|wrote|"
                           r"explains|explained|according to|quoted|quoting|interviewed|met)) $")
SPEECH_AFTER = re.compile(r" (?:says|said|told|tells|added|adds|wrote|writes|explained|explains|"
                          r"noted|notes|argued|argues|claimed|claims|stated|warned|insisted|"
                          r"recalled|recalls|believes|thinks|admitted|denied)\b")
APPOSITION = re.compile(r", (?:who\b|(?:a|an|the) (?!capital|city|town|village|region|province|"
                        r"district|country|republic|border|area|site|home|main)[a-z])")


@dataclass(frozen=True)
class _Word:
    text: str  # as written, possessive ending removed
    key: str  # casefolded, hyphens as spaces, one kind of apostrophe
    start: int
    end: int


def find_people(text: str, gazetteer: Gazetteer) -> dict[str, int]:
    """{person's name: mentions}: gazetteer people under their canonical name, new people
    under their name as first written."""
    names = _names_for(gazetteer)
    matches = [m for found in RUN.finditer(text) for m in _matches_in(found, names, text)]
    new_names = {m.name for m in matches if m.kind == "candidate" and m.introduced}
    # Lower-case words are only read when a new name is a candidate.
    if new_names:
        ordinary = set(LOWER_WORD.findall(text))
        new_names = {name for name in new_names if not _has_ordinary_word(name, ordinary)}
    counts: Counter[str] = Counter()
    surnames: dict[str, str | None] = {}  # surname key -> person; None: two people share it
    for match in matches:
        person = _person_of(match, new_names, surnames)
        if person is None:
            continue
        counts[person] += 1
        if match.surname and match.kind != "known_surname":
            owner = surnames.setdefault(match.surname, person)
            if owner != person:
                surnames[match.surname] = None
    return dict(counts)


@dataclass(frozen=True)
class _Match:
    kind: str  # "known" / "known_surname" (gazetteer), "candidate" (two to four name words) or "single"
    name: str  # canonical name / the candidate as written / the single word's key
    # Key of the last word of a full name, for bare-surname links; of a known person's
    # bare surname ("Karimov"), which the article's own earlier full name overrides.
    surname: str = ""
    introduced: bool = False  # a title, role or speech introduces the candidate


def _person_of(match: _Match, new_names: set[str], surnames: dict) -> str | None:
    if match.kind == "known_surname":
        return surnames.get(match.surname, match.name)
    if match.kind == "known":
        return match.name
    if match.kind == "candidate":
        return match.name if match.name in new_names else None
    return surnames.get(match.name)


def _matches_in(found: re.Match, names: _Names, text: str):
    run = found.group()
    if " " in run or "\u00a0" in run:
        return _match_run(_words(found), names, text)
    # Most runs are one word ("The", "Tajikistan"): the short way, for speed.
    if not run[0].isupper():
        return ()
    key = _key(POSSESSIVE.sub("", run) if run[-1] in "s'’" else run)
    person = names.people.get(key)
    if person is not None:
        return (_Match("known_surname", person, surname=key),)
    if key in NEVER_IN_A_NAME or key in names.not_names:
        return ()
    return (_Match("single", key),)


def _words(match: re.Match) -> list[_Word]:
    """The run's words up to the first that is not capitalised (or a particle), and up to a
    possessive ("Rahmon’s" ends the run)."""
    words, offset = [], match.start()
    for raw in SPLIT.split(match.group()):
        start = match.string.find(raw, offset)
        offset = start + len(raw)
        if not (raw[0].isupper() or raw.casefold() in PARTICLES or _particle_prefixed(raw)):
            break
        bare = POSSESSIVE.sub("", raw)
        words.append(_Word(bare, _key(bare), start, start + len(bare)))
        if bare != raw:
            break
    while words and words[-1].key in PARTICLES:
        words.pop()
    return words


def _particle_prefixed(word: str) -> bool:
    head, _, tail = word.replace("‐", "-").partition("-")
    return head in PARTICLES and tail[:1].isupper()


def _key(words: str) -> str:
    key = words.replace("’", "'").casefold()
    return " ".join(SEPARATORS.split(key)) if SEPARATORS.search(key) else key


def _match_run(run: list[_Word], names: _Names, text: str):
    """The gazetteer names in the run, longest first; between them, candidate new names and
    single words (possible bare surnames)."""
    position, stretch_start = 0, 0
    while position < len(run):
        found = _known_at(run, position, names)
        if found is None:
            position += 1
            continue
        person, length = found
        yield from _rest(run[stretch_start:position], run, names, text)
        if length == 1:
            yield _Match("known_surname", person, surname=run[position].key)
        else:
            yield _Match("known", person, surname=run[position + length - 1].key)
        position += length
        stretch_start = position
    yield from _rest(run[stretch_start:], run, names, text)


def _known_at(run, position, names: _Names) -> tuple[str, int] | None:
    for length in range(min(5, len(run) - position), 0, -1):
        person = names.people.get(" ".join(w.key for w in run[position:position + length]))
        if person is None:
            continue
        if length == 1 and position > 0 and _is_name_word(run[position - 1], names):
            return None  # another given name: "Rustam Karimov" is not Islam Karimov
        return person, length
    return None


def _rest(stretch: list[_Word], run: list[_Word], names: _Names, text: str):
    """A candidate name (or single word) from words the gazetteer did not claim: leading
    titles, qualifiers and non-name words go, and the name ends at the next non-name word."""
    titled = False
    while stretch and not _is_name_word(stretch[0], names):
        titled |= stretch[0].key in TITLES
        stretch = stretch[1:]
    name = []
    for word in stretch:
        if not _is_name_word(word, names):
            break
        name.append(word)
    if len(name) == 1:
        yield _Match("single", name[0].key)
    elif 2 <= len(name) <= 4:
        written = " ".join(w.text for w in name)
        introduced = titled or _introduced(text, name[0].start, name[-1].end, is_run_start=name[0] is run[0])
        yield _Match("candidate", written, surname=name[-1].key, introduced=introduced)


def _introduced(text: str, start: int, end: int, *, is_run_start: bool) -> bool:
    before = text[max(0, start - 20):start]
    if is_run_start and (SPEECH_BEFORE.search(before) or _role_noun_before(before)):
        return True
    after = text[end:end + 40]
    return bool(SPEECH_AFTER.match(after) or APPOSITION.match(after))


def _role_noun_before(before: str) -> bool:
    words = before.rsplit(" ", 2)
    return len(words) >= 2 and words[-1] == "" and words[-2] in ROLE_NOUNS


def _is_name_word(word: _Word, names: _Names) -> bool:
    """Could be part of a person's name: not an acronym ("KNB"), a title, a month, an
    institution or a word of a country's or organisation's name."""
    return (
        len(word.key) >= 2
        and any(ch.islower() for ch in word.text)
        and word.key not in NEVER_IN_A_NAME
        and word.key not in names.not_names
    )


def _has_ordinary_word(name: str, ordinary: set[str]) -> bool:
    """A word of the name that the article also writes in lower case is an ordinary word
    ("Security", "Service"), not a name."""
    return any(word.lower() in ordinary for word in name.split() if word.casefold() not in PARTICLES)


# --- the gazetteer's names --------------------------------------------------------------

@dataclass(frozen=True)
class _Names:
    people: dict[str, str]  # key of every name and other name -> canonical name
    not_names: frozenset[str]  # words of countries' and organisations' names


def prepare(gazetteer: Gazetteer) -> None:
    """Build (and cache) the look-up tables for this gazetteer now, e.g. in a worker."""
    _names_for(gazetteer)


_LAST: tuple[Gazetteer, _Names] | None = None


def _names_for(gazetteer: Gazetteer) -> _Names:
    global _LAST
    if _LAST is not None and _LAST[0] is gazetteer:
        return _LAST[1]
    names = _build(
        tuple((p.name, tuple(p.aliases)) for p in gazetteer.people),
        tuple((c.name, *c.aliases) for c in gazetteer.countries)
        + tuple((o.name, *o.aliases) for o in gazetteer.organisations),
    )
    _LAST = (gazetteer, names)
    return names


@functools.lru_cache(maxsize=4)
def _build(people, places_and_bodies) -> _Names:
    known: dict[str, str] = {}
    for name, aliases in people:
        for surface in (name, *aliases):
            known.setdefault(_key(surface), name)  # the first owner of a name keeps it
    words = {word for surfaces in places_and_bodies for surface in surfaces for word in _key(surface).split()}
    # A person's own name words stay name words where a country or body shares them.
    own = {word for name in known for word in name.split()}
    return _Names(known, frozenset(words - own))
