"""Organisations an article names that the gazetteer lacks, as suggestions for curators.

Three signs that a capitalised phrase is an organisation's name:

* it is introduced with its acronym: "Collective Security Treaty Organization (CSTO)";
* it is glossed with one: "State Committee on National Security, or GKNB";
* it is built on a word that names a body: Party, Movement, Front, Committee, Council,
  Centre, Union, Organization, Brigade, Jamaat ... ("Turkestan Islamic Party",
  "Central Election Commission", "Kyrgyz-Russian Development Fund"), or follows "the"
  with its kind in lower case ("the Butun party"; not "the Kyrgyz party system").

Names the gazetteer already knows (under any alias) are not suggested. Ministries and
courts are left to the curated list, which names them with their country. Suggestions
never enter the facet by themselves: a curator adds them to the list.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .entities import find_entities
from .gazetteer import Gazetteer

HEAD_WORDS = {
    "party", "movement", "front", "committee", "council", "centre", "center", "union",
    "organization", "organisation", "brigade", "brigades", "jamaat", "jamoat", "battalion",
    "association", "foundation", "institute", "commission", "agency", "service", "bank",
    "fund", "company", "corporation", "consortium", "alliance", "league", "society",
    "network", "group", "army", "forces", "federation", "congress", "assembly", "coalition",
    "bloc", "pact", "authority", "office", "bureau", "caucus", "directorate",
    "university", "academy", "tribunal", "guard", "guards",
}
#: Heads of bodies that the curated list names with their country ("Ministry of the
#: Interior of Tajikistan"): a bare "Interior Ministry" says no country.
LEFT_TO_CURATORS = {"ministry", "court", "prosecutor", "prosecutor's"}
#: Names of places and states, which an acronym may follow too ("Xinjiang Uyghur
#: Autonomous Region (XUAR)", "Soviet Union").
PLACE_WORDS = {"region", "province", "republic", "oblast", "district", "city", "valley", "territory", "state", "states"}
FORMER_STATES = {"soviet union", "ussr", "ottoman empire", "russian empire"}
PARTICLES = {"of", "for", "on", "and", "the", "in", "de", "al", "el", "ut", "wal", "&"}
WORD = r"(?:(?:al|el|ad|as|ash|at|ul)-)?[A-Z][\w'’\-]*|&"
NAME = rf"(?:{WORD})(?:\s+(?:(?:{'|'.join(sorted(PARTICLES - {'&'}))})\s+)*(?:{WORD})){{0,8}}"
ACRONYM = r"[A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,5}"
WITH_ACRONYM = re.compile(rf"(?P<name>{NAME})\s*\((?P<acronym>{ACRONYM})\)")
GLOSSED = re.compile(rf"(?P<name>{NAME}),\s+or\s+(?P<acronym>{ACRONYM})\b")
CAPITALISED_RUN = re.compile(NAME)
#: "the Butun party", "the Ata-Zhurt movement": a name with its kind in lower case.
NAMED_KIND = re.compile(r"\bthe (?P<name>(?:[A-Z][\w'’\-]*\s+){1,3}(?:party|movement|front|bloc))\b")
#: A capitalised word that opens a sentence or a phrase, not a name ("The", "In", "Since").
OPENERS = {"the", "a", "an", "in", "on", "at", "since", "after", "before", "when", "while",
           "according", "earlier", "later", "meanwhile", "however", "but", "and", "this", "that",
           "its", "his", "her", "their", "our", "both", "former", "new", "then"}


@dataclass
class Suggestion:
    name: str
    acronym: str = ""
    mentions: int = 0


def suggest_organisations(text: str, gazetteer: Gazetteer) -> list[Suggestion]:
    """Organisation names in `text` that the gazetteer does not know, most mentioned first."""
    found: dict[str, Suggestion] = {}
    for pattern in (WITH_ACRONYM, GLOSSED):
        for match in pattern.finditer(text):
            acronym = match.group("acronym")
            name = _fitted_to_acronym(_trimmed(match.group("name")), acronym)
            if name == _trimmed(match.group("name")):
                name = _without_leading_role(name)
            if len(name.split()) >= 2:
                _add(found, name, acronym)
    acronymed = [s.name.casefold() for s in found.values()]
    for match in CAPITALISED_RUN.finditer(text):
        name = _after_last_of(_trimmed(match.group()))
        # "Charter of the Collective Security Treaty Organization": a name already found
        # with its acronym, behind words that are not part of it.
        if _ends_in_head_word(name) and not any(name.casefold().endswith(" " + known) for known in acronymed):
            _add(found, name, "")
    for match in NAMED_KIND.finditer(text):
        name = match.group("name")
        if not _is_a_peoples_adjective(name.split()[0], gazetteer):
            _add(found, name, "")
    counts = Counter()
    for suggestion in found.values():
        counts[suggestion.name] = _mentions(text, suggestion)
    known = _known(found, gazetteer)
    result = [
        Suggestion(s.name, s.acronym, counts[s.name]) for key, s in found.items()
        if key not in known and not _left_to_curators(s.name) and not _is_place(s.name, gazetteer)
    ]
    return sorted(result, key=lambda s: (-s.mentions, s.name))


#: "The Central Election Commission on Saturday": the day is the sentence's.
TIME_TAIL = re.compile(
    r"\s+(?:on|in|at|since|by|until|from)\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|"
    r"March|April|May|June|July|August|September|October|November|December)\b.*$"
)


def _trimmed(name: str) -> str:
    """Without opening words ("The", "In"), a trailing time ("on Saturday") and trailing
    particles; possessives cut."""
    words = TIME_TAIL.sub("", name).replace("’", "'").split()
    while words and (words[0].casefold() in OPENERS or words[0].endswith("'s")):
        words.pop(0)
    while words and words[-1].casefold() in PARTICLES:
        words.pop()
    return " ".join(words)


def _fitted_to_acronym(name: str, acronym: str) -> str:
    """The end of the phrase that the acronym abbreviates: "Charter of the Collective
    Security Treaty Organization (CSTO)" -> "Collective Security Treaty Organization".
    An acronym of another language (GKNB) fits no part: the phrase stays whole."""
    words = name.split()
    for start in range(len(words) - 1):
        if words[start].casefold() in PARTICLES:
            continue
        initials = "".join(word[0] for word in words[start:] if word.casefold() not in PARTICLES)
        if initials.casefold() == acronym.casefold():
            return " ".join(words[start:])
    return name


def _is_place(name: str, gazetteer: Gazetteer) -> bool:
    lowered = name.casefold()
    if lowered in FORMER_STATES or lowered.split()[-1] in PLACE_WORDS:
        return True
    return lowered in _country_names(gazetteer)


def _is_a_peoples_adjective(word: str, gazetteer: Gazetteer) -> bool:
    return word.casefold() in _country_names(gazetteer) or word.casefold() in OPENERS


def _country_names(gazetteer: Gazetteer) -> set[str]:
    return {name.casefold() for country in gazetteer.countries for name in [country.name, *country.aliases]}


def _without_leading_role(name: str) -> str:
    """'Agents of the State Committee on National Security' -> 'State Committee on National
    Security': one word and "of (the)" before a name are the sentence's, not the name's."""
    match = re.match(r"^\S+ of (?:the )?(?P<rest>\S+ \S+.*)$", name)
    return match.group("rest") if match else name


def _after_last_of(name: str) -> str:
    """'Members of the Valley Freedom Party' -> 'Valley Freedom Party': a name that ends in
    a word for a body starts after its last "of" (such names rarely hold one)."""
    parts = re.split(r" of (?:the )?", name)
    return parts[-1] if len(parts[-1].split()) >= 2 else name


def _ends_in_head_word(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and words[-1].casefold() in HEAD_WORDS


def _left_to_curators(name: str) -> bool:
    return any(word.casefold() in LEFT_TO_CURATORS for word in name.split())


def _add(found: dict[str, Suggestion], name: str, acronym: str) -> None:
    key = name.casefold()
    suggestion = found.setdefault(key, Suggestion(name))
    suggestion.acronym = suggestion.acronym or acronym


def _mentions(text: str, suggestion: Suggestion) -> int:
    count = len(re.findall(rf"(?<!\w){re.escape(suggestion.name)}(?!\w)", text, re.I))
    if suggestion.acronym:
        count += len(re.findall(rf"(?<!\w){re.escape(suggestion.acronym)}(?!\w)", text))
        count -= 1  # the acronym's introduction is the name's mention
    return max(count, 1)


def _known(found: dict[str, Suggestion], gazetteer: Gazetteer) -> set[str]:
    """The keys whose name, or acronym, the gazetteer matches as a whole."""
    known = set()
    for key, suggestion in found.items():
        for written in filter(None, (suggestion.name, suggestion.acronym)):
            organisations = find_entities(written, gazetteer).organisations
            if organisations:
                known.add(key)
    return known
