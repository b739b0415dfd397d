"""The one way tests make a Source directly (not through the importer): a Source as the
importer would leave it, with its countries, organisations, people and mentioned years. Signals
index it after commit, as for any other save.

Keyword arguments are the model's own fields (``is_published``, ``published`` for the
date, ``outlet``, ``slug``...); only the entities and years are lists of names.
"""

import itertools
import uuid

_counter = itertools.count(1)
# Countries the tests name, with their real codes; others get an unused code.
COUNTRY_CODES = {
    "Syria": "SY",
    "Kyrgyzstan": "KG",
    "Afghanistan": "AF",
    "Iraq": "IQ",
    "Jordan": "JO",
    "Narnia": "XN",
}


def make_source(title, text=None, *, countries=(), organisations=(), people=(), years=(), mentions=1, **fields):
    from sources.models import (
        CountryMention, MentionedYear, Organisation, OrganisationMention, Person, PersonMention, Source,
    )

    n = next(_counter)
    text = text if text is not None else f"{title}. Body paragraph number {n}."
    fields.setdefault("slug", f"{uuid.uuid4().hex[:12]}-{n}")
    fields.setdefault("source_file", f"test/{n}.txt")
    fields.setdefault("fingerprint", uuid.uuid4().hex)
    fields.setdefault("date_precision", "day" if fields.get("published") else "unknown")
    source = Source.objects.create(title=title, text=text, raw_text=text, **fields)
    for name in countries:
        CountryMention.objects.create(source=source, country=_country(name), mentions=mentions)
    for name in organisations:
        organisation, _ = Organisation.objects.get_or_create(name=name)
        OrganisationMention.objects.create(source=source, organisation=organisation, mentions=mentions)
    for name in people:
        person = Person.objects.filter(name=name).first() or Person.objects.create(name=name)
        PersonMention.objects.create(source=source, person=person, mentions=mentions)
    for year in years:
        MentionedYear.objects.create(source=source, year=year)
    return source


def _country(name):
    from sources.models import Country

    country = Country.objects.filter(name=name).first()
    if country is not None:
        return country
    taken = set(Country.objects.values_list("code", flat=True))
    code = COUNTRY_CODES.get(name)
    if code is None or code in taken:
        code = next(a + b for a, b in itertools.product("QWXZJKVY", repeat=2) if a + b not in taken)
    return Country.objects.create(name=name, code=code)
