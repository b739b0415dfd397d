"""Keeping the search index in step with the database: the work of `manage.py index`.

The database is the source of truth: the index should hold one document per published
Source, with the values the Source gives today. What can differ:

  missing  a published Source that has no document
  stale    a document whose stored values differ from what its Source gives today, or a
           Source marked as changed and not yet confirmed indexed (sources.index_marks:
           a process died between its commit and its index write)
  extra    a document of a Source that was deleted or unpublished

``catch_up`` finds the missing, extra and marked ones from sets of pks alone (no document
is prepared); ``compare`` also prepares every Source and compares the stored fields, which
finds edits that bypassed the signals too. Both fix through ``reindex_sources``, which
indexes published Sources, removes the others and clears their marks. Everything goes
through haystack's API, except what sources.index_engine asks of the engine.
"""

import datetime
import re
from dataclasses import dataclass, field

from haystack import connections
from haystack.query import SearchQuerySet

from . import index_engine, index_marks
from .models import Source
from .signals import reindex_sources

INDEX_PAGE = 1000
DATABASE_CHUNK = 500
MULTI_SPLIT = re.compile("[,\x1f]")


def source_index(alias):
    return connections[alias].get_unified_index().get_index(Source)


def published_pks(alias):
    """What the index should hold: the index's own queryset, published Sources only."""
    queryset = source_index(alias).index_queryset(using=alias).filter(is_published=True)
    return set(queryset.order_by().values_list("pk", flat=True))


def index_documents(alias, fields=()):
    """{pk: {name: stored value}} of every Source document in the index, with ``fields``."""
    sqs = SearchQuerySet(using=alias).models(Source).all().order_by("django_id")
    total, documents = sqs.count(), {}
    for start in range(0, total, INDEX_PAGE):
        for result in sqs[start : start + INDEX_PAGE]:
            if result is not None and str(result.pk).isdigit():
                stored = result.get_additional_fields() if fields else {}
                documents[int(result.pk)] = {name: stored[name] for name in fields if name in stored}
    return documents


# --- build ------------------------------------------------------------------------------

def build(alias, workers, limitmb=None, progress=None):
    """Index every published Source again; returns (documents written, kept from saves
    made meanwhile). With the Archive's engine the new index replaces the old in one
    commit (searches never see it empty); another engine is cleared, then filled."""
    index = source_index(alias)
    marks = index_marks.read(index_marks.marked())
    pks = sorted(published_pks(alias))
    built = index_engine.build_all(alias, index, pks, workers=workers, limitmb=limitmb, progress=progress)
    if built is not None:
        written, kept = built
    else:
        connections[alias].get_backend().clear(models=[Source])
        reindex_sources(pks, using=alias, progress=progress, many=False)
        written, kept = len(pks), 0
    index_marks.clear(marks)
    return written, kept


def document_count(alias):
    return SearchQuerySet(using=alias).models(Source).all().count()


# --- catch up ---------------------------------------------------------------------------

@dataclass
class CatchUp:
    missing: set = field(default_factory=set)
    marked: set = field(default_factory=set)
    extra: set = field(default_factory=set)
    rebuilt: bool = False

    @property
    def todo(self):
        return self.missing | self.marked | self.extra


def catch_up(alias, progress=None, workers=None):
    """Index the marked Sources and those the index lacks; remove the documents of deleted
    or unpublished ones. An index of an older schema is built again instead."""
    if index_engine.schema_outdated(alias):
        build(alias, workers, progress=progress)
        return CatchUp(rebuilt=True)
    marked = index_marks.marked()
    in_index = set(index_documents(alias))
    published = published_pks(alias)
    found = CatchUp(missing=published - in_index, marked=marked, extra=in_index - published)
    reindex_sources(found.todo, using=alias, progress=progress)
    return found


# --- compare and repair -----------------------------------------------------------------

@dataclass
class Comparison:
    database: int
    index: int
    missing: list
    stale: list
    extra: list

    @property
    def differences(self):
        return len(self.missing) + len(self.stale) + len(self.extra)


def compare(alias):
    """Every published Source against its document, field by stored field."""
    index = source_index(alias)
    marked = index_marks.marked()  # before the Sources are read, as indexing does
    # Fields the index declares stored: {name in the index: multi-valued?}. Only those
    # the engine actually gives back are compared (an engine may keep the body unstored
    # whatever the field says).
    stored = {
        f.index_fieldname: bool(getattr(f, "is_multivalued", False))
        for f in index.fields.values()
        if getattr(f, "stored", True)
    }
    in_index = index_documents(alias, stored)
    returned = sorted({name for values in in_index.values() for name in values})
    compared = [(name, stored[name]) for name in returned]
    in_db = published_pks(alias)
    both = sorted(in_db & set(in_index))
    stale = {pk for pk in both if pk in marked}
    for pk, prepared in _prepared(index, alias, [pk for pk in both if pk not in stale]):
        if _fingerprint(prepared, compared) != _fingerprint(in_index[pk], compared):
            stale.add(pk)
    return Comparison(
        database=len(in_db),
        index=len(in_index),
        missing=sorted(in_db - set(in_index)),
        stale=sorted(stale),
        extra=sorted(set(in_index) - in_db),
    )


def repair(alias, comparison, progress=None):
    """Index the missing and stale Sources and remove the extra documents."""
    todo = set(comparison.missing) | set(comparison.stale) | set(comparison.extra)
    reindex_sources(todo | index_marks.marked(), using=alias, progress=progress)


def _prepared(index, alias, pks):
    queryset = index.index_queryset(using=alias).filter(is_published=True)
    for start in range(0, len(pks), DATABASE_CHUNK):
        for obj in queryset.filter(pk__in=pks[start : start + DATABASE_CHUNK]):
            yield obj.pk, index.full_prepare(obj)


def _fingerprint(values, compared):
    return tuple(normalise(values.get(name), multi) for name, multi in compared)


def _scalar(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise(value, multivalued=False):
    """One comparable form for a value as prepared and as read back from any engine.

    Engines give back what they stored in their own way: a multi-valued field may come
    back as a list or as one joined string (Whoosh: commas, or the Archive backend's
    U+001F), dates as midnight datetimes, times without a zone. Empty values (None, "",
    []) are all the same; multi-valued fields compare as sorted lists of their parts.
    """
    if value is None:
        return None
    if multivalued or isinstance(value, (list, tuple, set, frozenset)):
        items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        parts = sorted(
            part.strip()
            for item in items
            if item is not None
            for part in MULTI_SPLIT.split(_scalar(item))
            if part.strip()
        )
        return parts or None
    text = _scalar(value)
    return text or None
