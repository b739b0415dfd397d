"""The Archive's Whoosh engine: haystack's Whoosh backend with the traps measured on
django-haystack 3.4.0 + Whoosh 2.7.4 taken out.

Everything Whoosh-specific lives here; sources/search.py talks to haystack's
SearchQuerySet only, so that ARCHIVE_SEARCH_ENGINE can point at another engine.

What differs from haystack.backends.whoosh_backend:

* Schema options per field: the body is neither stored, sortable nor given a spelling
  graph; facet fields are whole-value keyword fields split on a character that cannot
  occur in a name (U+001F), never on commas, never lowercased, tokenised or stemmed;
  sort keys are 64-bit sortable integers.
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
* Spelling suggestions only when asked (``spelling_query``), from a small unstemmed
  word field ("spell"), never from the stemmed body.
* Facet results never contain a None bucket.
"""

import logging
import random
import threading
import time

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import (
    WhooshEngine,
    WhooshSearchBackend,
    WhooshSearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.fields import FacetField
from haystack.inputs import Raw
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import query as wq
from whoosh.analysis import RegexTokenizer, StemmingAnalyzer, StripFilter, LowercaseFilter
from whoosh.fields import DATETIME, ID as WHOOSH_ID, NUMERIC, TEXT, FieldType, Schema
from whoosh.formats import Existence
from whoosh.index import LockError
from whoosh.qparser import MultifieldParser, QueryParser
from whoosh.sorting import Count, FieldFacet
from whoosh.writing import CLEAR

log = logging.getLogger(__name__)

#: Separates the values of a multi-valued facet field. A control character: names are
#: cleaned of those, so it cannot occur inside a value (a comma can).
VALUE_SEPARATOR = "\x1f"
#: Prefix of a hex-encoded exact value inside a query string.
EXACT_PREFIX = "x"

DEFAULT_LOCK_TIMEOUT = 60.0


def encode_exact(value):
    return EXACT_PREFIX + force_str(value).encode("utf-8").hex()


def decode_exact(text):
    if not text.startswith(EXACT_PREFIX):
        raise ValueError("not an encoded exact value")
    return bytes.fromhex(text[len(EXACT_PREFIX):]).decode("utf-8")


class EXACT(FieldType):
    """A whole-value keyword field: each value is one term, as given (case kept).

    Values are separated by VALUE_SEPARATOR. The field parses query text itself: the text
    is a hex-encoded value (see encode_exact) and becomes one Term, so nothing the
    query parser does to words can reach it. No positions: it is for filters and facets.
    """

    def __init__(self, stored=False, field_boost=1.0):
        self.analyzer = RegexTokenizer("[^%s]+" % VALUE_SEPARATOR) | StripFilter()
        self.format = Existence(field_boost=field_boost)
        self.stored = stored
        self.scorable = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def self_parsing(self):
        return True

    def parse_query(self, fieldname, qstring, boost=1.0):
        try:
            value = decode_exact(qstring)
        except ValueError:
            # Typed by hand (only the backend writes these): take it literally.
            value = qstring
        return wq.Term(fieldname, value, boost=boost)

    def parse_range(self, fieldname, start, end, startexcl, endexcl, boost=1.0):
        return wq.TermRange(
            fieldname,
            decode_exact(start) if start else None,
            decode_exact(end) if end else None,
            startexcl,
            endexcl,
            boost=boost,
        )


def spell_analyzer():
    return RegexTokenizer(r"[^\W\d_]{3,}") | LowercaseFilter()


class ArchiveWhooshSearchBackend(WhooshSearchBackend):
    #: Fields searched by a query word without a field name, with their boosts.
    DEFAULT_FIELDS = ("text", "title")
    SPELL_FIELD = "spell"

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT))
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
        self._drop_searcher()

    def _unified_index(self):
        from haystack import connections

        return connections[self.connection_alias].get_unified_index()

    def build_schema(self, fields):
        schema_fields = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        exact_fields = set()
        for field in fields.values():
            name = field.index_fieldname
            if field.document:
                content_field_name = name
                # The body: stemmed, with positions for phrases; not stored (the text
                # is in the database), not sortable, no spelling graph.
                schema_fields[name] = TEXT(stored=False, analyzer=StemmingAnalyzer())
            elif isinstance(field, FacetField) or (field.is_multivalued and field.indexed):
                schema_fields[name] = EXACT(stored=field.stored)
                exact_fields.add(name)
            elif field.field_type in ("date", "datetime"):
                schema_fields[name] = DATETIME(stored=field.stored)
            elif field.field_type == "integer":
                schema_fields[name] = NUMERIC(
                    numtype=int, bits=64, stored=field.stored, sortable=True, signed=True
                )
            elif field.field_type == "float":
                schema_fields[name] = NUMERIC(numtype=float, stored=field.stored, sortable=True)
            elif name == self.SPELL_FIELD:
                schema_fields[name] = TEXT(
                    stored=False, analyzer=spell_analyzer(), phrase=False
                )
            elif not field.indexed:
                schema_fields[name] = WHOOSH_ID(stored=field.stored)
            else:
                schema_fields[name] = TEXT(
                    stored=field.stored,
                    analyzer=field.analyzer or StemmingAnalyzer(),
                    field_boost=field.boost,
                )
        if not content_field_name:
            from haystack.exceptions import SearchBackendError

            raise SearchBackendError("No document=True field in the search indexes.")
        self.exact_fields = exact_fields
        return content_field_name, Schema(**schema_fields)

    def _from_python(self, value):
        if isinstance(value, (list, tuple, set)):
            return VALUE_SEPARATOR.join(force_str(v) for v in value)
        return super()._from_python(value)

    # ----------------------------------------------------------------- searcher

    def _drop_searcher(self):
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

    # ------------------------------------------------------------------ writing

    def _acquire_writer(self):
        """A writer, waiting for another process's writer with backoff, up to lock_timeout."""
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                self.index = self.index.refresh()
                return self.index.writer()
            except LockError:
                if time.monotonic() >= deadline:
                    raise LockError(
                        "The search index stayed locked by another writer for %.0f s"
                        % self.lock_timeout
                    )
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())) * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 1.0)

    def _prepare_docs(self, index, iterable):
        docs = []
        for obj in iterable:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc = {key: self._from_python(value) for key, value in doc.items()}
            doc.pop("boost", None)
            docs.append(doc)
        return docs

    def apply_batch(self, index, objs=(), remove_identifiers=()):
        """Update ``objs`` and remove documents by identifier, in ONE writer."""
        if not self.setup_complete:
            self.setup()
        docs = self._prepare_docs(index, objs)
        remove_identifiers = [force_str(i) for i in remove_identifiers]
        if not docs and not remove_identifiers:
            return
        writer = self._acquire_writer()
        try:
            for identifier in remove_identifiers:
                writer.delete_by_term(ID, identifier)
            for doc in docs:
                writer.update_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def update(self, index, iterable, commit=True):
        self.apply_batch(index, list(iterable))

    def remove(self, obj_or_string, commit=True):
        self.apply_batch(None, (), [get_identifier(obj_or_string)])

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        if models is not None:
            assert isinstance(models, (list, tuple))
            writer = self._acquire_writer()
            try:
                for model in models:
                    writer.delete_by_term(DJANGO_CT, get_model_ct(model))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            return
        self.delete_index()

    def delete_index(self):
        """Empty the index and give it the current schema, under the write lock."""
        if not self.setup_complete:
            self.setup()
        writer = self._acquire_writer()
        try:
            # A CLEAR commit drops every segment; the new schema comes with create_index.
            writer.commit(mergetype=CLEAR)
        except BaseException:
            writer.cancel()
            raise
        lock = self.index.lock("WRITELOCK")
        self._wait_for(lock)
        try:
            self.index = self.storage.create_index(self.schema)
        finally:
            lock.release()
        self._drop_searcher()

    def _wait_for(self, lock):
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise LockError("The search index stayed locked for %.0f s" % self.lock_timeout)
            time.sleep(delay)
            delay = min(delay * 2, 1.0)

    def optimize(self):
        writer = self._acquire_writer()
        writer.commit(optimize=True)

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
        query_string = force_str(query_string).strip()
        if query_string in ("", "*", "(*)"):
            return wq.Every()
        return self.parser.parse(query_string)

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
        empty = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        if spelling_query:
            empty["spelling_suggestion"] = self.create_spelling_suggestion(spelling_query)
        query_string = force_str(query_string or "")
        if not query_string.strip():
            return empty

        reverse = False
        sortedby = None
        if sort_by:
            directions = {s.startswith("-") for s in sort_by}
            if len(directions) > 1:
                from haystack.exceptions import SearchBackendError

                raise SearchBackendError("Whoosh requires all order_by fields to use the same sort direction")
            reverse = directions.pop()
            sortedby = [s.lstrip("-") for s in sort_by]

        group_by = []
        facet_types = {}
        for facet in facets or ():
            group_by.append(FieldFacet(facet, allow_overlap=True, maptype=Count))
            facet_types[facet] = "fields"

        filters = []
        model_filter = self._model_filter(models, limit_to_registered_models)
        if model_filter is not None:
            filters.append(model_filter)
        for nq in narrow_queries or ():
            filters.append(self._parse(nq))

        parsed = self._parse(query_string)
        if parsed is None or parsed is wq.NullQuery:
            return empty

        searcher = self.searcher()
        if not searcher.doc_count():
            return empty
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        search_kwargs = {"pagelen": page_length, "reverse": reverse}
        if sortedby:
            search_kwargs["sortedby"] = sortedby
        if group_by:
            search_kwargs["groupedby"] = group_by
        if filters:
            search_kwargs["filter"] = filters[0] if len(filters) == 1 else wq.And(filters)
        raw_page = searcher.search_page(parsed, page_num, **search_kwargs)
        if raw_page.pagenum < page_num:
            # Past the last page: no hits on this page, but the true total (the
            # service clamps to the last page with it).
            result = dict(empty)
            result["hits"] = raw_page.total
            result["facets"] = self._facets(raw_page, facet_types)
            return result

        results = self._process_results(raw_page, result_class=result_class, facet_types=facet_types)
        results["spelling_suggestion"] = empty["spelling_suggestion"]
        return results

    def _facets(self, raw_page, facet_types):
        facets = {"fields": {}, "dates": {}, "queries": {}}
        if not facet_types:
            return {}
        for name in raw_page.results.facet_names():
            group = raw_page.results.groups(name)
            facets[facet_types[name]][name] = sorted(
                ((k, v) for k, v in group.items() if k not in (None, "", "None")),
                key=lambda kv: (-kv[1], kv[0]),
            )
        return facets

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
        empty = {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        index = self._unified_index().get_index(type(model_instance))
        try:
            text = index.full_prepare(model_instance).get(self.content_field_name) or ""
        except SkipDocument:
            return empty
        searcher = self.searcher()
        if not searcher.doc_count() or not text:
            return empty
        field = self.content_field_name
        # Key terms that other documents share (a term only this one has finds nothing).
        terms = [
            (t, w)
            for t, w in searcher.key_terms_from_text(field, text, numterms=60)
            if searcher.doc_frequency(field, t) > 1
        ][:15]
        if not terms:
            return empty
        q = wq.Or([wq.Term(self.content_field_name, t, boost=w) for t, w in terms])
        q = wq.AndNot(q, wq.Term(ID, get_identifier(model_instance)))
        filters = []
        model_filter = self._model_filter(models, limit_to_registered_models)
        if model_filter is not None:
            filters.append(model_filter)
        if additional_query_string and additional_query_string.strip() not in ("", "*"):
            filters.append(self._parse(additional_query_string))
        if filters:
            q = wq.And([q] + filters)
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        raw_page = searcher.search_page(q, page_num, pagelen=page_length)
        if raw_page.pagenum < page_num:
            return empty
        return self._process_results(raw_page, result_class=result_class)

    # ----------------------------------------------------------------- spelling

    def create_spelling_suggestion(self, query_string):
        """Correct the words of the query that the index does not know; None if none."""
        import re

        words = re.findall(r"[^\W\d_]+", force_str(query_string))
        if not words:
            return None
        searcher = self.searcher()
        if self.SPELL_FIELD not in searcher.schema.names():
            return None
        reader = searcher.reader()
        changed = False
        out = []
        for word in words:
            if word in self.RESERVED_WORDS:
                continue
            lower = word.lower()
            if len(lower) < 3 or searcher.doc_frequency(self.SPELL_FIELD, lower):
                out.append(lower)
                continue
            best = None
            # The nearest words first; among equally near ones, the most common.
            for maxdist in (1, 2):
                near = set(reader.terms_within(self.SPELL_FIELD, lower, maxdist, prefix=1))
                near.discard(lower)
                if near:
                    best = max(
                        sorted(near),
                        key=lambda w: searcher.doc_frequency(self.SPELL_FIELD, w),
                    )
                    break
            if best:
                out.append(best)
                changed = True
            else:
                out.append(lower)
        return " ".join(out) if changed else None


class ArchiveWhooshSearchQuery(WhooshSearchQuery):
    """Facet filters become exact Term queries (see EXACT), never parsed words."""

    def build_query_fragment(self, field, filter_type, value):
        from haystack import connections

        if field != "content" and filter_type in ("content", "exact", "in"):
            fieldname = connections[self._using].get_unified_index().get_index_fieldname(field)
            if fieldname in self.backend.exact_fields or (
                not self.backend.setup_complete and self._is_exact(fieldname)
            ):
                raw = getattr(value, "query_string", value)
                if hasattr(raw, "values_list"):
                    raw = list(raw)
                values = list(raw) if isinstance(raw, (list, tuple, set, frozenset)) else [raw]
                if not values:
                    # An empty IN matches nothing.
                    return "%s:(%s)" % (ID, encode_exact("\x00none"))
                terms = " OR ".join(encode_exact(v) for v in values)
                return "%s:(%s)" % (fieldname, terms)
        return super().build_query_fragment(field, filter_type, value)

    def _is_exact(self, fieldname):
        self.backend.setup()
        return fieldname in self.backend.exact_fields


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
    query = ArchiveWhooshSearchQuery


__all__ = ["ArchiveWhooshEngine", "ArchiveWhooshSearchBackend", "ArchiveWhooshSearchQuery", "Raw"]
