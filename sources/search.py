"""The one search service: query -> hits, facets, snippets, timeline, suggestion.

Used by the HTML page, the JSON API, CSV export and the Atom feed alike; no view builds
its own query. It talks to haystack's SearchQuerySet only, so the engine stays a setting:

* the user's query is parsed by sources/query_syntax.py and passed to the engine as
  ``Raw``; a malformed query is never an error: its words are searched and ``message`` says
  so, except that a query nested past the parser's bounds is refused (InvalidSearch), so
  that machine clients get a 400 rather than a search for something else;
* facet filters are ``narrow(SQ(<facet>__in=[...]))`` on whole-value facet fields (Term
  queries in the Archive's engine, keyword fields elsewhere): narrowing filters the
  hits without taking part in their relevance score, so choosing a country never
  reorders the hits that were already there;
* several values within one facet OR, different facets AND; each facet's counts are
  computed with the OTHER facets' filters only, so unselected values stay visible;
* a page past the end is clamped to the last page (``SearchResults.page`` says which);
* hits are loaded with ONE query (+ prefetches) from Source.objects.published(), so an
  unpublished Source can never show even if the index lags behind.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Iterator

from django.utils.safestring import mark_safe
from haystack.inputs import Raw
from haystack.query import SQ, SearchQuerySet

from engine.extensions import ArchiveEngineExtension

from . import date_range, facets, highlight, version_lists
from .query_syntax import MAX_Q_CHARS, parse_query  # also the views' entry points
from .search_query import (  # noqa: F401 - the service's own vocabulary, re-exported
    DATE_PARAMS,
    FACETS,
    MAX_FACET_VALUES,
    MAX_PAGE,
    SORTS,
    InvalidSearch,
    SearchQuery,
)


SORT_FIELDS = {"newest": "-newest", "oldest": "oldest"}
#: At or below this many hits a did-you-mean suggestion is looked for: a typo that some
#: article shares ("Tajikstan" in one text) still deserves the common spelling.
SUGGEST_BELOW = 5
ITER_BATCH = 500
#: The index field holding, on a group's leader, the words its other versions add.
OTHER_VERSIONS_FIELD = "other_versions_text"

@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool
    querystring: str  # this search with the value toggled


@dataclass
class Hit:
    source: object
    snippets: list[str]  # safe HTML, <mark> only
    versions: list = field(default_factory=list)  # collapsed: the other published versions


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
    also_searched: list[str] = field(default_factory=list)
    undated_left_out: int = 0  # undated articles the date range leaves out

    @property
    def date_chip(self) -> tuple[str, str] | None:
        """(the range as read, this search without it), or None without a range."""
        query = self.query
        if not (query.published_from or query.published_to):
            return None
        label = f"{query.published_from or '…'} – {query.published_to or '…'}"
        if query.undated:
            label += " and undated"
        return label, query.querystring(page=1, **dict.fromkeys(DATE_PARAMS, ""))

    @property
    def include_undated_querystring(self) -> str:
        return self.query.querystring(undated=date_range.INCLUDE_UNDATED, page=1)

    @property
    def counts(self) -> str:
        """What the total and the facet counts count: stories (a group of versions once)
        when collapsed, else articles."""
        return "groups" if self.query.collapse else "articles"

    def chips(self) -> list[tuple[str, str, str]]:
        """(facet, value, querystring without it) for each selected filter."""
        out = []
        for facet in FACETS:
            for value in getattr(self.query, facet):
                out.append((facet, value, self.query.toggled(facet, value).querystring()))
        return out

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# ----------------------------------------------------------------------- searching


def _model():
    from .models import Source

    return Source


def _base_sqs():
    return SearchQuerySet().models(_model())


def _parse(q, exact=False, collapse=False):
    """The user's query for this engine: its own word for "every document" (stock
    Whoosh's parser reads the Lucene "*:*" inside an expression as everything).
    Collapsed, a group is found by the words of any of its versions (its leader holds
    the others' words in OTHER_VERSIONS_FIELD)."""
    also_in = OTHER_VERSIONS_FIELD if collapse else ""
    engine = _base_sqs().query
    return parse_query(q, match_all=engine.matching_all_fragment(), exact=exact, also_in=also_in,
                       known=_known_words(engine.backend))


def _known_words(backend):
    """The engine's check of which words the archive holds (engine/extensions.py), or
    None where it has none: a name's spellings are then not checked."""
    return backend.known_words if isinstance(backend, ArchiveEngineExtension) else None


def _apply(sqs, expression, query, skip=None):
    """The words, then ONE narrowing query: the query's facet filters (all but `skip`)
    and its date range, AND-ed. (Stock Whoosh joins several narrowing queries wrongly.)"""
    if expression:
        sqs = sqs.filter(content=Raw("(%s)" % expression))
    narrowing = [SQ(**{f"{facet}__in": list(values)}) for facet, values in query.filters.items() if facet != skip]
    if query.collapse:
        # A group of versions through its leader only: totals and facet counts count groups.
        narrowing.append(SQ(version_leads="yes"))
    in_range = _in_range(query.dates)
    if in_range is not None:
        narrowing.append(in_range)
    if not narrowing:
        return sqs
    combined = narrowing[0]
    for condition in narrowing[1:]:
        combined &= condition
    return sqs.narrow(combined)


def _in_range(dates):
    """The date range as a condition, or None without one."""
    if not dates.is_set:
        return None
    bounds = {}
    if dates.start:
        bounds["published_first__gte"] = dates.start
    if dates.end:
        bounds["published_last__lte"] = dates.end
    in_range = SQ(**bounds)
    if dates.include_undated:
        in_range |= SQ(year__in=[facets.UNDATED])
    return in_range


def _undated_left_out(parsed, query) -> int:
    """How many undated articles the date range leaves out (0 when they are included or
    the chosen years leave them out anyway)."""
    dates = query.dates
    if not dates.is_set or dates.include_undated or (query.year and facets.UNDATED not in query.year):
        return 0
    undated_only = replace(query, year=(facets.UNDATED,), **dict.fromkeys(DATE_PARAMS, ""))
    return _apply(_base_sqs(), parsed.expression, undated_only).count()


def _sorted(sqs, query: SearchQuery, expression):
    sort = query.sort or ("relevance" if expression else "newest")
    if sort == "relevance" and not expression:
        sort = "newest"
    if sort in SORT_FIELDS:
        sqs = sqs.order_by(SORT_FIELDS[sort])
    return sqs


def _facet_counts(sqs) -> dict[str, list[tuple[str, int]]]:
    fields = (sqs.facet_counts() or {}).get("fields") or {}
    out = {}
    for name, pairs in fields.items():
        out[name] = [(str(v), int(c)) for v, c in pairs if v not in (None, "", "None") and c > 0]
    return out


#: Values listed per facet, most articles first (the selected ones always): people alone
#: ran to 2,000 values on 3,000 articles, and a link for each was most of a search's time.
MAX_FACET_VALUES = 100


def _facet_values(query, facet, pairs):
    selected = getattr(query, facet)
    counts = dict(pairs)
    for value in selected:
        counts.setdefault(value, 0)
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    items = items[:MAX_FACET_VALUES] + [(v, c) for v, c in items[MAX_FACET_VALUES:] if v in selected]
    links = query.toggled_querystrings(facet, [value for value, _ in items])
    return [
        FacetValue(value=value, count=count, selected=value in selected, querystring=links[value])
        for value, count in items
    ]


def _timeline(query, year_pairs):
    """One bar per year from the first to the last (gaps as empty bars), then an "undated"
    bar when some articles have no known year: most of an archive can be undated."""
    counts = {int(v): c for v, c in year_pairs if v.isdigit()}
    undated = sum(c for v, c in year_pairs if v == "undated")
    if not counts and not undated:
        return []
    years = []
    if counts:
        lo, hi = min(counts), max(counts)
        years = sorted(counts) if hi - lo > 200 else list(range(lo, hi + 1))
    columns = [(year, counts.get(year, 0)) for year in years]
    if undated:
        columns.append(("undated", undated))
    top = max(count for _, count in columns)
    return [
        TimelineBar(
            year=year,
            count=count,
            selected=str(year) in query.year,
            querystring=query.toggled("year", str(year)).querystring(),
            height_percent=0 if not count else max(2, round(count * 100 / top)),
        )
        for year, count in columns
    ]


def _load_sources(pks):
    """Published Sources for these pks, in the given order: ONE query + prefetches."""
    if not pks:
        return []
    objects = _model().objects.published().for_listing().in_bulk(pks)
    return [objects[pk] for pk in pks if pk in objects]


def _pks(results):
    out = []
    for r in results:
        try:
            out.append(int(r.pk))
        except (TypeError, ValueError):
            continue
    return out


def _suggest(parsed, query, total):
    if not parsed.words or total > SUGGEST_BELOW:
        return None
    return _spelling_suggestion(parsed, query, total) or _any_of_the_words(parsed, query, total)


def _any_of_the_words(parsed, query, total):
    """Nothing has all the words a journalist typed: offer any of them, when that finds some."""
    if total or len(parsed.words) < 2:
        return None
    any_of = " OR ".join(parsed.words)
    return any_of if _apply(_base_sqs(), _parse(any_of, query.exact, query.collapse).expression, query).count() else None


def _spelling_suggestion(parsed, query, total):
    words = " ".join(parsed.words)
    sq = _base_sqs().query
    sq.set_limits(0, 1)
    try:
        # Asked in lower case, as the vocabulary is; the answer gets the user's casing back.
        suggestion = sq.get_spelling_suggestion(words.lower())
    except Exception:  # a suggestion is a nicety: never fail a search for it
        return None
    if not suggestion or suggestion.lower() == words.lower():
        return None
    suggestion = _in_users_casing(suggestion, parsed.words)
    better = _parse(suggestion, query.exact, query.collapse)
    count = _apply(_base_sqs(), better.expression, query).count()
    return suggestion if count > total else None


def _in_users_casing(suggestion, typed):
    """Each suggested word cased as the user typed the word it replaces (engines answer
    in lower case): Tajikstan -> Tajikistan, OSCE stays OSCE."""
    suggested = suggestion.split()
    if len(suggested) != len(typed):
        return suggestion
    out = []
    for new, old in zip(suggested, typed):
        if new.lower() == old.lower():
            out.append(old)
        elif old.isupper() and len(old) > 1:
            out.append(new.upper())
        elif old[:1].isupper():
            out.append(new[:1].upper() + new[1:])
        else:
            out.append(new)
    return " ".join(out)


def _page(main, parsed, query, per_page):
    """(searchqueryset run, its hits, total, page, pages): a page past the end is the last."""
    page = max(1, query.page)
    results = list(main[(page - 1) * per_page : page * per_page])
    total = main.count()
    if not results and page > 1:
        # Some engines (stock Whoosh) count 0 for a page past the end: count afresh.
        total = _apply(_base_sqs(), parsed.expression, query).count()
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        page = pages
        main = main._clone()
        results = list(main[(page - 1) * per_page : page * per_page])
        total = main.count()
    return main, results, total, page, pages


def _selected_facet_counts(parsed, query):
    """Each selected facet's counts with the other facets' filters only, so that a
    journalist sees the values beside the ones chosen."""
    counts = {}
    for facet in query.filters:
        # Sorted by a key, so that the engine does not score matches for a hit nobody reads.
        other = _apply(_base_sqs(), parsed.expression, query, skip=facet).facet(facet)
        other = other.order_by(SORT_FIELDS["newest"])
        list(other[:1])
        counts[facet] = _facet_counts(other).get(facet, [])
    return counts


def search(query: SearchQuery, per_page: int = 10) -> SearchResults:
    started = time.perf_counter()
    per_page = max(1, int(per_page))
    parsed = _parse(query.q, query.exact, query.collapse)
    filters = query.filters

    main = _apply(_base_sqs(), parsed.expression, query)
    main = _sorted(main, query, parsed.expression)
    unselected = [f for f in FACETS if f not in filters]
    for facet in unselected:
        # The engine lists the most counted only (one where it can: engine/facets.py).
        main = main.facet(facet, limit=MAX_FACET_VALUES)

    main, results, total, page, pages = _page(main, parsed, query, per_page)
    counts = _facet_counts(main) if unselected else {}
    counts.update(_selected_facet_counts(parsed, query))
    facets = {facet: _facet_values(query, facet, counts.get(facet, [])) for facet in FACETS}
    timeline = _timeline(query, counts.get("year", []))

    sources = _load_sources(_pks(results))
    hits = [
        Hit(source=s, snippets=[mark_safe(h) for h in highlight.snippets(s.text, parsed.highlight)])
        for s in sources
    ]

    if query.collapse:
        versions = version_lists.versions_of_hits(sources)
        for hit in hits:
            hit.versions = versions.get(hit.source.pk, [])

    suggestion = _suggest(parsed, query, total)
    suggestion_qs = query.querystring(q=suggestion, page=1) if suggestion else None
    effective = replace(query, page=page)
    return SearchResults(
        query=effective,
        hits=hits,
        total=total,
        page=page,
        pages=pages,
        per_page=per_page,
        facets=facets,
        timeline=timeline,
        suggestion=suggestion,
        suggestion_querystring=suggestion_qs,
        took_ms=round((time.perf_counter() - started) * 1000, 1),
        message=parsed.message,
        also_searched=parsed.also_searched,
        undated_left_out=_undated_left_out(parsed, query),
    )


def iter_hits(query: SearchQuery) -> Iterator[object]:
    """Every hit of the search (not one page), in its order, fetched in batches."""
    parsed = _parse(query.q, query.exact, query.collapse)
    sqs = _sorted(_apply(_base_sqs(), parsed.expression, query), query, parsed.expression)
    start = 0
    while True:
        batch = list(sqs._clone()[start : start + ITER_BATCH])
        if not batch:
            return
        yield from _load_sources(_pks(batch))
        if len(batch) < ITER_BATCH:
            return
        start += ITER_BATCH


def related(source, limit: int = 5) -> list[object]:
    """More like this: published Sources only, never the source itself."""
    if source is None or source.pk is None or limit <= 0:
        return []
    try:
        results = list(_base_sqs().more_like_this(source)[: limit + 5])
    except Exception:  # related articles are a nicety on the detail page
        import logging

        logging.getLogger(__name__).exception("more_like_this failed for %s", source.pk)
        return []
    pks = [pk for pk in _pks(results) if pk != source.pk]
    return _load_sources(pks)[:limit]


def articles_per_value(facet: str) -> dict[str, int]:
    """Every value of `facet` with its number of published articles (the entity lists)."""
    everything = _apply(_base_sqs(), "", SearchQuery()).facet(facet)
    everything = everything.order_by(SORT_FIELDS["newest"])  # nobody reads a score here
    list(everything[:1])
    return dict(_facet_counts(everything).get(facet, []))


@dataclass
class EntityProfile:
    """What the archive knows about one country or organisation, from one faceted query."""

    total: int
    latest: list  # the newest published Sources that mention it
    timeline: list[TimelineBar]  # by year of publication; each bar links to the search
    mentioned_with: dict[str, list[tuple[str, int]]]  # facet -> [(value, articles)], itself left out
    search_querystring: str  # the search filtered by it


def entity_profile(facet: str, value: str, mentioned_with=(), latest: int = 10, top: int = 10) -> EntityProfile:
    """The articles that have `value` in `facet`: how many, the newest, by year, and the
    values of the `mentioned_with` facets most often found beside it."""
    query = SearchQuery(**{facet: (value,)})
    sqs = _apply(_base_sqs(), "", query).order_by(SORT_FIELDS["newest"])
    for name in FACETS:
        sqs = sqs.facet(name)
    newest = list(sqs[:latest])
    counts = _facet_counts(sqs)
    beside = {
        name: [(v, c) for v, c in counts.get(name, []) if not (name == facet and v == value)][:top]
        for name in mentioned_with
    }
    return EntityProfile(
        total=sqs.count(),
        latest=_load_sources(_pks(newest)),
        timeline=_timeline(query, counts.get("year", [])),
        mentioned_with=beside,
        search_querystring=query.querystring(),
    )
