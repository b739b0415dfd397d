"""The kinds of curated entity that have pages of their own (/countries/, /organisations/,
/people/, /outlets/), each declared once: its URL word, labels, the facet that filters by
it, its model, and how a URL names one. A new kind is one entry here.

Countries are named by their ISO code (/countries/tj/: short, and stable when a curator
corrects the name); organisations, people and outlets by a slug of their canonical name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.apps import apps
from django.db.models import Q
from django.utils.text import slugify


@dataclass(frozen=True)
class EntityKind:
    word: str  # in URLs and the JSON: /countries/, /api/countries/<slug>
    label: str  # "Country"
    plural: str  # "Countries"
    facet: str  # the facet (sources/facets.py) that filters articles by it
    model_name: str
    with_heading: str  # above its list on another entity's page
    slug_of: Callable[[object], str]
    find: Callable[[str], object | None]

    @property
    def model(self):
        return apps.get_model("sources", self.model_name)

    def most_mentioned(self, articles: dict[str, int], name_contains="", limit=300):
        """([(entity, its articles)], how many more match): most articles first, then by
        name. `articles` maps a name to its published articles, as the search counts them,
        so that the list says what the entity's page and the filtered search say."""
        entities = self.model.objects.all()
        if name_contains:
            entities = entities.filter(Q(name__icontains=name_contains) | Q(aliases__icontains=name_contains))
        ranked = sorted(entities.values_list("pk", "name"), key=lambda row: (-articles.get(row[1], 0), row[1]))
        chosen = ranked[:limit]
        by_pk = self.model.objects.in_bulk([pk for pk, _ in chosen])
        return [(by_pk[pk], articles.get(name, 0)) for pk, name in chosen], len(ranked) - len(chosen)


def _country_by_code(slug):
    return apps.get_model("sources", "Country").objects.filter(code__iexact=slug[:2]).first() if len(slug) == 2 else None


def _by_name_slug(model_name):
    def find(slug):
        model = apps.get_model("sources", model_name)
        pk = next((pk for pk, name in model.objects.values_list("pk", "name") if slugify(name) == slug), None)
        return None if pk is None else model.objects.get(pk=pk)

    return find


def _name_slug(entity):
    return slugify(entity.name)


KINDS = (
    EntityKind("countries", "Country", "Countries", "country", "Country", "Countries mentioned with it",
               lambda country: country.code.lower(), _country_by_code),
    EntityKind("organisations", "Organisation", "Organisations", "organisation", "Organisation",
               "Organisations mentioned with it", _name_slug, _by_name_slug("Organisation")),
    EntityKind("people", "Person", "People", "person", "Person", "People mentioned with it",
               lambda person: person.slug,
               lambda slug: apps.get_model("sources", "Person").objects.filter(slug=slug).first()),
    EntityKind("outlets", "Outlet", "Outlets", "outlet", "Outlet", "Outlets that published it",
               _name_slug, _by_name_slug("Outlet")),
)
BY_WORD = {kind.word: kind for kind in KINDS}
BY_FACET = {kind.facet: kind for kind in KINDS}
