"""The search index, kept in step with the database (sources/index_sync.py does the work).

    python manage.py index build [--workers N] [--limitmb MB]   everything, from the database
    python manage.py index catch-up      marked, missing and extra Sources only (cheap)
    python manage.py index check         compare field by field; exit 1 when they differ
    python manage.py index repair        check, fix what differs, check again

Common options (after the mode): --using ALIAS, --no-progress. Verbosity goes before the
mode (`index -v 2 check` lists slugs).

build: with the Archive's engine, one worker process per core writes new segments and one
commit swaps them in for the old index: searches see the old index until that instant,
then the new one, never an empty or half-built one (also when the schema changed). Saves
made during the build are kept. haystack's update_index indexes ~10 articles/s at 50,000
(a searcher per document, a merge per batch commit); this ~300/s. Another engine is
cleared, then filled through haystack. The document count is checked against the
database (exit status 1 when it differs).

catch-up (run by `make setup`, after an upgrade or a crash): indexes the Sources marked as
changed but not confirmed indexed (an import or a save killed between its commit and its
index write), those the index lacks, and removes documents of deleted or unpublished
Sources; pk sets only, no document is prepared. An index of an older schema is built.

haystack's rebuild_index and update_index say where to go instead (see replaced_by).
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from tqdm import tqdm

from sources import index_engine, index_sync
from sources.models import Source

SHOW = 20


class Command(BaseCommand):
    help = "Keep the search index in step with the database: build, catch-up, check or repair."

    def add_arguments(self, parser):
        modes = parser.add_subparsers(dest="mode", required=True, metavar="MODE")
        build = modes.add_parser("build", help="index every published Source again")
        build.add_argument("--workers", type=int, default=0, help="processes (default: one per CPU)")
        build.add_argument(
            "--limitmb", type=int, default=None,
            help="memory of a worker's postings before it starts another segment",
        )
        modes.add_parser("catch-up", help="index marked and missing Sources, drop extra documents")
        modes.add_parser("check", help="compare index and database; exit 1 when they differ")
        modes.add_parser("repair", help="check, then fix what differs")
        for mode in modes.choices.values():
            mode.add_argument("--using", default="default", help="haystack connection alias")
            mode.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, mode, using, **options):
        if using not in connections.connections_info:
            raise CommandError(f"No haystack connection {using!r}.")
        self.using, self.options = using, options
        started = time.monotonic()
        run = {"build": self.build_all, "catch-up": self.catch_up, "check": self.check_index, "repair": self.repair}
        status = run[mode]()
        took = time.monotonic() - started
        if status:
            self.stdout.write(self.style.ERROR(f"{status} ({took:.1f} s)"))
            raise SystemExit(1)

    def progress(self, total, desc):
        return tqdm(
            total=total, desc=desc, unit="doc", file=self.stderr._out,
            disable=self.options["no_progress"] or self.options["verbosity"] < 1 or None,
        )

    # --- the modes: each returns an error line, or None ----------------------------------

    def build_all(self):
        started = time.perf_counter()
        progress = self.progress(len(index_sync.published_pks(self.using)), "Indexing")
        try:
            written, kept = index_sync.build(
                self.using, self.options.get("workers") or os.cpu_count(),
                limitmb=self.options.get("limitmb"), progress=progress.update,
            )
        except index_engine.BuildFailed as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.close()
        elapsed = time.perf_counter() - started
        total, expected = index_sync.document_count(self.using), len(index_sync.published_pks(self.using))
        self.say(
            "Index built: %d documents (%d kept from saves during the build) in %.1f s (%.0f/s)."
            % (total, kept, elapsed, written / elapsed if elapsed else 0)
        )
        if total != expected:
            return "The index holds %d documents, the database %d published Sources." % (total, expected)

    def catch_up(self):
        started = time.perf_counter()
        progress = self.progress(None, "Catching up")
        try:
            found = index_sync.catch_up(self.using, progress=progress.update)
        finally:
            progress.close()
        elapsed = time.perf_counter() - started
        if found.rebuilt:
            self.say(f"The index had an older schema: built again in {elapsed:.1f} s.")
            return None
        self.say(
            f"Caught up: {len(found.missing)} missing, {len(found.marked)} marked as changed, "
            f"{len(found.extra)} extra; {len(found.todo)} Sources indexed or removed in {elapsed:.1f} s."
        )

    def check_index(self, title=None):  # not check(): BaseCommand runs the system checks with it
        comparison = index_sync.compare(self.using)
        self.report(comparison, title or f"Search index '{self.using}' against the database:")
        if comparison.differences:
            return f"Inconsistent: {comparison.differences} difference(s). Run `index repair` to fix."
        self.stdout.write(self.style.SUCCESS("Consistent."))

    def repair(self):
        if index_engine.schema_outdated(self.using):
            self.stdout.write("The index was built with an older schema: rebuilding it.")
            self.build_all()
        comparison = index_sync.compare(self.using)
        self.report(comparison, f"Search index '{self.using}' against the database:")
        if not comparison.differences:
            self.stdout.write(self.style.SUCCESS("Consistent."))
            return None
        progress = self.progress(comparison.differences, "Repairing")
        try:
            index_sync.repair(self.using, comparison, progress=progress.update)
        finally:
            progress.close()
        self.stdout.write(f"Repaired: {comparison.differences} Sources indexed or removed.")
        return self.check_index("After repair:")

    # --- reporting -------------------------------------------------------------------------

    def say(self, line):
        if self.options["verbosity"] >= 1:
            self.stdout.write(line)

    def report(self, comparison, title):
        write = self.stdout.write
        write(title)
        write(f"  published Sources in the database: {comparison.database}")
        write(f"  Source documents in the index:     {comparison.index}")
        write(f"  missing from the index:            {len(comparison.missing)}")
        write(f"  stale (differ from the database):  {len(comparison.stale)}")
        write(f"  extra (deleted or unpublished):    {len(comparison.extra)}")
        for kind in ("missing", "stale", "extra"):
            pks = getattr(comparison, kind)
            if pks and self.options["verbosity"] >= 1:
                shown = ", ".join(self.describe(pk) for pk in pks[:SHOW])
                more = f" and {len(pks) - SHOW} more" if len(pks) > SHOW else ""
                write(f"    {kind}: {shown}{more}")

    def describe(self, pk):
        slug = None
        if self.options["verbosity"] >= 2:
            slug = Source.objects.filter(pk=pk).values_list("slug", flat=True).first()
        return f"#{pk} ({slug})" if slug else f"#{pk}"


def replaced_by(haystack_command, mode):
    """A haystack index command that says which mode of `index` to run instead: two ways
    to index would be one too many, and haystack's are slow (a searcher per document),
    leave the index empty while rebuilding and do not clear the marks of changed Sources."""

    class Replaced(haystack_command):
        help = f"Replaced by `manage.py index {mode}`."

        def handle(self, *args, **options):
            raise CommandError(f"This archive keeps its index with `python manage.py index {mode}` "
                               f"(`python manage.py index --help` lists the modes).")

    return Replaced
