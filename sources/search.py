"""The one search service: query -> hits, facets, snippets, timeline, suggestion.

Used by the HTML page, the JSON API, CSV export and the Atom feed alike; no view builds
its own query. Works through haystack's SearchQuerySet only, so that the engine stays a
setting (Whoosh-specific speed-ups live in sources/whoosh_backend.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterator

FACETS = ("country", "organisation", "year", "mentioned_year")
SORTS = ("", "relevance", "newest", "oldest")
MAX_Q_CHARS = 1000
UNDATED = "undated"


class InvalidSearch(ValueError):
    """str(exc) is a user-facing message; the API maps it to 400."""


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    country: tuple[str, ...] = ()
    organisation: tuple[str, ...] = ()
    year: tuple[str, ...] = ()  # "2017" or "undated"
    mentioned_year: tuple[str, ...] = ()  # "2015"
    sort: str = ""  # "" = relevance with a q, newest without
    page: int = 1

    @classmethod
    def from_params(cls, params) -> "SearchQuery":
        raise NotImplementedError

    def querystring(self, **changes) -> str:
        raise NotImplementedError

    def toggled(self, facet: str, value: str) -> "SearchQuery":
        raise NotImplementedError


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool
    querystring: str


@dataclass
class Hit:
    source: object
    snippets: list[str]


@dataclass
class TimelineBar:
    year: int
    count: int
    selected: bool
    querystring: str
    height_percent: int


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit]
    total: int
    page: int
    pages: int
    per_page: int
    facets: dict[str, list[FacetValue]]
    timeline: list[TimelineBar]
    suggestion: str | None = None
    suggestion_querystring: str | None = None
    took_ms: float = 0.0
    message: str | None = None

    def chips(self) -> list[tuple[str, str, str]]:
        raise NotImplementedError


def search(query: SearchQuery, per_page: int = 10) -> SearchResults:
    raise NotImplementedError


def iter_hits(query: SearchQuery) -> Iterator[object]:
    raise NotImplementedError


def related(source, limit: int = 5) -> list[object]:
    raise NotImplementedError
