"""The one search service: query -> hits, facets, snippets, timeline, suggestion.

Used by the HTML page, the JSON API, CSV export and the Atom feed alike; no view builds
its own query. It talks to haystack's SearchQuerySet only, so the engine stays a setting:

* the user's query is parsed here into a small syntax tree (words, "phrases", AND/OR/NOT,
  -exclusion, title:/outlet:/author:, prefix*) and written out fully parenthesised in the
  syntax Whoosh and Lucene/Elasticsearch share, passed as ``Raw``; a malformed query is
  never an error: its words are searched and ``message`` says so;
* facet filters are ``narrow(SQ(<facet>__in=[...]))`` on whole-value facet fields (Term
  queries in sources/whoosh_backend.py, keyword fields elsewhere): narrowing filters the
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
import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Iterator
from urllib.parse import urlencode

from django.utils.safestring import mark_safe
from haystack.inputs import Raw
from haystack.query import SQ, SearchQuerySet

from . import highlight
from .aliases import AliasTable, load_alias_table, words_of

FACETS = ("country", "organisation", "year", "mentioned_year")
SORTS = ("", "relevance", "newest", "oldest")
SORT_FIELDS = {"newest": "-newest", "oldest": "oldest"}
MAX_Q_CHARS = 1000
MAX_TERMS = 64
MAX_FACET_VALUES = 50
MAX_PAGE = 100_000
UNDATED = "undated"
#: At or below this many hits a did-you-mean suggestion is looked for.
SUGGEST_BELOW = 2
FIELD_NAMES = ("title", "outlet", "author")
ITER_BATCH = 500

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


class InvalidSearch(ValueError):
    """str(exc) is a user-facing message; the API maps it to 400."""


def _clean_text(value: str) -> str:
    value = unicodedata.normalize("NFC", str(value))
    value = _CONTROL.sub(" ", value)
    return value


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
        """From a QueryDict (or a dict). Raises InvalidSearch with a user-facing message."""
        q = " ".join(_getlist(params, "q"))
        q = _clean_text(q)
        q = re.sub(r"\s+", " ", q).strip()[:MAX_Q_CHARS].strip()

        values = {}
        for facet in FACETS:
            raw = [_clean_text(v).strip() for v in _getlist(params, facet)]
            raw = [v[:200] for v in raw if v]
            if len(raw) > MAX_FACET_VALUES:
                raise InvalidSearch(f"Too many values for {facet} (at most {MAX_FACET_VALUES}).")
            values[facet] = _dedupe(raw)
        years = []
        for v in values["year"]:
            if v.lower() == UNDATED:
                years.append(UNDATED)
            elif re.fullmatch(r"\d{1,4}", v):
                years.append(str(int(v)))
            else:
                raise InvalidSearch(f"“{v[:40]}” is not a year: use a year like 2017, or “undated”.")
        values["year"] = _dedupe(years)
        mentioned = []
        for v in values["mentioned_year"]:
            if not re.fullmatch(r"\d{1,4}", v):
                raise InvalidSearch(f"“{v[:40]}” is not a year: use a year like 2015.")
            mentioned.append(str(int(v)))
        values["mentioned_year"] = _dedupe(mentioned)

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
        return cls(q=q, sort=sort, page=page, **values)

    def params(self, **changes) -> list[tuple[str, str]]:
        query = replace(self, **changes) if changes else self
        out = []
        if query.q:
            out.append(("q", query.q))
        for facet in FACETS:
            out.extend((facet, v) for v in getattr(query, facet))
        if query.sort:
            out.append(("sort", query.sort))
        if query.page and query.page != 1:
            out.append(("page", str(query.page)))
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

    @property
    def filters(self) -> dict[str, tuple[str, ...]]:
        return {facet: getattr(self, facet) for facet in FACETS if getattr(self, facet)}


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


# --------------------------------------------------------------------------- parsing


class _Malformed(Exception):
    pass


_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<field>(?:title|outlet|author):)(?=\S)
  | (?P<minus>-)(?=["\w(])
  | (?P<phrase>"[^"]*")
  | (?P<quote>")
  | (?P<word>[\w][\w'’.\-]*\*?)
  | (?P<other>.)
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass
class _Term:
    kind: str  # "word" | "phrase" | "prefix"
    words: tuple[str, ...]
    field: str = ""


@dataclass
class _Node:
    op: str  # "AND" | "OR" | "NOT"
    children: list


@dataclass
class ParsedQuery:
    expression: str  # in the shared Whoosh/Lucene syntax; "" = everything
    words: list[str] = field(default_factory=list)  # plain words, for suggestions
    highlight: highlight.Terms = field(default_factory=highlight.Terms)
    message: str | None = None
    also_searched: list[str] = field(default_factory=list)  # aliases the query was widened to


def _tokens(q):
    out = []
    for m in _TOKEN_RE.finditer(q):
        kind = m.lastgroup
        text = m.group()
        if kind == "ws":
            continue
        if kind == "word" and text in ("AND", "OR", "NOT"):
            out.append(("op", text))
        elif kind == "word" and text in ("&&", "||"):
            out.append(("op", "AND" if text == "&&" else "OR"))
        else:
            out.append((kind, text))
    return out


def _split_words(text):
    return tuple(re.findall(r"\w+", text))


def _make_term(text, fieldname=""):
    if text.startswith('"'):
        words = _split_words(text[1:-1])
        if not words:
            return None
        return _Term("phrase" if len(words) > 1 else "word", words, fieldname)
    prefix = text.endswith("*")
    words = _split_words(text.rstrip("*"))
    if not words:
        return None
    if prefix and len(words) == 1:
        if len(words[0]) < 2:
            raise _Malformed("A * needs at least two letters before it.")
        return _Term("prefix", words, fieldname)
    return _Term("phrase" if len(words) > 1 else "word", words, fieldname)


class _Parser:
    """or := and (OR and)* ; and := unary ((AND)? unary)* ; unary := (NOT|-) unary | primary"""

    def __init__(self, tokens):
        self.tokens = tokens
        self.i = 0
        self.count = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self):
        if not self.tokens:
            return None
        node = self.parse_or()
        if self.i < len(self.tokens):
            raise _Malformed("unexpected " + str(self.peek()[1]))
        return node

    def parse_or(self):
        children = [self.parse_and()]
        while self.peek() == ("op", "OR"):
            self.take()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else _Node("OR", children)

    def parse_and(self):
        children = [self.parse_unary()]
        while True:
            kind, text = self.peek()
            if kind is None or kind == "rparen" or (kind, text) == ("op", "OR"):
                break
            if (kind, text) == ("op", "AND"):
                self.take()
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else _Node("AND", children)

    def parse_unary(self):
        kind, text = self.peek()
        if kind == "minus" or (kind, text) == ("op", "NOT"):
            self.take()
            return _Node("NOT", [self.parse_unary()])
        return self.parse_primary()

    def parse_primary(self):
        kind, text = self.take()
        if kind == "lparen":
            node = self.parse_or()
            if self.take()[0] != "rparen":
                raise _Malformed("unbalanced brackets")
            return node
        fieldname = ""
        if kind == "field":
            fieldname = text[:-1].lower()
            kind, text = self.take()
            if kind not in ("word", "phrase"):
                raise _Malformed("a field name needs a word after it")
        if kind in ("word", "phrase"):
            term = _make_term(text, fieldname)
            if term is None:
                raise _Malformed("empty phrase")
            self.count += 1
            if self.count > MAX_TERMS:
                raise _Malformed("too many words")
            return term
        raise _Malformed("unexpected " + str(text))


def _render_term(term):
    words = term.words
    if term.kind == "every":  # the anchor of a purely negative query
        return "*:*"
    if term.kind == "prefix":
        body = words[0].lower() + "*"
    elif term.kind == "phrase":
        body = '"' + " ".join(words) + '"'
    else:
        body = words[0]
    return (term.field + ":" if term.field else "") + body


def _render(node):
    if isinstance(node, _Term):
        return _render_term(node)
    if node.op == "NOT":
        return "NOT " + _render(node.children[0])
    return "(" + (" %s " % node.op).join(_render(c) for c in node.children) + ")"


def _collect(node, positive, out):
    """Positive terms (not under NOT), for highlighting and suggestions."""
    if isinstance(node, _Term):
        if positive and node.field in ("", "title"):
            out.append(node)
        return
    for child in node.children:
        _collect(child, positive and node.op != "NOT", out)


def _only_negative(node):
    if isinstance(node, _Term):
        return False
    if node.op == "NOT":
        return True
    if node.op == "AND":
        return all(_only_negative(c) for c in node.children)
    return any(_only_negative(c) for c in node.children)


def _plain_words(q):
    words = [w for w in re.findall(r"\w+", q) if w not in ("AND", "OR", "NOT")]
    return words[:MAX_TERMS]


def _expand_aliases(node, table, expanded):
    """Each word or phrase naming an organisation also matches its other names."""
    if isinstance(node, _Term):
        if node.field or node.kind not in ("word", "phrase"):
            return node
        names = table.names_for(node.words)
        others = [n for n in names if words_of(n) != node.words]
        if not others:
            return node
        expanded.extend(others)
        return _Node("OR", [node, *(_make_term(f'"{name}"') for name in others)])
    return _Node(node.op, [_expand_aliases(child, table, expanded) for child in node.children])


def parse_query(q: str, aliases: AliasTable | None = None) -> ParsedQuery:
    """The user's query as an engine expression; never raises. `aliases` defaults to the
    curated organisations' names."""
    q = _clean_text(q or "")[:MAX_Q_CHARS].strip()
    if not q:
        return ParsedQuery("")
    message = None
    try:
        if q.count('"') % 2:
            raise _Malformed("unbalanced quotes")
        tokens = _tokens(q)
        if any(kind == "other" for kind, _ in tokens):
            # Stray punctuation (<, >, *, ...) is not syntax: drop it quietly.
            tokens = [t for t in tokens if t[0] != "other"]
        node = _Parser(tokens).parse()
        if node is not None and _only_negative(node):
            node = _Node("AND", [_Term("every", ()), node])
    except _Malformed:
        words = _plain_words(q)
        node = _Node("AND", [_Term("word", (w,)) for w in words]) if words else None
        if node is not None and len(node.children) == 1:
            node = node.children[0]
        message = (
            "Your search could not be read as written (check quotes, brackets and "
            "AND/OR/NOT), so its words were searched instead."
        )
        if not words:
            message = "Your search had no words to look for, so everything is shown."
    if node is None:
        return ParsedQuery("", message=message)
    also_searched = []
    node = _expand_aliases(node, aliases if aliases is not None else load_alias_table(), also_searched)
    terms = []
    _collect(node, True, terms)
    expression = _render(node)
    hl = highlight.Terms.build(
        words=[t.words[0] for t in terms if t.kind == "word"],
        phrases=[" ".join(t.words) for t in terms if t.kind == "phrase"],
        prefixes=[t.words[0] for t in terms if t.kind == "prefix"],
    )
    words = []
    for t in terms:
        if t.kind in ("word", "phrase"):
            words.extend(t.words)
    return ParsedQuery(expression, words=words, highlight=hl, message=message,
                       also_searched=list(dict.fromkeys(also_searched)))


# ----------------------------------------------------------------------- searching


def _model():
    from .models import Source

    return Source


def _base_sqs():
    return SearchQuerySet().models(_model())


def _apply(sqs, expression, filters, skip=None):
    if expression:
        sqs = sqs.filter(content=Raw("(%s)" % expression))
    for facet, values in filters.items():
        if facet == skip:
            continue
        sqs = sqs.narrow(SQ(**{f"{facet}__in": list(values)}))
    return sqs


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


def _facet_values(query, facet, pairs):
    selected = getattr(query, facet)
    counts = dict(pairs)
    for value in selected:
        counts.setdefault(value, 0)
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [
        FacetValue(
            value=value,
            count=count,
            selected=value in selected,
            querystring=query.toggled(facet, value).querystring(),
        )
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


def _suggest(parsed, filters, total):
    if not parsed.words or total > SUGGEST_BELOW:
        return None
    words = " ".join(parsed.words)
    sq = _base_sqs().query
    sq.set_limits(0, 1)
    try:
        suggestion = sq.get_spelling_suggestion(words)
    except Exception:  # a suggestion is a nicety: never fail a search for it
        return None
    if not suggestion or suggestion.lower() == words.lower():
        return None
    better = parse_query(suggestion)
    count = _apply(_base_sqs(), better.expression, filters).count()
    return suggestion if count > total else None


def search(query: SearchQuery, per_page: int = 10) -> SearchResults:
    started = time.perf_counter()
    per_page = max(1, int(per_page))
    parsed = parse_query(query.q)
    filters = query.filters

    main = _apply(_base_sqs(), parsed.expression, filters)
    main = _sorted(main, query, parsed.expression)
    unselected = [f for f in FACETS if f not in filters]
    for facet in unselected:
        main = main.facet(facet)

    page = max(1, query.page)
    start = (page - 1) * per_page
    results = list(main[start : start + per_page])
    total = main.count()
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        page = pages
        start = (page - 1) * per_page
        main = main._clone()
        results = list(main[start : start + per_page])
        total = main.count()

    counts = _facet_counts(main) if unselected else {}
    for facet in filters:
        # This facet's counts with the other facets' filters only. Sorted by a key so
        # that the engine does not score the matches for a hit nobody reads.
        other = _apply(_base_sqs(), parsed.expression, filters, skip=facet).facet(facet)
        other = other.order_by(SORT_FIELDS["newest"])
        list(other[:1])
        counts[facet] = _facet_counts(other).get(facet, [])

    facets = {facet: _facet_values(query, facet, counts.get(facet, [])) for facet in FACETS}
    timeline = _timeline(query, counts.get("year", []))

    sources = _load_sources(_pks(results))
    hits = [
        Hit(source=s, snippets=[mark_safe(h) for h in highlight.snippets(s.text, parsed.highlight)])
        for s in sources
    ]

    suggestion = _suggest(parsed, filters, total)
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
    )


def iter_hits(query: SearchQuery) -> Iterator[object]:
    """Every hit of the search (not one page), in its order, fetched in batches."""
    parsed = parse_query(query.q)
    sqs = _sorted(_apply(_base_sqs(), parsed.expression, query.filters), query, parsed.expression)
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
        # haystack's SearchQuerySet slicing does not reach more_like_this (the engine
        # returned every related document: 84,000 at 100,000 articles); the query's own
        # get_results passes the bounds.
        query = _base_sqs().more_like_this(source).query
        results = query.get_results(start_offset=0, end_offset=limit + 5)
    except Exception:  # related articles are a nicety on the detail page
        import logging

        logging.getLogger(__name__).exception("more_like_this failed for %s", source.pk)
        return []
    pks = [pk for pk in _pks(results) if pk != source.pk]
    return _load_sources(pks)[:limit]
