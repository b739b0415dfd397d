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
from dataclasses import dataclass, field
from typing import NamedTuple

from .gazetteer import Gazetteer

PARTICLES = {"al", "el", "ul", "ud", "ad", "ash", "bin", "ibn", "abu", "de", "van", "von", "der", "da", "di", "la", "le"}
_PARTICLE = "|".join(sorted(PARTICLES, key=len, reverse=True))
# A run of words that start with anything but an ASCII lower-case letter (so capitalised
# Latin and Cyrillic words, checked one by one afterwards), single spaces between them, a
# lower-case particle allowed inside ("Abu Bakr al-Baghdadi").
_WORD = r"[^\W\d_a-z][\w'’‐-]*"
# The first word is _WORD not preceded by a word character, written so that re can skip
# ahead fast: a pattern that starts with a plain character set lets re's search jump over
# the characters outside it in one C loop (a pattern that starts with a look-behind is
# tried at every position). The set, A-Z and everything from U+0080 up, holds every
# character of [^\W\d_a-z] (the ASCII ones in it are exactly A-Z); the two look-behinds
# then check exactly what the old pattern checked: the character just matched is in
# [^\W\d_a-z], and the one before it (if any) is no word character.
_FIRST_WORD = r"[A-Z\u0080-\U0010ffff](?<![\w'’‐-](?s:.))(?<=[^\W\d_a-z])[\w'’‐-]*"
RUN = re.compile(rf"{_FIRST_WORD}(?:[ \u00a0](?:(?:{_PARTICLE})[ \u00a0‐-])?{_WORD})*")
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# A lower-case word: one of these, with no word character (WORD_CHAR) on either side.
LOWER_WORD = re.compile(r"[a-zа-яё][\w'’‐-]*")
WORD_CHAR = re.compile(r"[\w'’‐-]")
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


class _Word(NamedTuple):
    text: str  # as written, possessive ending removed
    key: str  # casefolded, hyphens as spaces, one kind of apostrophe
    start: int  # offsets in the run
    end: int
    is_name_word: bool  # _is_name_word(), worked out once per word


class _Match(NamedTuple):
    kind: str  # "known" / "known_surname" (gazetteer), "candidate" (two to four name words) or "single"
    name: str  # canonical name / the candidate as written / the single word's key
    # Key of the last word of a full name, for bare-surname links; of a known person's
    # bare surname ("Karimov"), which the article's own earlier full name overrides.
    surname: str = ""
    introduced: bool = False  # a title, role or speech introduces the candidate


class _Candidate(NamedTuple):
    """A candidate in a run's plan whose introduction (by speech or role) is read in the
    text around each occurrence of the run."""

    name: str  # as written
    surname: str
    start: int  # offsets in the run
    end: int
    is_run_start: bool

    def match_at(self, text: str, run_start: int) -> _Match:
        start, end = run_start + self.start, run_start + self.end
        introduced = _introduced(text, start, end, is_run_start=self.is_run_start)
        return _Match("candidate", self.name, surname=self.surname, introduced=introduced)


def find_people(text: str, gazetteer: Gazetteer) -> dict[str, int]:
    """{person's name: mentions}: gazetteer people under their canonical name, new people
    under their name as first written."""
    names = _names_for(gazetteer)
    matches = _matches(text, names)
    new_names = {m.name for m in matches if m.kind == "candidate" and m.introduced}
    new_names = {name for name in new_names if not _has_ordinary_word(name, text)}
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


def _person_of(match: _Match, new_names: set[str], surnames: dict) -> str | None:
    if match.kind == "known_surname":
        return surnames.get(match.surname, match.name)
    if match.kind == "known":
        return match.name
    if match.kind == "candidate":
        return match.name if match.name in new_names else None
    return surnames.get(match.name)


def _matches(text: str, names: _Names) -> list[_Match]:
    """The matches of every run, in order.

    What a run matches depends on the run's text alone (and the gazetteer), except whether
    a speech verb or role noun around it introduces a candidate. So each run is read once
    into a plan, kept by its text, and only the candidates' introductions are read at each
    occurrence."""
    matches: list[_Match] = []
    plans = names.plans
    for found in RUN.finditer(text):
        run = found.group()
        plan = plans.get(run)
        if plan is None:
            plan = plans.remember(run, _plan(run, names))
        for item in plan:
            matches.append(item.match_at(text, found.start()) if type(item) is _Candidate else item)
    return matches


def _plan(run: str, names: _Names) -> tuple[_Match | _Candidate, ...]:
    if " " in run or "\u00a0" in run:
        plan: list[_Match | _Candidate] = []
        _match_run(_words(run, names), names, plan)
        return tuple(plan)
    # Most runs are one word ("The", "Tajikistan"): the short way.
    if not run[0].isupper():
        return ()
    key = _key(POSSESSIVE.sub("", run) if run[-1] in "s'’" else run)
    person = names.people.get(key)
    if person is not None:
        return (_Match("known_surname", person, surname=key),)
    if key in NEVER_IN_A_NAME or key in names.not_names:
        return ()
    return (_Match("single", key),)


def _words(run: str, names: _Names) -> list[_Word]:
    """The run's words up to the first that is not capitalised (or a particle), and up to a
    possessive ("Rahmon’s" ends the run)."""
    words, start = [], 0
    # RUN puts exactly one space or no-break space between two words (a separator is
    # followed by a particle or a word, both starting with a letter) and none at either
    # end: so this split is the words, and each starts one past the previous one's end.
    for raw in run.replace("\u00a0", " ").split(" "):
        if not (raw[0].isupper() or raw.casefold() in PARTICLES or _particle_prefixed(raw)):
            break
        # POSSESSIVE can only match a word ending in s or an apostrophe.
        bare = POSSESSIVE.sub("", raw) if raw[-1] in "s'’" else raw
        key = _key(bare)
        words.append(_Word(bare, key, start, start + len(bare), _is_name_word(bare, key, names)))
        if bare != raw:
            break
        start += len(raw) + 1
    while words and words[-1].key in PARTICLES:
        words.pop()
    return words


def _particle_prefixed(word: str) -> bool:
    head, _, tail = word.replace("‐", "-").partition("-")
    return head in PARTICLES and tail[:1].isupper()


def _key(words: str) -> str:
    key = words.replace("’", "'").casefold()
    return " ".join(SEPARATORS.split(key)) if SEPARATORS.search(key) else key


def _match_run(run: list[_Word], names: _Names, plan: list) -> None:
    """The gazetteer names in the run, longest first; between them, candidate new names and
    single words (possible bare surnames). Appended to the plan."""
    position, stretch_start = 0, 0
    while position < len(run):
        found = _known_at(run, position, names)
        if found is None:
            position += 1
            continue
        person, length = found
        _rest(run[stretch_start:position], plan)
        if length == 1:
            plan.append(_Match("known_surname", person, surname=run[position].key))
        else:
            plan.append(_Match("known", person, surname=run[position + length - 1].key))
        position += length
        stretch_start = position
    _rest(run[stretch_start:], plan)


def _known_at(run: list[_Word], position: int, names: _Names) -> tuple[str, int] | None:
    # Exact shortcut: a looked-up key starts with the first space-separated part of this
    # word's key, so where no gazetteer key starts with that part, no length can match.
    if run[position].key.split(" ", 1)[0] not in names.first_parts:
        return None
    for length in range(min(5, len(run) - position), 0, -1):
        person = names.people.get(" ".join(w.key for w in run[position:position + length]))
        if person is None:
            continue
        if length == 1 and position > 0 and run[position - 1].is_name_word:
            return None  # another given name: "Rustam Karimov" is not Islam Karimov
        return person, length
    return None


def _rest(stretch: list[_Word], plan: list) -> None:
    """A candidate name (or single word) from words the gazetteer did not claim: leading
    titles, qualifiers and non-name words go, and the name ends at the next non-name word."""
    titled = False
    first = 0
    while first < len(stretch) and not stretch[first].is_name_word:
        titled |= stretch[first].key in TITLES
        first += 1
    last = first
    while last < len(stretch) and stretch[last].is_name_word:
        last += 1
    name = stretch[first:last]
    if len(name) == 1:
        plan.append(_Match("single", name[0].key))
    elif 2 <= len(name) <= 4:
        written = " ".join(w.text for w in name)
        if titled:
            plan.append(_Match("candidate", written, surname=name[-1].key, introduced=True))
        else:  # read at each occurrence; the run's first word is the only one at offset 0
            is_run_start = name[0].start == 0
            plan.append(_Candidate(written, name[-1].key, name[0].start, name[-1].end, is_run_start))


def _introduced(text: str, start: int, end: int, *, is_run_start: bool) -> bool:
    before = text[max(0, start - 20):start]
    if is_run_start and (SPEECH_BEFORE.search(before) or _role_noun_before(before)):
        return True
    after = text[end:end + 40]
    return bool(SPEECH_AFTER.match(after) or APPOSITION.match(after))


def _role_noun_before(before: str) -> bool:
    words = before.rsplit(" ", 2)
    return len(words) >= 2 and words[-1] == "" and words[-2] in ROLE_NOUNS


def _is_name_word(text: str, key: str, names: _Names) -> bool:
    """Could be part of a person's name: not an acronym ("KNB"), a title, a month, an
    institution or a word of a country's or organisation's name."""
    return (
        len(key) >= 2
        and key not in NEVER_IN_A_NAME
        and key not in names.not_names
        and any(ch.islower() for ch in text)
    )


def _has_ordinary_word(name: str, text: str) -> bool:
    """A word of the name that the article also writes in lower case is an ordinary word
    ("Security", "Service"), not a name."""
    return any(_written_in_lower_case(word.lower(), text) for word in name.split()
               if word.casefold() not in PARTICLES)


def _written_in_lower_case(word: str, text: str) -> bool:
    r"""Whether the text has word among its lower-case words, found by looking for the word
    itself rather than listing every lower-case word of the text (which cost more).

    The same as `word in set(re.findall(r"(?<![\w'’‐-])[a-zа-яё][\w'’‐-]*", text))`: a
    word that is not itself a LOWER_WORD is never found. Where the text holds it with no
    word character on either side, that scan finds exactly it: no word found earlier can
    reach over the non-word character before it, and the greedy match stops at the
    non-word character after it. Any other occurrence lies inside a longer stretch of word
    characters, so the scan finds something longer there."""
    if not LOWER_WORD.fullmatch(word):
        return False
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        if (start == 0 or not WORD_CHAR.match(text, start - 1)) and not WORD_CHAR.match(text, end):
            return True
        start = text.find(word, start + 1)
    return False


# --- the gazetteer's names --------------------------------------------------------------

class _Plans(dict):
    """A run's text -> its plan (see _matches). Emptied when full: memory stays bounded."""

    LIMIT = 20_000

    def remember(self, run: str, plan: tuple) -> tuple:
        if len(self) >= self.LIMIT:
            self.clear()
        self[run] = plan
        return plan


@dataclass(frozen=True)
class _Names:
    people: dict[str, str]  # key of every name and other name -> canonical name
    not_names: frozenset[str]  # words of countries' and organisations' names
    first_parts: frozenset[str]  # the first space-separated part of every key in people
    plans: _Plans = field(default_factory=_Plans)


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
    return _Names(known, frozenset(words - own), frozenset(key.split(" ", 1)[0] for key in known))
