"""Build the whole search index from the database, with several processes.

    python manage.py build_index [--workers N] [--limitmb MB]

haystack's rebuild_index/update_index index ~50 articles/s on 2 cores, ~10/s at 50,000
(an update opens a searcher per document; every batch commit merges segments; its
--workers is reported to lose documents, django-haystack #1556). Here one worker process
per CPU writes new segments and one commit swaps them in for the old index
(engine/segments.py): searches see the old index until that instant, then the new
one, never an empty or half-built index (also when the schema changed: the new table of
contents carries the new schema). Saves made during the build are kept. The document
count is checked against the database (exit status 1 if it differs).

Whoosh-only (it writes segments): on another engine use rebuild_index.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from tqdm import tqdm

from engine.backend import ArchiveWhooshSearchBackend
from engine.segments import DEFAULT_LIMITMB, WorkerFailed, index_in_segments
from sources.indexing import SourceFeed


class Command(BaseCommand):
    help = "Build the Whoosh index from the database with several processes, swapped in atomically."

    def add_arguments(self, parser):
        parser.add_argument("--using", default="default")
        parser.add_argument(
            "--workers", type=int, default=0, help="processes (default: the number of CPUs)"
        )
        parser.add_argument(
            "--limitmb", type=int, default=None,
            help="memory of a worker's postings before it starts another segment (default: "
            f"{DEFAULT_LIMITMB}, less when the workers would not fit in the machine's memory)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, **options):
        alias = options["using"]
        backend = connections[alias].get_backend()
        if not isinstance(backend, ArchiveWhooshSearchBackend) or not backend.use_file_storage:
            raise CommandError("build_index writes Whoosh segment files; use rebuild_index here.")
        unified = connections[alias].get_unified_index()
        started = time.perf_counter()
        written = kept = 0
        for number, model in enumerate(unified.get_indexed_models()):
            index = unified.get_index(model)
            pks = list(index.index_queryset(using=alias).values_list("pk", flat=True))
            progress = tqdm(
                total=len(pks), desc="Indexing", unit="doc", file=self.stderr._out,
                disable=options["no_progress"] or options["verbosity"] < 1 or None,
            )
            try:
                done, saved = index_in_segments(
                    alias, index, pks, SourceFeed(alias), replace=number == 0,
                    workers=options["workers"] or os.cpu_count(),
                    limitmb=options["limitmb"], progress=progress.update,
                )
            except WorkerFailed as exc:
                raise CommandError(str(exc)) from None
            finally:
                progress.close()
            written += done
            kept += saved

        elapsed = time.perf_counter() - started
        total = backend.searcher().doc_count()
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
