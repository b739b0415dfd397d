"""Which countries an article is about, and which it names only in passing.

Every country mention found by entities.find_entities gets a weight from WHERE it stands
and HOW the country is named; a country's score is the sum over its mentions. The
countries whose score comes near the article's best are what the article is about; the
rest are passing mentions, kept but apart (the country facet and filter take only the
first kind).

    weight = place x form x context

* place: the headline weighs most, then the lead (the opening paragraph, with the next
  one when the first is short), then the rest. A country the headline names (itself, by
  its capital or by one of its organisations: "Islamic Renaissance Party of Tajikistan")
  is what the article is about, whatever the body says.
* form: the country's name (or its capital in the headline or the dateline) weighs more
  than a demonym or adjective ("Kazakh", "Russians"). A dateline weighs as a mention in
  the body: wires cover Central Asia from Moscow.
* context: the lowest factor among the rules that apply. A notice about a group's legal
  status ("banned in Russia") and a language label ("in Russian)") count nothing; an
  attribution to the press ("Russian media", "Russia's Interfax") next to nothing; a
  member of a list of three or more countries, a modifier ("US-led", "pro-Russian",
  "a U.S. ally"), a gloss or an aside in brackets ("Tashkent (Uzbekistan)"), a neighbour ("its border
  with Uzbekistan"), a place of origin ("crossed from Afghanistan") and one half of a hyphenated pair ("the Tajik-Uzbek border") little.

Nothing here is keyed to a site or a story: the factors are about how English news prose
names countries.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from .casing import IGNORECASE_ASCII_LOOKALIKES
from .entities import Hit
from .gazetteer import EVERYDAY_NAMES

CAPITALS_FILE = Path(__file__).resolve().parent.parent / "data" / "capitals.json"

HEADLINE, LEAD, BODY = 3.0, 2.0, 1.0
NAME, DEMONYM = 1.0, 0.6
#: A country is what the article is about when the headline names it, or when its score
#: is more than this share of the best country's score and at least ABOUT_MIN (one plain
#: mention in the body).
ABOUT_SHARE = 0.5
ABOUT_MIN = 1.0
EPSILON = 1e-9  # sums of tenths: exactly half must not come out a hair above it
#: The lead takes the second paragraph too when the first is shorter than this
#: (a standfirst, a dateline line, a one-sentence opening).
SHORT_LEAD = 200

NOTICE, LANGUAGE, ATTRIBUTION = 0.0, 0.0, 0.1
LISTED, MODIFIER, GLOSS, NEIGHBOUR, PAIRED = 0.2, 0.25, 0.3, 0.4, 0.5
LIST_LENGTH = 3

WINDOW = 60
# "a terrorist group banned in Russia", "recognised as a foreign agent by the Russian ..."
NOTICE_BEFORE = re.compile(
    r"\b(?:banned|outlawed|prohibited|forbidden|proscribed|designated|recogni[sz]ed|labell?ed)\b"
    r"[^.;()\n]{0,50}\b(?:in|by)\s+(?:the\s+)?$", re.IGNORECASE)
LANGUAGE_AFTER = re.compile(r"^(?:\s*:|[-‐–\s]+language\b)", re.IGNORECASE)
IN_BEFORE = re.compile(r"\bin\s+$", re.IGNORECASE)
CLOSING_AFTER = re.compile(r"^\s*[),;]")
PRESS = (r"news\s+agency|news\s+agencies|news|media|press|agency|newspapers?|daily|dailies|tabloid|"
         r"television|tv|broadcaster|radio|service|wire|outlets?|channel|website|edition|magazine")
ATTRIBUTION_AFTER = re.compile(
    rf"^(?:['’]s)?\s+(?:state(?:[-\s]run|[-\s]owned)?\s+|official\s+|independent\s+|online\s+)?(?:{PRESS})\b",
    re.IGNORECASE)
BEFORE_MEDIA_NAME = re.compile(r"^(?:['’]s)?\s+(?:the\s+)?(?:state\s+)?(?:(?:news\s+)?agency\s+)?$", re.IGNORECASE)
MODIFIER_AFTER = re.compile(
    r"^[-‐–](?:led|backed|dominated|brokered|based|born|trained|made|funded|sponsored|supported|"
    r"allied|friendly|oriented|style|built|owned|controlled|speaking|educated|registered|aligned|"
    r"leaning|centric|bound)\b"
    # "a U.S. ally", "Russia's Central Asian allies": the story is the allies'.
    r"|^(?:['’]s)?\s+(?:[\w-]+\s+){0,2}?(?:ally|allies|partner|partners|proxy|proxies|satellite|satellites)\b",
    re.IGNORECASE)
MODIFIER_BEFORE = re.compile(r"\b(?:pro|anti|ex|non)[-‐–]$", re.IGNORECASE)
# Inside brackets: a gloss ("Tashkent (Uzbekistan)") or an aside ("(as the constitution of
# Kazakhstan has it)").
GLOSS_BEFORE, GLOSS_AFTER = re.compile(r"\([^()\n]*$"), re.compile(r"^[^()\n]*\)")
NEIGHBOUR_BEFORE = re.compile(
    r"\b(?:(?:borders?|frontier)\s+with|bordering|borders)\s+(?:the\s+)?(?:neighbou?ring\s+)?$"
    r"|\bneighbou?ring\s+$", re.IGNORECASE)
# Where people or goods came from, not where the story happens: "crossed into Tajikistan
# from Afghanistan", "militants coming from neighbouring Afghanistan".
ORIGIN_BEFORE = re.compile(
    r"\b(?:came|come|comes|coming|crossed|crossing|entered|entering|arrived|arriving|infiltrated|"
    r"penetrated|rushed|fled|fleeing|returned|returning|travell?ed|deported|extradited|slipped|sneaked)"
    r"\b[^.;\n]{0,40}\bfrom\s+(?:the\s+)?(?:[a-z][\w-]*\s+)?$", re.IGNORECASE)
# Between two members of a list: commas, "and", bullets, figures ("- Tajikistan - 200").
LIST_GAP = re.compile(r"^[\s,;/&\-‐–—~\d().:]*(?:\b(?:and|or|as well as)\b)?[\s,;/&\-‐–—~\d().:]*$")
LIST_GAP_MAX = 30
PAIR_GAP = re.compile(r"^[-‐–]$")

# Words every match of a rule contains, in some case: NOTICE_BEFORE names the act
# ("recogni[sz]ed" and "labell?ed" spelled out), NEIGHBOUR_BEFORE a border or a neighbour
# ("neighbo" begins both spellings), ORIGIN_BEFORE says "from". Most mentions have none of
# them in the 60 characters before, and then the search, which tries every one of those
# characters, need not run (_Words.may_stand).
NOTICE_WORDS = ("banned", "outlawed", "prohibited", "forbidden", "proscribed", "designated",
                "recognised", "recognized", "labelled", "labeled")
NEIGHBOUR_WORDS = ("border", "frontier", "neighbo")
ORIGIN_WORDS = ("from",)
# MODIFIER_BEFORE ends in a dash and `$`, which matches at the end or before a final "\n";
# the dashes are uncased, so IGNORECASE matches them only as themselves.
DASH_ENDINGS = ("-", "‐", "–", "-\n", "‐\n", "–\n")


class _Words:
    """Where the words of NOTICE_WORDS, NEIGHBOUR_WORDS and ORIGIN_WORDS stand in one
    article: found once, by str.find in the lower-cased text, instead of by a regular
    expression search before every mention.

    Exact: an IGNORECASE match of an ASCII word is ASCII, unless the text holds one of the
    few other characters the re module matches to an ASCII letter ("ſ" for s, the Kelvin
    sign for k, dotted and dotless i: casing.py); then lower-casing each of its
    characters gives the word in lower case. When lower-casing keeps the length, each
    character gives one, so a position in the lower-cased text is the same position in
    the text. Without both conditions, may_stand always says yes: every search runs."""

    def __init__(self, text: str) -> None:
        lowered = text.lower()
        self.usable = len(lowered) == len(text) and IGNORECASE_ASCII_LOOKALIKES.search(text) is None
        self.lowered = lowered
        # Most articles hold none of a rule's words: then no mention's window can.
        self.present = {words: tuple(word for word in words if word in lowered)
                        for words in (NOTICE_WORDS, NEIGHBOUR_WORDS, ORIGIN_WORDS)}

    def may_stand(self, words: tuple[str, ...], start: int, end: int) -> bool:
        """False when no word of `words` stands, in any case, wholly within text[start:end]."""
        if not self.usable:
            return True
        for word in self.present[words]:
            if self.lowered.find(word, start, end) >= 0:
                return True
        return False


NAME_ENDINGS = ("stan", "ia", "land", "iye")


@dataclass
class CountryReading:
    counts: dict[str, int] = field(default_factory=dict)  # ISO code -> mentions (capitals included)
    scores: dict[str, float] = field(default_factory=dict)
    passing: set[str] = field(default_factory=set)  # named, but not what the article is about

    @property
    def about(self) -> set[str]:
        return set(self.counts) - self.passing


def read_countries(text: str, hits: list[Hit], *, headline_end: int = 0, dateline: str = "",
                   gazetteer=None) -> CountryReading:
    """`text`: what find_entities searched, the headline first when `headline_end` > 0 (its
    length); `hits`: what it found there; `dateline`: the place the story is filed from;
    `gazetteer`: the one searched with, for its news organisations ("Russia's Interfax")
    and the home countries of its organisations."""
    media, homes = _organisation_facts(gazetteer)
    if not any(hit.target in media for hit in hits):
        media = frozenset()  # no news organisation named: _before_media_name need not look
    lead_end = _lead_end(text, headline_end)
    countries = [hit for hit in hits if hit.kind == "country"]
    factors = _list_factors(text, countries)
    words = _Words(text) if countries else None
    reading = CountryReading()
    in_headline: set[str] = set()
    for index, hit in enumerate(countries):
        context = _context(text, hit, hits, media, words)
        if hit.start < headline_end:
            # A headline has no room for passing mentions: only a notice, a language label
            # or a press attribution there is not what the story is about.
            place = HEADLINE
            if context > ATTRIBUTION:
                in_headline.add(hit.target)
        else:
            place = LEAD if hit.start < lead_end else BODY
            context = min(factors.get(index, 1.0), context)
        _add(reading, hit.target, place * (DEMONYM if _is_demonym(hit.surface, hit.target) else NAME) * context)
    in_headline |= _add_places(reading, text, headline_end, dateline, hits, homes)
    best = max(reading.scores.values(), default=0.0)
    reading.passing = {
        code for code, score in reading.scores.items()
        if code not in in_headline and (score < ABOUT_MIN or score <= ABOUT_SHARE * best + EPSILON)
    }
    return reading


def _add_places(reading: CountryReading, text: str, headline_end: int, dateline: str, hits: list[Hit],
                homes: dict[str, str]) -> set[str]:
    """Add the countries placed by a capital (headline, dateline) or by an organisation of
    theirs in the headline ("Russia Bans Islamic Renaissance Party of Tajikistan");
    returns those the headline places."""
    in_headline = set()
    for code, place in _capitals(text[:headline_end], dateline):
        _add(reading, code, place * NAME, mention=False)
        in_headline.update([code] if place == HEADLINE else [])
    for hit in hits:
        if hit.kind == "organisation" and hit.start < headline_end and homes.get(hit.target):
            _add(reading, homes[hit.target], HEADLINE * DEMONYM, mention=False)
            in_headline.add(homes[hit.target])
    return in_headline


def _add(reading: CountryReading, code: str, weight: float, *, mention: bool = True) -> None:
    """A capital or an organisation is not a mention of the country's name: it lists the
    country (once) without adding to its count."""
    reading.counts[code] = reading.counts.get(code, 0) + 1 if mention else reading.counts.get(code, 1)
    reading.scores[code] = reading.scores.get(code, 0.0) + weight


def _lead_end(text: str, headline_end: int) -> int:
    body_start = headline_end
    while body_start < len(text) and text[body_start] == "\n":
        body_start += 1
    first_end = _paragraph_end(text, body_start)
    if first_end - body_start < SHORT_LEAD:
        return _paragraph_end(text, first_end + 2)
    return first_end


def _paragraph_end(text: str, start: int) -> int:
    end = text.find("\n\n", start)
    return len(text) if end < 0 else end


# --- context ------------------------------------------------------------------------------

def _context(text: str, hit: Hit, hits: list[Hit], media: frozenset[str], words: "_Words") -> float:
    window_start = max(0, hit.start - WINDOW)
    before = text[window_start:hit.start]
    after = text[hit.end:hit.end + WINDOW]
    # Each `words.may_stand(...) and` or `before.endswith(...) and` below only skips a search
    # that could not match (see _Words and DASH_ENDINGS); the search decides.
    if words.may_stand(NOTICE_WORDS, window_start, hit.start) and NOTICE_BEFORE.search(before):
        return NOTICE
    if LANGUAGE_AFTER.match(after) or (CLOSING_AFTER.match(after) and IN_BEFORE.search(before)):
        return LANGUAGE
    if ATTRIBUTION_AFTER.match(after) or _before_media_name(text, hit, hits, media):
        return ATTRIBUTION
    if MODIFIER_AFTER.match(after) or (before.endswith(DASH_ENDINGS) and MODIFIER_BEFORE.search(before)):
        return MODIFIER
    if GLOSS_BEFORE.search(before) and GLOSS_AFTER.match(after):
        return GLOSS
    if ((words.may_stand(NEIGHBOUR_WORDS, window_start, hit.start) and NEIGHBOUR_BEFORE.search(before))
            or (words.may_stand(ORIGIN_WORDS, window_start, hit.start) and ORIGIN_BEFORE.search(before))):
        return NEIGHBOUR
    return 1.0


def _before_media_name(text: str, hit: Hit, hits: list[Hit], media: frozenset[str]) -> bool:
    """"Russia's Interfax", "Russian news agency TASS": a news organisation names its country."""
    if not media:
        return False
    following = _next_hit(hits, hit.end)
    return (
        following is not None
        and following.target in media
        and following.start - hit.end <= WINDOW
        and BEFORE_MEDIA_NAME.match(text[hit.end:following.start]) is not None
    )


def _next_hit(hits: list[Hit], position: int) -> Hit | None:
    index = bisect.bisect_left(hits, position, key=lambda other: other.start)
    return hits[index] if index < len(hits) else None


def _list_factors(text: str, countries: list[Hit]) -> dict[int, float]:
    """{index of a hit: factor} for the members of runs of countries: a list of three or
    more, or a hyphenated pair."""
    factors: dict[int, float] = {}
    run = [0] if countries else []
    for index in range(1, len(countries) + 1):
        gap = text[countries[index - 1].end:countries[index].start] if index < len(countries) else None
        if gap is not None and len(gap) <= LIST_GAP_MAX and LIST_GAP.match(gap):
            run.append(index)
            continue
        if len(run) >= LIST_LENGTH:
            factors.update({member: LISTED for member in run})
        elif len(run) == 2 and PAIR_GAP.match(text[countries[run[0]].end:countries[run[1]].start]):
            factors.update({member: PAIRED for member in run})
        run = [index]
    return factors


# --- forms --------------------------------------------------------------------------------

@functools.lru_cache(maxsize=2048)
def _is_demonym(surface: str, code: str) -> bool:
    """"Kazakh", "Russians", "Chinese" rather than a name of the country ("Kazakhstan",
    "U.S.", "Kyrgyz Republic", "Kirghizia")."""
    letters = [ch for ch in surface if ch.isalpha()]
    if " " in surface or not any(ch.islower() for ch in letters) or "." in surface:
        return False  # "Russian Federation", "US", "U.S."
    if surface.casefold().endswith(NAME_ENDINGS):
        return False
    return surface.casefold() not in _names_of(code)


@functools.lru_cache(maxsize=512)
def _names_of(code: str) -> frozenset[str]:
    record = pycountry.countries.get(alpha_2=code)
    names = list(EVERYDAY_NAMES.get(code, []))
    if record is not None:
        names += [getattr(record, attribute, "") or "" for attribute in ("name", "common_name", "official_name")]
    return frozenset(name.casefold() for name in names if name)


def _capitals(headline: str, dateline: str) -> list[tuple[str, float]]:
    """(country, place weight) for a capital named in the headline or as the dateline."""
    by_city, pattern = _capital_cities()
    found = []
    if dateline.casefold() in by_city:
        found.append((by_city[dateline.casefold()], BODY))  # where the reporter files from, not always the story
    in_headline = {by_city[match.group().casefold()] for match in pattern.finditer(headline)}
    return found + [(code, HEADLINE) for code in sorted(in_headline)]


@functools.lru_cache(maxsize=1)
def _capital_cities() -> tuple[dict[str, str], re.Pattern]:
    """({casefolded city: country}, a pattern finding any of them, capitalised, in a text)."""
    with open(CAPITALS_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    by_city = {city.casefold(): code for code, cities in data.items() if not code.startswith("_") for city in cities}
    cities = sorted((city for code, cities in data.items() if not code.startswith("_") for city in cities),
                    key=len, reverse=True)
    return by_city, re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, cities))})(?!\w)")


_FACTS: tuple[object, tuple[frozenset[str], dict[str, str]]] | None = None


def _organisation_facts(gazetteer) -> tuple[frozenset[str], dict[str, str]]:
    """(names of news organisations, {organisation: home country}); remembered for the
    last gazetteer seen (one import uses one), as entities' index is."""
    global _FACTS
    if gazetteer is None:
        return frozenset(), {}
    if _FACTS is None or _FACTS[0] is not gazetteer:
        organisations = gazetteer.organisations
        media = frozenset(o.name for o in organisations if o.kind == "media")
        # A news agency's home is not its stories' country ("Interfax: Kazakh troops ...").
        homes = {o.name: o.country for o in organisations if o.country and o.name not in media}
        _FACTS = (gazetteer, (media, homes))
    return _FACTS[1]
