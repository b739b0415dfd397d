"""The facets, each declared once: what a search can be narrowed by.

Everything else reads this registry: the index (sources/search_indexes.py builds one
facet field per entry), the search service (SearchQuery's fields, parameter validation,
facet counts, chips), the views, API, CSV and Atom titles (labels) and the templates
(``facet_label`` / ``facet_value_label``).

Adding a facet is ONE entry in FACETS below plus its ``prepare_<name>`` method on
SourceIndex (what the value is for one Source), then a rebuild of the index; an entry
that names `listed_as` also lists the article's values in API hits and CSV rows. The value
filtered on is the indexed value itself, whole (never split into words), so the parser
only has to bring a typed value to that form or say why it cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from haystack import fields as hfields

UNDATED = "undated"
MAX_VALUE_CHARS = 200


class InvalidFacetValue(ValueError):
    """str(exc) is a user-facing message."""


def as_text(value: str) -> str:
    return value


def as_year_or_undated(value: str) -> str:
    if value.lower() == UNDATED:
        return UNDATED
    if re.fullmatch(r"\d{1,4}", value):
        return str(int(value))
    raise InvalidFacetValue(f"“{value[:40]}” is not a year: use a year like 2017, or “undated”.")


def as_year(value: str) -> str:
    if re.fullmatch(r"\d{1,4}", value):
        return str(int(value))
    raise InvalidFacetValue(f"“{value[:40]}” is not a year: use a year like 2015.")


@dataclass(frozen=True)
class Facet:
    name: str  # URL parameter, index field and SearchQuery attribute alike
    label: str  # shown above its values and in feed titles
    parse: Callable[[str], str]  # a typed value -> the indexed value, or InvalidFacetValue
    # An article's own values, listed in API hits and CSV rows under `listed_as` ("": not
    # listed): `values_of(source)` reads what `prefetch()` (for Source.objects.for_listing)
    # fetched, so a page of hits costs a fixed number of queries.
    listed_as: str = ""
    values_of: Callable[[object], list] | None = None
    prefetch: Callable[[], object] | None = None

    def index_field(self):
        """The haystack field that holds this facet's whole values. Multi-valued for
        every facet, one value or several: on every engine a list of keywords, never
        analysed text (stock Whoosh stems a single-valued facet: "undated" -> "undat")."""
        return hfields.FacetMultiValueField()


def _most_mentioned(relation, model, mention):
    """A prefetch of an article's entities, most-mentioned first: what it is about."""

    def prefetch():
        from django.apps import apps
        from django.db.models import Prefetch

        queryset = apps.get_model("sources", model).objects.order_by(f"-{mention}__mentions", "name")
        return Prefetch(relation, queryset=queryset)

    return prefetch


def _names(relation):
    return lambda source: [entity.name for entity in getattr(source, relation).all()]


def _country_rows():
    """The article's country rows with their countries, most mentioned first: the facet
    takes the countries it is about, `Source.passing_countries` the rest."""
    from django.apps import apps
    from django.db.models import Prefetch

    rows = apps.get_model("sources", "CountryMention").objects.select_related("country")
    return Prefetch("countrymention_set", queryset=rows.order_by("-mentions", "country__name"))


FACETS = (
    Facet("country", "Country", as_text, "countries",
          lambda source: [country.name for country in source.about_countries], _country_rows),
    Facet("organisation", "Organisation", as_text, "organisations", _names("organisations"),
          _most_mentioned("organisations", "Organisation", "organisationmention")),
    Facet("person", "Person", as_text, "people", _names("people"),
          _most_mentioned("people", "Person", "personmention")),
    Facet("outlet", "Outlet", as_text),
    Facet("language", "Language", as_text),
    Facet("year", "Year published", as_year_or_undated),
    Facet("mentioned_year", "Years mentioned", as_year, "years", lambda source: source.years,
          lambda: "mentioned_years"),
)
NAMES = tuple(facet.name for facet in FACETS)
LABELS = {facet.name: facet.label for facet in FACETS}
BY_NAME = {facet.name: facet for facet in FACETS}
LISTED = tuple(facet for facet in FACETS if facet.listed_as)


def value_label(value) -> str:
    """How a facet value reads on a page: the "undated" bucket as "Undated"."""
    return "Undated" if str(value) == UNDATED else value
