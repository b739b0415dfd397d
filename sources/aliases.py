"""Search-time aliases: a query for one name of an organisation or a person finds its other
names too (Daesh finds ISIS and Islamic State, Khalimov finds Halimov), the way the facets
already treat them as one."""

import re
from dataclasses import dataclass, field

# Two-letter names (IS, UN, US) are ordinary words to the full-text index.
MIN_ALIAS_LENGTH = 3


def words_of(text):
    return tuple(re.findall(r"\w+", text))


def is_acronym(name):
    """HuT, IRPT, ISIS: matched case-sensitively, so "hut" stays a hut."""
    return " " not in name and sum(c.isupper() for c in name) >= 2


@dataclass
class AliasTable:
    exact: dict = field(default_factory=dict)  # acronym words -> names
    folded: dict = field(default_factory=dict)  # lower-cased words -> names
    #: A country's one-word forms by each of them, lower-cased ("kyrgyz" -> Kyrgyzstan,
    #: Kyrgyz, Kyrgyzstani): used in compounds only (COMPOUND_ENDS).
    country_forms: dict = field(default_factory=dict)

    @classmethod
    def from_names(cls, groups):
        """groups: an iterable of name lists, one list per organisation or person."""
        table = cls()
        for names in groups:
            names = [n for n in dict.fromkeys(names) if len(n) >= MIN_ALIAS_LENGTH and words_of(n)]
            if len(names) < 2:
                continue
            for name in names:
                if is_acronym(name):
                    table.exact[words_of(name)] = names
                else:
                    table.folded[tuple(w.lower() for w in words_of(name))] = names
        return table

    def compound_forms(self, word):
        """The other one-word forms of the country `word` is a form of, for a compound that
        ends in COMPOUND_ENDS ("Kyrgyz-born" = "Kyrgyzstan-born"); [] for other words."""
        return [form for form in self.country_forms.get(word.lower(), []) if form.lower() != word.lower()]

    def names_for(self, words):
        """All names of the organisation or person these words name, or [] when they name none."""
        return self.exact.get(tuple(words)) or self.folded.get(tuple(w.lower() for w in words)) or []


_cached: tuple[int, AliasTable] | None = None


def load_alias_table():
    """The current alias table: rebuilt when the names changed (NamesVersion), else this
    process's copy."""
    global _cached
    from .models import NamesVersion

    version = NamesVersion.objects.filter(pk=1).values_list("counter", flat=True).first() or 0
    if _cached is None or _cached[0] != version:
        _cached = (version, _build_alias_table())
    return _cached[1]


def names_changed(**kwargs):
    """Connected to the saves and deletions of countries, organisations and people."""
    from django.db.models import F

    from .models import NamesVersion

    if not NamesVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        NamesVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def _build_alias_table():
    from .models import Country, Organisation, Person

    # People without other names (most of those the rules found) have nothing to add.
    people = Person.objects.exclude(aliases="").only("name", "aliases")
    groups = [[entity.name, *entity.alias_list] for entity in [*Organisation.objects.only("name", "aliases"), *people]]
    # A country's name and its Russian forms only: "Таджикистан" finds Tajikistan and the
    # reverse, while "Tajikistan" is not widened to "Tajik" (a people, not the state).
    # Its one-word Latin forms join in compounds only ("Kyrgyz-born" = "Kyrgyzstan-born").
    countries = list(Country.objects.only("name", "aliases"))
    for country in countries:
        cyrillic = [alias for alias in country.alias_list if is_cyrillic(alias)]
        if cyrillic:
            groups.append([country.name, *cyrillic])
    table = AliasTable.from_names(groups)
    for country in countries:
        forms = [n for n in (country.name, *country.alias_list) if len(words_of(n)) == 1 and not is_cyrillic(n)]
        table.country_forms.update({form.lower(): forms for form in forms if len(form) >= MIN_ALIAS_LENGTH})
    return table


def is_cyrillic(text):
    return bool(re.search("[а-яёА-ЯЁ]", text))
