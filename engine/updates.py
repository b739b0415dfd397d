"""Writing the index: batches of documents under Whoosh's write lock, with few commits.

A mixin of the backend (engine/backend.py): the write lock is retried with backoff for
a bounded time (LOCK_TIMEOUT, default 60 s), then LockError is raised; an update is one
writer for the whole batch, documents are prepared before the lock is taken; many
documents at once go to worker processes (engine/segments.py).
"""

import random
import time

from django.utils.encoding import force_str
from haystack.constants import DJANGO_CT, ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier, get_model_ct
from whoosh.index import LockError
from whoosh.writing import CLEAR

from .writing import ArchiveSegmentWriter

DEFAULT_LOCK_TIMEOUT = 60.0
#: A long index batch commits after holding the write lock this long (see apply_batches).
WRITE_HOLD_SECONDS = 15.0


class IndexUpdates:
    """update, remove, clear and the batch methods of ArchiveWhooshSearchBackend."""

    def _acquire_writer(self):
        """A writer, waiting for another process's writer with backoff, up to lock_timeout."""
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                self.index = self.index.refresh()
                return ArchiveSegmentWriter(self.index)
            except LockError:
                if time.monotonic() >= deadline:
                    raise LockError(
                        "The search index stayed locked by another writer for %.0f s"
                        % self.lock_timeout
                    )
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())) * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 1.0)

    def _prepare_docs(self, index, iterable):
        """Whoosh documents of these objects, one per identifier (the last one wins)."""
        prepared = []
        for obj in iterable:
            try:
                prepared.append(index.full_prepare(obj))
            except SkipDocument:
                continue
        return self.whoosh_docs(prepared)

    def whoosh_docs(self, prepared):
        """Whoosh documents of haystack's prepared ones (``index.full_prepare``), one per
        identifier (the last one wins)."""
        docs = {}
        for doc in prepared:
            doc = {key: self._from_python(value) for key, value in doc.items()}
            doc.pop("boost", None)
            docs[doc[ID]] = doc
        return list(docs.values())

    def apply_batch(self, index, objs=(), remove_identifiers=()):
        """Update ``objs`` and remove documents by identifier, in ONE writer."""
        self.apply_batches(index, [(objs, remove_identifiers)])

    def apply_batches(self, index, batches):
        """apply_batch for a stream of (objs, remove_identifiers) batches, with few
        commits: one writer takes batches until it has held the write lock for
        WRITE_HOLD_SECONDS, then commits without merging segments (so a curator's save
        waits for the lock at most about that long); only the last commit merges, as
        Whoosh's policy decides. Documents are prepared before the lock is taken."""
        if not self.setup_complete:
            self.setup()
        writer = searcher = None
        try:
            for objs, remove_identifiers in batches:
                docs = self._prepare_docs(index, objs) if index is not None else []
                identifiers = [force_str(i) for i in remove_identifiers] + [doc[ID] for doc in docs]
                if not identifiers:
                    continue
                if writer is None:
                    writer = self._acquire_writer()
                    # writer.update_document opens a searcher over every segment for
                    # EACH document (to delete the old version); one serves them all.
                    searcher = writer.searcher()
                    held_since = time.monotonic()
                for identifier in identifiers:
                    writer.delete_by_term(ID, identifier, searcher=searcher)
                for doc in docs:
                    writer.add_document(**doc)
                if time.monotonic() - held_since >= WRITE_HOLD_SECONDS:
                    searcher.close()
                    # No merge on the way: merging the growing index at every
                    # intermediate commit cost two thirds of a 100,000-article batch.
                    writer.commit(merge=False)
                    writer = None
        except BaseException:
            if writer is not None:
                searcher.close()
                writer.cancel()
            raise
        if writer is not None:
            searcher.close()
            writer.commit()

    def index_many(self, index, pks, feed, progress=None, replace=False, workers=None, limitmb=None):
        """Index (or remove) many objects: worker processes write new segments without
        the write lock, swapped in with one commit (engine/segments.py); ``feed`` is the
        app's DocumentFeed (engine/extensions.py). (written, kept), or False (nothing
        done) for an index in memory: the workers write files."""
        from .segments import index_in_segments

        if not self.setup_complete:
            self.setup()
        if not self.use_file_storage:
            return False
        return index_in_segments(self.connection_alias, index, pks, feed, replace=replace,
                                 workers=workers, limitmb=limitmb, progress=progress)

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
        self.drop_searcher()

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
