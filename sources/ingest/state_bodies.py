"""Which country's state body a bare name means: "the Central Election Commission",
"the GKNB", "the National Security Committee".

Every country has a central election commission and a security committee; the shipped
list names each body with its country ("Central Election Commission of Kyrgyzstan") and
gives it the bare forms a story uses once it has said where it is. Such a bare form
(an alias that does not name the body's country) is read as the body of the country the
article is about:

* shared by bodies of several countries ("GKNB": Kyrgyz and Tajik), or descriptive (words
  a body of any country could be called, built on Committee, Commission, Service ...),
  it counts as the body of the country named right before it ("Russia's Federal Security
  Service", "the Kyrgyz CEC"), else of the owners' country the article is most about
  (or, failing that, names most);
* when the article names none of its owners' countries, it is not counted at all: which
  country's commission is meant, the text does not say.

Names that are one body's alone ("FSB", "Jogorku Kenesh") are counted as found.
"""

from __future__ import annotations

import re
from collections import Counter

from .entities import Hit
from .gazetteer import Gazetteer

STATE_BODY = "state_body"
#: The last word of a name any country's body could have.
DESCRIPTIVE_HEADS = {
    "committee", "commission", "service", "council", "assembly", "agency", "office",
    "directorate", "guard", "guards", "forces", "bureau", "inspectorate",
}
WORD = re.compile(r"[\w'’]+")
POSSESSIVE_GAP = re.compile(r"^(?:['’]s)?\s+(?:own\s+)?$")

_LAST: tuple[object, dict[str, list[tuple[str, str]]]] | None = None


def resolve_organisations(text: str, hits: list[Hit], scores: dict[str, float], about: set[str],
                          gazetteer: Gazetteer) -> dict[str, int]:
    """{organisation: mentions} from the organisation hits in `text`, each bare state-body
    form read as the body of a country the article names (`scores`: every country named,
    `about`: those it is about), or left out when it names none of its owners'."""
    ambiguous = _ambiguous_forms(gazetteer)
    counts: Counter[str] = Counter()
    previous = None
    for hit in hits:
        owners = ambiguous.get(hit.surface.casefold()) if hit.kind == "organisation" else None
        if hit.kind == "organisation" and owners is None:
            counts[hit.target] += 1
        elif owners is not None:
            named_before = previous if previous and POSSESSIVE_GAP.match(text[previous.end:hit.start]) else None
            placed = [
                (named_before is not None and country == named_before.target, country in about, scores[country], name)
                for name, country in owners if country in scores
            ]
            if placed:
                counts[max(placed)[-1]] += 1
        previous = hit if hit.kind == "country" else None
    return dict(counts)


def _ambiguous_forms(gazetteer: Gazetteer) -> dict[str, list[tuple[str, str]]]:
    """{casefolded bare form: [(body, its country)]}; remembered for the last gazetteer."""
    global _LAST
    if _LAST is not None and _LAST[0] is gazetteer:
        return _LAST[1]
    names_of_country = {c.code: [c.name, *c.aliases] for c in gazetteer.countries}
    owners: dict[str, list[tuple[str, str]]] = {}
    for body in gazetteer.organisations:
        if body.kind != STATE_BODY or not body.country:
            continue
        country_words = _country_pattern(names_of_country.get(body.country, []))
        for form in {body.name, *body.aliases}:
            if country_words is None or not country_words.search(form):
                owners.setdefault(form.casefold(), []).append((body.name, body.country))
    forms = {
        form: bodies for form, bodies in owners.items()
        if len({country for _, country in bodies}) > 1 or _descriptive(form)
    }
    _LAST = (gazetteer, forms)
    return forms


def _descriptive(form: str) -> bool:
    words = WORD.findall(form)
    return len(words) >= 2 and words[-1].casefold() in DESCRIPTIVE_HEADS


def _country_pattern(names: list[str]) -> re.Pattern | None:
    names = [name for name in names if name]
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
