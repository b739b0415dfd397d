"""The Archive's Whoosh engine: haystack's Whoosh backend with the traps measured on
django-haystack 3.4.0 + Whoosh 2.7.4 taken out.

Everything Whoosh-specific lives here; sources/search.py talks to haystack's
SearchQuerySet only, so that ARCHIVE_SEARCH_ENGINE can point at another engine.

What differs from haystack.backends.whoosh_backend:

* Schema options per field: the body is neither stored, sortable nor given a spelling
  graph; facet fields are whole-value keyword fields split on a character that cannot
  occur in a name (U+001F), never on commas, never lowercased, tokenised or stemmed;
  integers are 64-bit and dates sortable columns.
* Facet filters (``filter(organisation__in=[...])``, ``__exact``, plain ``=``) become
  Whoosh ``Term`` queries on the raw value. The value travels through the query string
  hex-encoded and the field parses it itself, so the query parser never splits
  "Hizb ut-Tahrir" into words nor builds a phrase query on a keyword field.
* One searcher per backend (haystack keeps one backend per thread), refreshed only when
  the index changed; no separate narrowing search for the model type when one model is
  indexed.
* Writers: the write lock is retried with backoff for a bounded time (LOCK_TIMEOUT,
  default 60 s) in update/remove/clear, then LockError is raised; an update is one
  writer for the whole batch, documents are prepared before the lock is taken.
* Spelling suggestions only when asked (``spelling_query``), from a field of each
  document's distinct unstemmed words ("spell", a WORDS field: no analyzer, weights or
  lengths), never from the stemmed body.
* Facet results never contain a None bucket.
* Speed at archive scale (engine/fast_path.py): searches, totals and facet
  counts are computed on per-segment bitsets (Python ints) cached per segment; relevance
  pages are scored a whole segment at a time with numpy, with Whoosh's own matcher tree
  and BM25F (engine/scoring.py). Segments are written by
  engine/writing.py (the same files as Whoosh's writer, ~3× faster, no compound
  files: a searcher opens in ~1 ms instead of ~235 ms at 50,000 articles); sort keys are
  one term per value. Many Sources at once (`index build`, an import's batch:
  ``index_many``) are written by several processes (engine/segments.py).
"""

import math
import threading

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.inputs import Raw
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import query as wq
from whoosh.qparser import MultifieldParser, QueryParser
from whoosh.sorting import Count, FieldFacet

from django.utils.encoding import force_str

from . import fast_path, spelling
from .term_stats import key_terms

#: A related-articles term found in more than this share of the archive ("state",
#: "security" in a regional archive) tells little about what is related, and its postings
#: were most of an article page's first visit at 100,000 articles. Small archives keep
#: every term (the floor), so that a handful of documents still relate.
RELATED_TERM_MAX_SHARE = 0.1
RELATED_TERM_MIN_CAP = 1000
from .facets import FacetFields, count_facets, format_facets, whoosh_facets
from .fields import build_schema, from_python, schema_signature
from .query import ArchiveWhooshSearchQuery, all_of, parse
from .updates import DEFAULT_LOCK_TIMEOUT, IndexUpdates

def empty_result():
    """What haystack expects from a search that found nothing."""
    return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}


class ArchiveWhooshSearchBackend(IndexUpdates, WhooshSearchBackend):
    #: Fields searched by a query word without a field name, with their boosts.
    DEFAULT_FIELDS = ("text", "title")
    SPELL_FIELD = "spell"

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
        self.fast_path = bool(connection_options.get("FAST_PATH", True))
        self.include_spelling = False  # suggestions only when asked, see search()
        self._searcher = None
        self._searcher_lock = threading.Lock()
        self.exact_fields = set()

    # ------------------------------------------------------------------ schema

    def setup(self):
        super().setup()
        fieldboosts = {}
        unified = self._unified_index()
        for field in unified.all_searchfields().values():
            if field.index_fieldname in self.DEFAULT_FIELDS and field.boost != 1.0:
                fieldboosts[field.index_fieldname] = field.boost
        default_fields = [f for f in self.DEFAULT_FIELDS if f in self.schema.names()]
        if len(default_fields) > 1:
            self.parser = MultifieldParser(default_fields, schema=self.schema, fieldboosts=fieldboosts)
        else:
            self.parser = QueryParser(self.content_field_name, schema=self.schema)
        self.drop_searcher()

    def _unified_index(self):
        from haystack import connections

        return connections[self.connection_alias].get_unified_index()
    def build_schema(self, fields):
        content_field_name, schema, self.exact_fields = build_schema(fields, self.SPELL_FIELD)
        return content_field_name, schema

    def _from_python(self, value):
        joined = from_python(value)
        return super()._from_python(value) if joined is None else joined

    def schema_matches(self):
        """True when the index exists with exactly the schema the code declares, False
        when it exists with another (or cannot be read), None when there is none yet."""
        if not self.setup_complete:
            self.setup()
        try:
            if not self.storage.index_exists():
                return None
            on_disk = self.storage.open_index().schema
        except Exception:  # noqa: BLE001 - an unreadable index needs rebuilding too
            return False
        return schema_signature(on_disk) == schema_signature(self.schema)

    # ----------------------------------------------------------------- searcher

    def drop_searcher(self):
        """Forget this backend's searcher: the next search opens the index afresh."""
        with self._searcher_lock:
            self._searcher = None

    def searcher(self):
        """This backend's searcher, refreshed only when the index has changed."""
        if not self.setup_complete:
            self.setup()
        with self._searcher_lock:
            s = self._searcher
            if s is None:
                self.index = self.index.refresh()
                s = self.index.searcher()
            elif not s.up_to_date():
                s = s.refresh()
            self._searcher = s
            return s

    # ---------------------------------------------------------------- searching

    def _model_filter(self, models, limit_to_registered_models):
        """A Term filter for the model type, or None when it would not narrow anything."""
        from django.conf import settings

        registered = self.build_models_list()
        if models:
            wanted = sorted(get_model_ct(m) for m in models)
        elif limit_to_registered_models is None and getattr(
            settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True
        ) or limit_to_registered_models:
            wanted = registered
        else:
            wanted = []
        if not wanted or (set(registered) <= set(wanted)):
            # Every indexed document is of a wanted model: nothing to narrow.
            return None
        return wq.Or([wq.Term(DJANGO_CT, ct) for ct in wanted])
    def _parse(self, query_string):
        return parse(self.parser, query_string)

    def search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if not self.setup_complete:
            self.setup()
        empty = empty_result()
        if spelling_query:
            empty["spelling_suggestion"] = self.create_spelling_suggestion(spelling_query)
        query_string = force_str(query_string or "")
        if not query_string.strip():
            return empty
        sortedby, reverse = self._sort_order(sort_by)
        facet_types = FacetFields(facets)
        flt = self._filter(models, limit_to_registered_models, narrow_queries or ())
        parsed = self._parse(query_string)
        if parsed is None or parsed is wq.NullQuery:
            return empty
        searcher = self.searcher()
        if not searcher.doc_count():
            return empty
        page = self.calculate_page(start_offset, end_offset)
        found = None
        if self.fast_path:
            found = self._fast_search(
                searcher, parsed, flt, *page, sortedby, reverse, facet_types, result_class or SearchResult
            )
        if found is None:
            found = self._plain_search(
                searcher, parsed, flt, *page, sortedby, reverse, facet_types, result_class
            )
        found["spelling_suggestion"] = empty["spelling_suggestion"]
        return found

    @staticmethod
    def _sort_order(sort_by):
        """(Whoosh's sortedby, reverse) for haystack's sort_by (["-date", ...])."""
        if not sort_by:
            return None, False
        directions = {s.startswith("-") for s in sort_by}
        if len(directions) > 1:
            raise SearchBackendError("Whoosh requires all order_by fields to use the same sort direction")
        return [s.lstrip("-") for s in sort_by], directions.pop()

    def _filter(self, models, limit_to_registered_models, narrow_queries):
        """The model filter and the narrowing queries AND-ed; None when there are none."""
        filters = []
        model_filter = self._model_filter(models, limit_to_registered_models)
        if model_filter is not None:
            filters.append(model_filter)
        filters.extend(self._parse(nq) for nq in narrow_queries)
        return all_of(filters)

    def _plain_search(
        self, searcher, parsed, flt, page_num, page_length, sortedby, reverse, facet_types, result_class
    ):
        """The search by Whoosh's own collectors (FAST_PATH off, or what it cannot do)."""
        search_kwargs = {"pagelen": page_length, "reverse": reverse}
        if sortedby:
            search_kwargs["sortedby"] = sortedby
        if facet_types:
            search_kwargs["groupedby"] = [
                FieldFacet(name, allow_overlap=True, maptype=Count) for name in facet_types
            ]
        if flt is not None:
            search_kwargs["filter"] = flt
        raw_page = searcher.search_page(parsed, page_num, **search_kwargs)
        if raw_page.pagenum < page_num:
            # Past the last page: no hits on this page, but the true total (the
            # service clamps to the last page with it).
            return {"results": [], "hits": raw_page.total, "facets": self._facets(raw_page, facet_types)}
        return self._process_results(raw_page, result_class=result_class, facet_types=facet_types)

    def _facets(self, raw_page, facet_types):
        return whoosh_facets(raw_page, facet_types)

    def _fast_search(
        self, searcher, parsed, flt, page_num, page_length, sortedby, reverse, facet_types, result_class
    ):
        """The search on bitsets (engine/fast_path.py); None = not possible here (then
        the plain Whoosh path answers)."""
        found = fast_path.matches(searcher, self._index_key(), parsed, flt)
        if found is None:
            return None
        leaves, matches = found
        total = sum(bits.bit_count() for bits in matches)
        facets = format_facets(count_facets(leaves, matches, facet_types), facet_types)
        pagecount = math.ceil(total / page_length) if page_length else 0
        if min(pagecount, page_num) < page_num:
            # Past the last page (as Whoosh's ResultsPage clamps it): no hits, true total.
            return {"results": [], "hits": total, "facets": facets}
        hits = fast_path.page_hits(
            searcher, parsed, leaves, matches, page_num, page_length, sortedby, reverse
        )
        if hits is None:
            return None
        return self._results_from_hits(searcher, hits, total, facets, result_class)

    def _index_key(self):
        """What tells this index's segments from another index's in the segment cache."""
        return self.path if self.use_file_storage else id(self.storage)

    def _results_from_hits(self, searcher, hits, total, facets, result_class):
        """haystack's result structure from (docnum, score) pairs, as _process_results."""
        unified_index = self._unified_index()
        indexed = {get_model_ct(m): m for m in unified_index.get_indexed_models()}
        results = []
        for docnum, score in hits:
            raw = searcher.stored_fields(docnum)
            ct = raw.get(DJANGO_CT)
            if ct not in indexed:
                total -= 1
                continue
            app_label, model_name = ct.split(".")
            extra = {k: v for k, v in raw.items() if k not in (DJANGO_CT, DJANGO_ID)}
            results.append(result_class(app_label, model_name, raw[DJANGO_ID], score or 0, **extra))
        return {"results": results, "hits": total, "facets": facets}

    def _process_results(
        self,
        raw_page,
        highlight=False,
        query_string="",
        spelling_query=None,
        result_class=None,
        facet_types=None,
    ):
        unified_index = self._unified_index()
        result_class = result_class or SearchResult
        indexed = {get_model_ct(m): m for m in unified_index.get_indexed_models()}
        results = []
        hits = raw_page.total
        for offset, raw in enumerate(raw_page):
            ct = raw[DJANGO_CT]
            if ct not in indexed:
                hits -= 1
                continue
            app_label, model_name = ct.split(".")
            extra = {
                k: v for k, v in raw.items() if k not in (DJANGO_CT, DJANGO_ID)
            }
            results.append(
                result_class(app_label, model_name, raw[DJANGO_ID], raw_page.score(offset) or 0, **extra)
            )
        return {
            "results": results,
            "hits": hits,
            "facets": self._facets(raw_page, facet_types),
            "spelling_suggestion": None,
        }

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Key terms of the instance's prepared text (the body is not stored), OR-ed."""
        if not self.setup_complete:
            self.setup()
        searcher = self.searcher()
        q = self._like_query(searcher, model_instance)
        if q is None:
            return empty_result()
        extra = additional_query_string
        flt = self._filter(
            models, limit_to_registered_models, [extra] if extra and extra.strip() not in ("", "*") else []
        )
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        if self.fast_path:
            # Fifteen OR-ed terms match most of a large archive: Whoosh's collector took
            # ~60 s per article page at 100,000 articles under load; scored at once here.
            found = self._fast_related(searcher, q, flt, page_num, page_length, result_class or SearchResult)
            if found is not None:
                return found
        if flt is not None:
            q = wq.And([q, flt])
        raw_page = searcher.search_page(q, page_num, pagelen=page_length)
        if raw_page.pagenum < page_num:
            return empty_result()
        return self._process_results(raw_page, result_class=result_class)

    def _like_query(self, searcher, model_instance):
        """The instance's key terms that other documents share, OR-ed, the instance
        itself excluded; None when there are none (a term only it has finds nothing)."""
        index = self._unified_index().get_index(type(model_instance))
        try:
            text = index.full_prepare(model_instance).get(self.content_field_name) or ""
        except SkipDocument:
            return None
        if not searcher.doc_count() or not text:
            return None
        field = self.content_field_name
        most = max(RELATED_TERM_MIN_CAP, searcher.doc_count() * RELATED_TERM_MAX_SHARE)
        candidates, stats = key_terms(searcher, field, text, numterms=60)
        terms = [(t, w) for t, w in candidates if 1 < stats.doc_frequency(field, t) <= most][:15]
        if not terms:
            return None
        q = wq.Or([wq.Term(field, t, boost=w) for t, w in terms])
        return wq.AndNot(q, wq.Term(ID, get_identifier(model_instance)))

    def _fast_related(self, searcher, q, flt, page_num, page_length, result_class):
        """more_like_this's page scored at once; None when the fast path cannot."""
        found = fast_path.matches(searcher, self._index_key(), q, flt)
        if found is None:
            return None
        leaves, matches = found
        limit = page_num * page_length
        top = fast_path.scored_top(searcher, q, leaves, matches, limit)
        if top is None:
            return None
        hits = [(docnum, score) for score, docnum in top[limit - page_length : limit]]
        total = sum(bits.bit_count() for bits in matches)
        result = self._results_from_hits(searcher, hits, total, {}, result_class)
        result["spelling_suggestion"] = None
        return result

    # ----------------------------------------------------------------- spelling

    def create_spelling_suggestion(self, query_string):
        """Correct the words of the query that the index does not know; None if none."""
        return spelling.suggest(self.searcher(), query_string, self.SPELL_FIELD, self.RESERVED_WORDS)

    def known_words(self, words):
        return spelling.known_words(self.searcher(), self.SPELL_FIELD, words)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
    query = ArchiveWhooshSearchQuery


__all__ = ["ArchiveWhooshEngine", "ArchiveWhooshSearchBackend", "ArchiveWhooshSearchQuery", "Raw"]
