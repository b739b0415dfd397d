"""The kinds of curated entity that have pages of their own (/countries/, /organisations/),
each declared once: its URL word, labels, the facet that filters by it, its model, and how
a URL names one. A new kind (people, outlets) is one entry here.

Countries are named by their ISO code (/countries/tj/: short, and stable when a curator
corrects the name); organisations by a slug of their canonical name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.apps import apps
from django.db.models import Count, Q
from django.utils.text import slugify


@dataclass(frozen=True)
class EntityKind:
    word: str  # in URLs and the JSON: /countries/, /api/countries/<slug>
    label: str  # "Country"
    plural: str  # "Countries"
    facet: str  # the facet (sources/facets.py) that filters articles by it
    model_name: str
    mention_name: str  # the through model's query name from the entity ("countrymention")
    slug_of: Callable[[object], str]
    find: Callable[[str], object | None]

    @property
    def model(self):
        return apps.get_model("sources", self.model_name)

    def with_counts(self, name_contains=""):
        """Every entity of this kind with `articles`: its published Sources, most first."""
        mention = self.mention_name
        entities = self.model.objects.annotate(
            articles=Count(f"{mention}__source", filter=Q(**{f"{mention}__source__is_published": True}))
        )
        if name_contains:
            entities = entities.filter(Q(name__icontains=name_contains) | Q(aliases__icontains=name_contains))
        return entities.order_by("-articles", "name")


def _country_by_code(slug):
    return apps.get_model("sources", "Country").objects.filter(code__iexact=slug[:2]).first() if len(slug) == 2 else None


def _organisation_by_slug(slug):
    for organisation in apps.get_model("sources", "Organisation").objects.only("pk", "name"):
        if slugify(organisation.name) == slug:
            return apps.get_model("sources", "Organisation").objects.get(pk=organisation.pk)
    return None


KINDS = (
    EntityKind("countries", "Country", "Countries", "country", "Country", "countrymention",
               lambda country: country.code.lower(), _country_by_code),
    EntityKind("organisations", "Organisation", "Organisations", "organisation", "Organisation",
               "organisationmention", lambda organisation: slugify(organisation.name), _organisation_by_slug),
)
BY_WORD = {kind.word: kind for kind in KINDS}
BY_FACET = {kind.facet: kind for kind in KINDS}
