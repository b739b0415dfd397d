"""The names the entity finder looks for: countries, organisations and people with their aliases.

The Django side builds a `Gazetteer` from the curated tables; `load_default_gazetteer()`
builds one from sources/data/*.json plus pycountry, for tests and first imports.

Granularity of state bodies in organisations.json: courts and ministries are
named with their country ("Supreme Court of Tajikistan", "Ministry of the
Interior of Kyrgyzstan") and matched only where the text names the country
("Kyrgyz Ministry of the Interior", "Tajikistan's Interior Ministry"). A bare
"Supreme Court" or "Interior Ministry" is not matched: which country's court
is meant depends on context the matcher does not read.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from countryinfo import CountryInfo, CountryNotFoundError

from .russian_names import russian_names

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Everyday names for countries whose ISO name is formal or inverted ("Korea, Republic of").
# pycountry's common_name covers some of them; these are the rest.
EVERYDAY_NAMES = {
    "BN": ["Brunei"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "DRC"],
    "CI": ["Ivory Coast"],
    "CV": ["Cape Verde"],
    "CZ": ["Czech Republic"],
    "FM": ["Micronesia"],
    "GB": ["Britain"],
    "MK": ["Macedonia"],
    "MM": ["Burma"],
    "PS": ["Palestine"],
    "RU": ["Russia"],
    "SZ": ["Swaziland"],
    "TR": ["Turkey"],
    "US": ["America"],
    "VA": ["Vatican", "Vatican City", "Holy See"],
    "VG": ["British Virgin Islands"],
    "VI": ["US Virgin Islands"],
}


@dataclass
class GazCountry:
    code: str  # ISO 3166-1 alpha-2
    name: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class GazOrganisation:
    name: str  # canonical name, the key mentions are counted under
    aliases: list[str] = field(default_factory=list)
    kind: str = "other"  # armed_group, party, state_body, international, ngo, media, other
    country: str | None = None  # ISO code of the organisation's home country, if any


@dataclass
class GazPerson:
    name: str  # canonical name, the key mentions are counted under
    aliases: list[str] = field(default_factory=list)  # spellings, transliterations, a famous surname
    description: str = ""


@dataclass
class Gazetteer:
    countries: list[GazCountry]
    organisations: list[GazOrganisation]
    people: list[GazPerson] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def load_default_gazetteer() -> Gazetteer:
    """Curated countries, organisations and people from sources/data, plus every other country
    in pycountry under its everyday name. Cached: treat the result as read-only."""
    curated = {c["code"]: c for c in _read_json("countries.json")}
    countries = [_country(record, curated.get(record.alpha_2)) for record in pycountry.countries]
    organisations = [
        GazOrganisation(
            name=o["name"], aliases=list(o.get("aliases", [])),
            kind=o.get("kind", "other"), country=o.get("country"),
        )
        for o in _read_json("organisations.json")
    ]
    people = [
        GazPerson(name=p["name"], aliases=list(p.get("aliases", [])), description=p.get("description", ""))
        for p in _read_json("people.json")
    ]
    return Gazetteer(countries=sorted(countries, key=lambda c: c.name), organisations=organisations, people=people)


def _read_json(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def _country(record, curated: dict | None) -> GazCountry:
    official = [
        getattr(record, attribute, None) for attribute in ("common_name", "name", "official_name")
    ]
    # Inverted or bracketed ISO forms ("Korea, Republic of") never occur in prose.
    usable = [n for n in official if n and "," not in n and "(" not in n]
    names = EVERYDAY_NAMES.get(record.alpha_2, []) + usable + russian_names(record)
    if curated:
        name = curated["name"]
        aliases = curated.get("aliases", []) + names
    else:
        name = names[0] if names else record.name
        aliases = names + demonyms(record.alpha_2)
    return GazCountry(code=record.alpha_2, name=name, aliases=_unique(aliases, exclude=name))


def demonyms(code: str) -> list[str]:
    """countryinfo's demonym of a country the curated list leaves out ("a Swiss national"),
    with its plural where English adds an s (Nigerien, Nigeriens)."""
    demonym = _unshared_demonyms().get(code)
    if not demonym:
        return []
    return [demonym, f"{demonym}s"] if demonym.endswith("n") else [demonym]


@functools.lru_cache(maxsize=1)
def _unshared_demonyms() -> dict[str, str]:
    """{code: demonym} of the uncurated countries, leaving out a demonym several countries
    share or a curated country's list holds: "American" is the United States', not the
    Northern Mariana Islands'; "French" is France's, not French Polynesia's."""
    curated = _read_json("countries.json")
    taken = {name for c in curated for name in [c["name"], *c.get("aliases", [])]}
    found = {}
    for record in pycountry.countries:
        try:
            found[record.alpha_2] = CountryInfo(record.alpha_2).demonym() or ""
        except (CountryNotFoundError, KeyError, ValueError):
            continue
    shared = Counter(found.values())
    curated_codes = {c["code"] for c in curated}
    return {
        code: demonym for code, demonym in found.items()
        if code not in curated_codes and re.fullmatch(r"[A-Z][a-z]+", demonym)
        and shared[demonym] == 1 and demonym not in taken
    }


def _unique(names: list[str], *, exclude: str) -> list[str]:
    seen = {exclude}
    result = []
    for name in names:
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result
