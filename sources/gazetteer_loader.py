"""Fill the curated tables from the gazetteer shipped in sources/data/.

Only missing rows are added: a country, organisation or person that already exists (by ISO
code or canonical name) is left as curators made it. Runs once from a data migration, so a merge or
deletion a curator makes is not undone by the next `migrate`; `load_gazetteer` runs it on
demand after the shipped data grew.
"""

import json
from pathlib import Path

from .ingest.gazetteer import load_default_gazetteer

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_gazetteer(Country, Organisation):
    """Takes the model classes so that a migration can pass its historical models."""
    gazetteer = load_default_gazetteer()
    known_codes = set(Country.objects.values_list("code", flat=True))
    known_country_names = set(Country.objects.values_list("name", flat=True))
    new_countries = [
        Country(code=c.code, name=c.name, aliases="\n".join(c.aliases))
        for c in gazetteer.countries
        if c.code not in known_codes and c.name not in known_country_names
    ]
    Country.objects.bulk_create(new_countries)

    countries_by_code = {c.code: c for c in Country.objects.all()}
    known_organisations = set(Organisation.objects.values_list("name", flat=True))
    entries = json.loads((DATA_DIR / "organisations.json").read_text(encoding="utf-8"))
    new_organisations = [
        Organisation(
            name=entry["name"],
            aliases="\n".join(entry.get("aliases", [])),
            kind=entry.get("kind") or "other",
            country=countries_by_code.get(entry.get("country") or ""),
        )
        for entry in entries
        if entry["name"] not in known_organisations
    ]
    Organisation.objects.bulk_create(new_organisations)
    return len(new_countries), len(new_organisations)


def load_people(Person):
    """The shipped people the table lacks (by canonical name). Takes the model class, as above."""
    from .models import new_slugs  # works on a migration's historical model too

    known = set(Person.objects.values_list("name", flat=True))
    shipped = [p for p in load_default_gazetteer().people if p.name not in known]
    slugs = new_slugs(Person, [p.name for p in shipped])
    Person.objects.bulk_create(
        Person(name=p.name, aliases="\n".join(p.aliases), description=p.description, slug=slugs[p.name])
        for p in shipped
    )
    return len(shipped)
