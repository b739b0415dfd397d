"""Web pages, JSON API, CSV export, Atom feed and OpenSearch description.

Thin by design: each view parses the request into a SearchQuery, calls sources.search (the
one search service) and renders. No view builds its own query.
"""

import copy
import csv
import dataclasses
import datetime
import itertools
import unicodedata

from django.contrib.syndication.views import Feed
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from . import citation, facets, highlight, version_lists
from . import search as search_service
from .citation import citation_for
from .ingest.headings import heading_flags
from .models import SlugRedirect, Source, published_counts
from .records import source_record

FACET_LABELS = facets.LABELS


def _parse(request):
    """The request's SearchQuery, or (None, user-facing error)."""
    try:
        return search_service.SearchQuery.from_params(request.GET), None
    except search_service.InvalidSearch as exc:
        return None, str(exc)


# --- HTML pages ---------------------------------------------------------------------------


@require_safe
def home(request):
    query = search_service.SearchQuery.from_params(QueryDict())
    results = search_service.search(query, per_page=5)
    context = {
        "results": results,
        "facet_labels": FACET_LABELS,
        "counts": published_counts(),
    }
    return render(request, "sources/home.html", context)


@require_safe
def search_page(request):
    query, error = _parse(request)
    if error:
        context = {"error": error, "raw_q": request.GET.get("q", ""), "facet_labels": FACET_LABELS}
        return render(request, "sources/search.html", context, status=400)
    # A page past the end is clamped to the last page by the service (results.page).
    results = search_service.search(query)
    context = {"query": query, "results": results, "facet_labels": FACET_LABELS}
    return render(request, "sources/search.html", context)


def _visible_source(request, slug, suffix=""):
    """The Source at `slug` if this visitor may see it, or a permanent redirect from an
    old slug to the same page (`suffix`) at its current address."""
    source = Source.objects.filter(slug=slug).first()
    if source is None:
        moved = SlugRedirect.objects.select_related("source").filter(old_slug=slug).first()
        if moved is None:
            raise Http404("No such article.")
        source = moved.source
        if source.is_published or request.user.is_staff:
            target = source.get_absolute_url() + suffix
            if request.GET:
                target += "?" + request.GET.urlencode()
            return HttpResponsePermanentRedirect(target)
        raise Http404("No such article.")
    if not source.is_published and not request.user.is_staff:
        raise Http404("No such article.")
    return source


@require_safe
def source_detail(request, slug):
    source = _visible_source(request, slug)
    if isinstance(source, HttpResponse):
        return source

    admin_url = None
    if request.user.is_staff:
        try:
            admin_url = reverse("admin:sources_source_change", args=[source.pk])
        except NoReverseMatch:
            admin_url = None
    q = request.GET.get("q", "")[: search_service.MAX_Q_CHARS]
    paragraphs, highlight_limited = _highlight(source.paragraphs, q)
    context = {
        "source": source,
        "q": q,
        # (whether it is a section heading, the paragraph as HTML)
        "blocks": list(zip(heading_flags(source.paragraphs), paragraphs)),
        "highlight_limit_note": _highlight_limit_note() if highlight_limited else "",
        "related": search_service.related(_related_sample(source), limit=5),
        "related_texts": version_lists.related_texts(source),
        "citation": citation_for(source, request, accessed=timezone.localdate()),
        "highwire_tags": citation.highwire_tags(source, request.build_absolute_uri(source.get_absolute_url())),
        "admin_url": admin_url,
        "search_back": request.GET.get("q") is not None,
    }
    return render(request, "sources/detail.html", context)


CITATION_FORMATS = {
    "bib": (citation.bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (citation.ris, "application/x-research-info-systems; charset=utf-8"),
}


@require_safe
def source_citation(request, slug, fmt):
    """The article's citation as a file for a reference manager (BibTeX or RIS)."""
    source = _visible_source(request, slug, suffix=f"cite.{fmt}")
    if isinstance(source, HttpResponse):
        return source
    write, content_type = CITATION_FORMATS[fmt]
    url = request.build_absolute_uri(source.get_absolute_url())
    response = HttpResponse(write(source, url, timezone.localdate()), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{source.slug}.{fmt}"'
    return response


def _highlight(paragraphs, q):
    """(paragraphs, whether highlighting stopped early): the query's terms marked, matched
    as the index matches them, within the first highlight.MARK_MAX_CHARS characters."""
    terms = search_service.parse_query(q).highlight if q.strip() else None
    if not terms:
        return paragraphs, False
    marked, limited = highlight.mark_leading(paragraphs, terms)
    return [mark_safe(text) for text in marked], limited


def _highlight_limit_note():
    return f"Only the first {highlight.MARK_MAX_CHARS:,} characters of this long article are highlighted."


#: Characters of an article whose key terms find related articles: the engine weighed every
#: word of the text (0.9 s for a 5 MB article); its opening says what it is about.
RELATED_SAMPLE_CHARS = 50_000


def _related_sample(source):
    if len(source.text) <= RELATED_SAMPLE_CHARS:
        return source
    sample = copy.copy(source)
    sample.text = source.text[:RELATED_SAMPLE_CHARS]
    return sample


# --- Machine-readable: JSON, CSV, Atom, OpenSearch ----------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def _hit_json(request, hit):
    source = hit.source
    return {
        "slug": source.slug,
        "url": request.build_absolute_uri(source.get_absolute_url()),
        "title": source.title,
        "title_is_derived": source.title_is_derived,
        "outlet": source.outlet,
        "author": source.author,
        "published": _iso(source.published),
        "date_precision": source.date_precision,
        "original_url": source.original_url,
        "captured_at": source.captured_at.isoformat() if source.captured_at else None,
        **_listed_values(source),
        "snippets": [str(s) for s in hit.snippets],
        "versions": [version_lists.version_json(v, request.build_absolute_uri) for v in hit.versions],
    }


@require_safe
def api_source(request, slug):
    """One published article as `export_sources` writes it, text included; an old slug
    answers 301 to the current address; unknown or unpublished: 404, for everyone."""
    source = Source.objects.published().for_listing().filter(slug=slug).first()
    if source is None:
        moved = SlugRedirect.objects.filter(old_slug=slug, source__is_published=True).select_related("source").first()
        if moved is None:
            return JsonResponse({"error": "No such article."}, status=404)
        return HttpResponsePermanentRedirect(reverse("sources:api_source", args=[moved.source.slug]))
    record = source_record(source)
    record["url"] = request.build_absolute_uri(record["url"])
    record.update(version_lists.related_texts_json(source, request.build_absolute_uri))
    return JsonResponse(record, json_dumps_params={"ensure_ascii": False})


def _listed_values(source):
    return {facet.listed_as: facet.values_of(source) for facet in facets.LISTED}


@require_safe
def api_search(request):
    query, error = _parse(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    results = search_service.search(query)
    data = {
        "query": query.q,
        "total": results.total,
        "counts": results.counts,  # "groups" (versions collapsed) or "articles"
        "page": results.page,
        "pages": results.pages,
        "hits": [_hit_json(request, hit) for hit in results.hits],
        "facets": {
            facet: [
                {"value": fv.value, "count": fv.count, "selected": fv.selected}
                for fv in results.facets.get(facet, [])
            ]
            for facet in search_service.FACETS
        },
        "suggestion": results.suggestion,
        "published_from": query.published_from or None,
        "published_to": query.published_to or None,
        "undated_left_out": results.undated_left_out,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


CSV_COLUMNS = (
    "title",
    "outlet",
    "author",
    "published",
    "date_precision",
    "dateline",
    *(facet.listed_as for facet in facets.LISTED),
    "url",
    "slug",
    "source_file",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell a spreadsheet will not run: values that start like a formula get a quote.

    The first character is compared in its NFKC form, because spreadsheets also read the
    full-width and small forms (＝ U+FF1D, ﹦ U+FE66, ＋, －, ＠) as the ASCII signs."""
    text = "" if value is None else str(value)
    if unicodedata.normalize("NFKC", text[:1]).startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def _csv_rows(request, sources):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: spreadsheets then read the file as UTF-8
    yield writer.writerow(CSV_COLUMNS)
    for source in sources:
        row = (
            source.title,
            source.outlet,
            source.author,
            _iso(source.published) or "",
            source.date_precision,
            source.dateline,
            *("; ".join(map(str, values)) for values in _listed_values(source).values()),
            request.build_absolute_uri(source.get_absolute_url()),
            source.slug,
            source.source_file,
        )
        yield writer.writerow([csv_safe(cell) for cell in row])


@require_safe
def search_csv(request):
    query, error = _parse(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    # The search runs (its first batch is fetched) before the 200 goes out: a search that
    # fails must answer an error status, never a 200 holding only the header row.
    sources = search_service.iter_hits(query)
    first = list(itertools.islice(sources, 1))
    filename = f"archive-search-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(
        _csv_rows(request, itertools.chain(first, sources)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class TextSummaryAtomFeed(Atom1Feed):
    """Atom whose summaries are plain text (type="text"), as the articles are: Django marks
    them type="html", so a reader ran `<svg/onload=...>` in an article as markup and showed
    a typed `&lt;b&gt;` as `<b>`."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class SearchFeed(Feed):
    """The newest hits for a search, so that a journalist can follow a query."""

    feed_type = TextSummaryAtomFeed
    per_page = 30

    def get_object(self, request):
        query = search_service.SearchQuery.from_params(request.GET)
        query = dataclasses.replace(query, sort="newest", page=1)
        return search_service.search(query, per_page=self.per_page)

    def title(self, results):
        query = results.query
        parts = [f"“{query.q}”"] if query.q else []
        for facet, value, _ in results.chips():
            parts.append(f"{FACET_LABELS.get(facet, facet)}: {value}")
        return "The Archive: " + (", ".join(parts) if parts else "newest articles")

    def link(self, results):
        qs = results.query.querystring(page=1)
        return reverse("sources:search") + (f"?{qs}" if qs else "")

    def feed_url(self, results):
        qs = results.query.querystring(page=1)
        return reverse("sources:search_atom") + (f"?{qs}" if qs else "")

    def subtitle(self, results):
        return f"{results.total} matching articles in the Archive, newest first."

    def items(self, results):
        return [hit.source for hit in results.hits]

    def item_title(self, source):
        return source.title

    def item_description(self, source):
        text = source.paragraphs[0] if source.paragraphs else ""
        return text[:500]

    def item_link(self, source):
        return source.get_absolute_url()

    def item_author_name(self, source):
        return source.author or source.outlet or None

    def item_pubdate(self, source):
        """The publication date, or None (no <published>) for an undated article: the
        import time made readers show old articles as new."""
        if source.publication_year is None:
            return None
        return datetime.datetime.combine(source.published, datetime.time(), tzinfo=datetime.timezone.utc)

    def item_updateddate(self, source):
        return source.updated

    def item_categories(self, source):
        return [c.name for c in source.about_countries] + [
            o.name for o in source.organisations.all()
        ]


_search_feed = SearchFeed()


@require_safe
def search_atom(request):
    _, error = _parse(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    return _search_feed(request)


@require_safe
def opensearch(request):
    context = {"base": request.build_absolute_uri("/").rstrip("/")}
    return render(
        request,
        "opensearch.xml",
        context,
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
