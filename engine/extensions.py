"""What the app may ask of a search engine beyond haystack's API, declared once.

The app (sources/indexing.py) checks ``isinstance(backend, ArchiveEngineExtension)`` and
otherwise uses plain haystack, so any haystack engine works; this engine does more with
the same data. A DocumentFeed is what the app hands the engine so that the engine never
reads the app's models itself.
"""

from typing import Protocol, runtime_checkable


class WorkerFailed(Exception):
    """index_many's worker processes failed: nothing was swapped in."""


@runtime_checkable
class DocumentFeed(Protocol):
    """The app's side of indexing many objects with worker processes (index_many)."""

    def before_fork(self):
        """Called in the parent just before the workers are forked: release what a child
        must not share (the database connections)."""

    def prepare(self, pks):
        """Called in a worker: haystack's prepared documents (``index.full_prepare``) of
        those of ``pks`` that belong in the index; the others are left out. Must leave
        no database connection open (a worker is ended, not closed)."""

    def after_swap(self, started_at, indexed_ids):
        """Called in the parent once the new segments are searchable: ``indexed_ids`` is
        the set of django_id strings the index now holds; re-index or remove what changed
        since ``started_at`` (saves, unpublishing, deletions while the workers ran)."""


@runtime_checkable
class ArchiveEngineExtension(Protocol):
    """Methods a backend may offer beyond haystack's; the app calls them when present."""

    def index_many(self, index, pks, feed, progress=None, replace=False, workers=None, limitmb=None):
        """Index or remove many objects at once (an import, a full build) with worker
        processes, swapped in with one commit; ``feed`` is a DocumentFeed, ``progress(n)``
        is called as pks are done. ``replace``: the new documents are the whole index (a
        build); ``workers`` processes of ``limitmb`` each. Returns (documents written,
        documents kept from saves meanwhile), or False when it did nothing (then the app
        uses apply_batches); raises WorkerFailed. Stock haystack: clear() for a build,
        update()/remove() per batch."""

    def apply_batches(self, index, batches):
        """Apply a stream of (objects to index, identifiers to remove) batches with few
        writers and commits. Stock haystack: ``update(index, objs)`` and
        ``remove(identifier)`` per batch."""

    def schema_matches(self):
        """True when the index exists with the schema the code declares now, False when
        it exists with another (it needs a full rebuild), None when there is no index
        yet. Stock haystack: nothing to compare, a ``clear`` + reindex is the way to
        change fields."""

    def drop_searcher(self):
        """Forget any open searcher, so the next search sees the index as it is now
        (after another process rebuilt it). Stock haystack: nothing."""

    def known_words(self, words):
        """The set of ``words`` (lowercase, as written: no stemming) that some document in
        the index holds, from the spelling vocabulary; a word only deleted documents held
        is not known. Stock haystack: no term list to ask, the app does without (the
        search does not try spellings it cannot check)."""
