"""What a journalist asked for: the words, the facet values, the date range, the sort and
the page, read from a request's parameters (``SearchQuery.from_params``, which refuses
what cannot be searched with a user-facing InvalidSearch) and written back as a stable
querystring for links and permalinks."""

from __future__ import annotations

import re
from dataclasses import field, make_dataclass, replace
from urllib.parse import urlencode

from . import date_range, facets
from .query_syntax import MAX_Q_CHARS, TOO_COMPLEX_MESSAGE, clean_text, is_too_complex

FACETS = facets.NAMES
SORTS = ("", "relevance", "newest", "oldest")
DATE_PARAMS = ("published_from", "published_to", "undated")
MAX_FACET_VALUES = 50
MAX_PAGE = 100_000


class InvalidSearch(ValueError):
    """str(exc) is a user-facing message; the API maps it to 400."""


def _getlist(params, name):
    if hasattr(params, "getlist"):
        return list(params.getlist(name))
    value = params.get(name) if hasattr(params, "get") else None
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _dedupe(values):
    seen = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return tuple(seen)


class _SearchQueryMethods:
    @classmethod
    def from_params(cls, params) -> "SearchQuery":
        """From a QueryDict (or a dict). Raises InvalidSearch with a user-facing message."""
        q = " ".join(_getlist(params, "q"))
        q = clean_text(q)
        q = re.sub(r"\s+", " ", q).strip()[:MAX_Q_CHARS].strip()
        if is_too_complex(q):
            raise InvalidSearch(TOO_COMPLEX_MESSAGE)
        values = {facet.name: _facet_param(params, facet) for facet in facets.FACETS}

        sort = (_getlist(params, "sort") or [""])[-1].strip().lower()
        if sort not in SORTS:
            raise InvalidSearch("Unknown sort order: use relevance, newest or oldest.")

        page_raw = (_getlist(params, "page") or [""])[-1].strip()
        if page_raw == "":
            page = 1
        elif re.fullmatch(r"\d{1,9}", page_raw) and int(page_raw) >= 1:
            page = min(int(page_raw), MAX_PAGE)
        else:
            raise InvalidSearch("The page must be a whole number, 1 or more.")
        dates = {name: (_getlist(params, name) or [""])[-1].strip()[:40] for name in DATE_PARAMS}
        try:
            date_range.parse_range(*dates.values())
        except date_range.InvalidDateRange as exc:
            raise InvalidSearch(str(exc)) from None
        return cls(q=q, sort=sort, page=page, **values, **dates,
                   exact=_flag(params, "exact", False, "exact must be 1 (only the names as typed) or 0."),
                   collapse=_flag(params, "collapse", True, COLLAPSE_MESSAGE))

    def params(self, **changes) -> list[tuple[str, str]]:
        query = replace(self, **changes) if changes else self
        out = []
        if query.q:
            out.append(("q", query.q))
        for facet in FACETS:
            out.extend((facet, v) for v in getattr(query, facet))
        out.extend((name, getattr(query, name)) for name in DATE_PARAMS if getattr(query, name))
        if query.exact:
            out.append(("exact", "1"))
        if query.sort:
            out.append(("sort", query.sort))
        if query.page and query.page != 1:
            out.append(("page", str(query.page)))
        if not query.collapse:
            out.append(("collapse", "0"))
        return out

    def querystring(self, **changes) -> str:
        """Urlencoded, stable parameter order, page omitted when 1 (for permalinks)."""
        return urlencode(self.params(**changes))

    def toggled(self, facet: str, value: str) -> "SearchQuery":
        """This search with a facet value added or removed, back on page 1."""
        if facet not in FACETS:
            raise ValueError(f"unknown facet {facet!r}")
        value = str(value)
        current = getattr(self, facet)
        new = tuple(v for v in current if v != value) if value in current else current + (value,)
        return replace(self, page=1, **{facet: new})

    def toggled_querystrings(self, facet: str, values) -> dict[str, str]:
        """{value: toggled(facet, value).querystring()} for many values at once: the
        parameters around the facet's are encoded once (seven facets of a hundred values
        each made a search page's links a sixth of its time at 100,000 articles)."""
        current = getattr(self, facet)
        params = replace(self, page=1, **{facet: ()}).params()
        at = (1 if self.q else 0) + sum(len(getattr(self, f)) for f in FACETS[: FACETS.index(facet)])
        head, tail = urlencode(params[:at]), urlencode(params[at:])
        out = {}
        for value in values:
            value = str(value)
            new = tuple(v for v in current if v != value) if value in current else current + (value,)
            middle = urlencode([(facet, v) for v in new])
            out[value] = "&".join(part for part in (head, middle, tail) if part)
        return out

    @property
    def filters(self) -> dict[str, tuple[str, ...]]:
        return {facet: getattr(self, facet) for facet in FACETS if getattr(self, facet)}

    @property
    def dates(self) -> date_range.DateRange:
        """The publication-date range (checked in from_params)."""
        return date_range.parse_range(self.published_from, self.published_to, self.undated)


COLLAPSE_MESSAGE = "collapse must be 1 (one result per story, its other versions listed) or 0 (every version)."


def _flag(params, name, default, message) -> bool:
    raw = (_getlist(params, name) or [""])[-1].strip().lower()
    if raw == "":
        return default
    if raw in ("1", "on", "true", "yes"):
        return True
    if raw in ("0", "off", "false", "no"):
        return False
    raise InvalidSearch(message)


def _facet_param(params, facet) -> tuple[str, ...]:
    """One facet's values from the request, each as indexed, in order, without repeats."""
    raw = [clean_text(v).strip() for v in _getlist(params, facet.name)]
    raw = [v[: facets.MAX_VALUE_CHARS] for v in raw if v]
    if len(raw) > MAX_FACET_VALUES:
        raise InvalidSearch(f"Too many values for {facet.name} (at most {MAX_FACET_VALUES}).")
    try:
        return _dedupe(facet.parse(v) for v in raw)
    except facets.InvalidFacetValue as exc:
        raise InvalidSearch(str(exc)) from None


#: The words (q), one tuple of values per facet of the registry (sources/facets.py),
#: the sort ("" = relevance with words, newest without), the page, the publication
#: dates as typed (sources/date_range.py) and whether the versions of one article are
#: one result (the default; sources/versions.py).
SearchQuery = make_dataclass(
    "SearchQuery",
    [
        ("q", str, field(default="")),
        ("exact", bool, field(default=False)),  # only the spellings typed, no other names
        *[(name, tuple[str, ...], field(default=())) for name in FACETS],
        ("sort", str, field(default="")),
        ("page", int, field(default=1)),
        *[(name, str, field(default="")) for name in DATE_PARAMS],
        ("collapse", bool, field(default=True)),
    ],
    bases=(_SearchQueryMethods,),
    frozen=True,
    namespace={"__module__": __name__},
)
