"""Build the whole search index from the database, with several processes.

    python manage.py build_index [--workers N] [--limitmb MB]

haystack's rebuild_index/update_index index ~50 articles/s on 2 cores, ~10/s at 50,000
(an update opens a searcher per document; every batch commit merges segments; its
--workers is reported to lose documents, django-haystack #1556). Here:

* the published pks are split into N contiguous ranges; each worker process (forked, with
  its own database connection) prepares its documents (no template) and writes them as
  ONE new segment with its own unlocked Whoosh writer (as whoosh.multiproc does), with a
  large in-memory pool (limitmb) and no compound file;
* the parent then swaps the new segments in with ONE table-of-contents commit under the
  index's write lock: searches see the old index until that instant, then the new one,
  never an empty or half-built index (also when the schema changed: the new table of
  contents carries the new schema);
* documents indexed while the build ran (a curator's save) are kept: their segments stay
  and the build's copy of those documents is deleted; Sources changed or removed after the
  build read them are re-indexed/removed right after the swap;
* the document count is checked against the database (exit status 1 if it differs).

Whoosh-only (it writes segments): on another engine use rebuild_index.
"""

import multiprocessing
import os
import time
import traceback

from django.core.management.base import BaseCommand, CommandError
from django.db import connections as db_connections
from django.utils import timezone
from haystack import connections
from haystack.constants import ID
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.util import random_name
from whoosh.reading import SegmentReader

from sources.whoosh_backend import WRITER_OPTIONS, ArchiveSegmentWriter, ArchiveWhooshSearchBackend

CHUNK = 500


def _build_segment(task):
    """In a worker process: index these pks of one model into one new segment."""
    try:
        return _write_segment(*task)
    except Exception:
        # Whoosh's exceptions do not always survive pickling back to the parent.
        raise CommandError("build_index worker failed:\n" + traceback.format_exc()) from None


def _write_segment(alias, model_label, pks, limitmb):
    db_connections.close_all()  # the parent's connection must not be shared after fork
    from django.apps import apps

    backend = connections[alias].get_backend()
    backend.setup()
    index = connections[alias].get_unified_index().get_index(apps.get_model(model_label))
    # A storage whose temporary folders are this process's own: a Whoosh writer deletes
    # "<index>.tmp" when it finishes, which would pull the files from under the others.
    storage = _WorkerStorage(backend.storage.folder)
    ix = storage.open_index(backend.index.indexname)
    writer = ArchiveSegmentWriter(ix, _lk=False, limitmb=limitmb, **WRITER_OPTIONS)
    writer.schema = backend.schema  # the code's schema, also when the index's differs
    count = 0
    try:
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            objs = index.index_queryset(using=alias).filter(pk__in=chunk).order_by("pk")
            for doc in backend._prepare_docs(index, objs):
                writer.add_document(**doc)
                count += 1
        if not count:
            writer.cancel()
            return None, 0
        segment = writer._finalize_segment()
        writer._finish()
    except BaseException:
        writer.cancel()
        raise
    finally:
        db_connections.close_all()
    return segment, count


class _WorkerStorage(FileStorage):
    def temp_storage(self, name=None):
        return super().temp_storage("build-%d-%s" % (os.getpid(), name or random_name()))


def _split(pks, parts):
    size = -(-len(pks) // parts) if pks else 0
    return [pks[i : i + size] for i in range(0, len(pks), size)] if size else []


class Command(BaseCommand):
    help = "Build the Whoosh index from the database with several processes, swapped in atomically."

    def add_arguments(self, parser):
        parser.add_argument("--using", default="default")
        parser.add_argument(
            "--workers", type=int, default=0, help="processes (default: the number of CPUs)"
        )
        parser.add_argument("--limitmb", type=int, default=512, help="memory per writer pool")

    def handle(self, **options):
        alias = options["using"]
        backend = connections[alias].get_backend()
        if not isinstance(backend, ArchiveWhooshSearchBackend):
            raise CommandError("build_index writes Whoosh segments; use rebuild_index on this engine.")
        backend.setup()
        unified = connections[alias].get_unified_index()
        workers = options["workers"] or os.cpu_count() or 1
        started_at = timezone.now()
        t0 = time.perf_counter()
        before = {s.segid for s in backend.index.refresh()._read_toc().segments}

        tasks = []
        for model in unified.get_indexed_models():
            index = unified.get_index(model)
            pks = list(index.index_queryset(using=alias).order_by("pk").values_list("pk", flat=True))
            tasks.extend(
                (alias, model._meta.label, chunk, options["limitmb"]) for chunk in _split(pks, workers)
            )
        db_connections.close_all()
        context = multiprocessing.get_context("fork")
        with context.Pool(min(workers, max(1, len(tasks)))) as pool:
            built = pool.map(_build_segment, tasks, chunksize=1)
        segments = [segment for segment, _ in built if segment is not None]
        written = sum(count for _, count in built)
        if options["verbosity"] >= 1:
            self.stdout.write(
                "Indexed %d documents in %d segments in %.1f s; swapping them in."
                % (written, len(segments), time.perf_counter() - t0)
            )
        kept = self._swap(backend, segments, before)
        self._catch_up(backend, alias, started_at)

        backend._drop_searcher()
        total = backend.searcher().doc_count()
        elapsed = time.perf_counter() - t0
        if options["verbosity"] >= 1:
            self.stdout.write(
                "Index built: %d documents (%d kept from saves during the build) in %.1f s (%.0f/s)."
                % (total, kept, elapsed, written / elapsed if elapsed else 0)
            )
        expected = sum(
            unified.get_index(m).index_queryset(using=alias).count() for m in unified.get_indexed_models()
        )
        if total != expected:
            raise CommandError("The index holds %d documents, the database %d." % (total, expected))

    def _swap(self, backend, segments, before):
        """One TOC commit under the write lock: the new segments, plus any written since
        the build started (their documents win over the build's copies)."""
        writer = backend._acquire_writer()
        try:
            since = [s for s in writer.segments if s.segid not in before]
            newer = set()
            for segment in since:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                try:
                    newer.update(
                        fields[ID] for docnum, fields in reader.iter_docs() if ID in fields
                    )
                finally:
                    reader.close()
            if newer:
                for segment in segments:
                    reader = SegmentReader(writer.storage, backend.schema, segment)
                    try:
                        for identifier in newer:
                            if (ID, identifier) in reader:
                                for docnum in reader.postings(ID, identifier).all_ids():
                                    segment.delete_document(docnum)
                    finally:
                        reader.close()
            final = segments + since
            writer._close_segment()
            TOC(backend.schema, final, writer.generation).write(writer.storage, writer.indexname)
            clean_files(writer.storage, writer.indexname, writer.generation, final)
        finally:
            writer._finish()
        backend.index = backend.index.refresh()
        return sum(s.doc_count() for s in since)

    def _catch_up(self, backend, alias, started_at):
        """Sources saved, unpublished or deleted since the workers read them."""
        from sources.models import Source
        from sources.signals import reindex_sources

        changed = set(Source.objects.filter(updated__gte=started_at).values_list("pk", flat=True))
        published = set(Source.objects.published().values_list("pk", flat=True))
        searcher = backend.searcher()
        indexed = set()
        for fields in searcher.reader().all_stored_fields():
            try:
                indexed.add(int(fields.get("django_id")))
            except (TypeError, ValueError):
                continue
        reindex_sources(changed | (indexed - published) | (published - indexed), using=alias)
