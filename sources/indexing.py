"""Indexing Sources: published ones into the search index, the others out of it.

Any haystack engine works: a backend that declares the engine's extension interface
(``engine.extensions.ArchiveEngineExtension``) gets a large set of pks at once
(``index_many``: worker processes, fed by SourceFeed) and the batches as one stream
(``apply_batches``: few writers and commits); any other gets update() and remove()
per batch.
"""

from django import db
from haystack import connections
from haystack.exceptions import NotHandled, SkipDocument
from haystack.utils import get_identifier

from engine.extensions import ArchiveEngineExtension

from . import index_marks

BATCH_SIZE = 500
#: From this many pks on, a backend with ``index_many`` (worker processes) gets them.
INDEX_MANY_MIN = 2000


def reindex_sources(pks, using=None, progress=None, many=True):
    """Index the given Source pks now: published ones updated, the others removed.
    ``progress(n)`` is called as each batch of n pks is done (with several connections,
    once per connection). ``many=False``: never the backend's ``index_many``."""
    from .models import Source

    from .versions import expand_for_indexing

    pks = {int(pk) for pk in pks if pk is not None}
    if not pks:
        return
    pks = expand_for_indexing(pks)  # a group's leader may change with any of its members
    marks = index_marks.read(pks)  # before the Sources are read: later changes stay marked
    for alias in [using] if using else list(connections.connections_info.keys()):
        try:
            index = connections[alias].get_unified_index().get_index(Source)
        except NotHandled:
            continue
        _index_pks(connections[alias].get_backend(), index, alias, pks, progress, many)
    index_marks.clear(marks)


def _index_pks(backend, index, alias, pks, progress, many):
    if not isinstance(backend, ArchiveEngineExtension):
        for published, identifiers in _batches(index, alias, sorted(pks), progress):
            if published:
                backend.update(index, published)
            for identifier in identifiers:
                backend.remove(identifier)
        return
    if many and len(pks) >= INDEX_MANY_MIN:
        if backend.index_many(index, pks, SourceFeed(alias), progress=progress):
            return
    backend.apply_batches(index, _batches(index, alias, sorted(pks), progress))


def _batches(index, alias, ordered_pks, progress=None):
    """(published Sources to index, identifiers to remove), BATCH_SIZE pks at a time."""
    model = index.get_model()
    for start in range(0, len(ordered_pks), BATCH_SIZE):
        chunk = ordered_pks[start : start + BATCH_SIZE]
        published = list(index.index_queryset(using=alias).filter(pk__in=chunk))
        gone = set(chunk) - {s.pk for s in published}
        yield published, [get_identifier(model(pk=pk)) for pk in sorted(gone)]
        if progress is not None:
            progress(len(chunk))  # the consumer has written this batch


class SourceFeed:
    """The Sources for the engine's worker processes (engine.extensions.DocumentFeed).
    Picklable: it holds only the connection alias."""

    def __init__(self, alias):
        self.alias = alias

    def _index(self):
        from .models import Source

        return connections[self.alias].get_unified_index().get_index(Source)

    def before_fork(self):
        db.connections.close_all()  # a forked child must not share the parent's sockets

    def prepare(self, pks):
        # In a worker: never a connection object inherited from the parent (one socket
        # shared by every worker breaks on PostgreSQL); each call opens and closes its own.
        db.connections.close_all()
        index = self._index()
        prepared = []
        try:
            for source in index.index_queryset(using=self.alias).filter(pk__in=pks).order_by("pk"):
                try:
                    prepared.append(index.full_prepare(source))
                except SkipDocument:
                    continue
        finally:
            db.connections.close_all()
        return prepared

    def after_swap(self, started_at, indexed_ids):
        """Sources saved, unpublished or deleted since the workers read them."""
        from .models import Source

        changed = set(Source.objects.filter(updated__gte=started_at).values_list("pk", flat=True))
        published = set(Source.objects.published().values_list("pk", flat=True))
        indexed = {int(pk) for pk in indexed_ids if pk.isdigit()}
        # Not with worker processes again: what this finds is what they just missed.
        reindex_sources(changed | (indexed - published) | (published - indexed), using=self.alias, many=False)


def index_missing(pks, using=None):
    """Index those of these Sources that the index lacks: an import killed before its
    index batch stored them unindexed, and its re-run finds them unchanged."""
    from haystack.query import SearchQuerySet

    from .models import Source

    wanted = {int(pk) for pk in pks if pk is not None}
    if not wanted:
        return 0
    results = SearchQuerySet(using=using).models(Source).all().order_by("django_id")
    indexed, start, page = set(), 0, 1000
    while True:
        batch = list(results[start : start + page])
        indexed.update(int(result.pk) for result in batch if result is not None)
        if len(batch) < page:
            break
        start += page
    missing = wanted - indexed
    reindex_sources(missing, using=using)
    return len(missing)
