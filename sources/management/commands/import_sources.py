import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sources import importer, index_marks
from sources.import_jobs import JobRecorder, NoJob
from sources.signals import deferred_indexing, reindex_sources


def rate(count, seconds):
    return f"{count / seconds:.0f}" if seconds > 0 else "-"


class Command(BaseCommand):
    help = (
        "Import plain-text or HTML articles and web archives (.warc, .warc.gz, .wacz; files or "
        "folders) as Sources. Idempotent: "
        "re-importing creates nothing new and never overwrites curated fields."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or folders to import")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--jobs", type=int, default=None,
            help="processes that parse files (default: one per CPU when there are enough "
            "files; 0: parse in this process). Storing is always done by this process.",
        )
        parser.add_argument("--job", type=int, help="record progress and summary on this ImportJob (admin uploads)")

    def handle(self, *args, job=None, **options):
        recorder = JobRecorder(job) if job else NoJob()
        try:
            summary = self.run(recorder, **options)
        except Exception as exc:
            recorder.stopped(exc)
            raise
        recorder.finished(summary)
        if not summary.ok:
            raise CommandError(f"{len(summary.failures)} failed", returncode=1)

    def run(self, recorder, *, paths, no_progress=False, jobs=None, **options):
        files, refused = importer.find_files(paths)
        recorder.started(len(files))
        summary = importer.ImportSummary(outcomes=refused)
        gazetteer = importer.gazetteer_from_db()
        started = time.perf_counter()
        progress = self.progress(len(files), "Importing", "file", no_progress)
        # Saves only collect the touched pks here; they are indexed below in one batch.
        with deferred_indexing() as touched, importer.import_context():
            for _path, outcomes in importer.import_files(files, gazetteer, processes=jobs):
                for outcome in outcomes:
                    summary.outcomes.append(outcome)
                    if outcome.status == importer.FAILED:
                        progress.write(f"FAILED {outcome.path}: {outcome.reason}")
                progress.update()
                recorder.file_done()
            # With the Sources an earlier run stored but did not live to index.
            leftover = index_marks.marked() - touched
            to_index = set(touched) | leftover
            touched.clear()
        progress.close()
        stored_in = time.perf_counter() - started

        started = time.perf_counter()
        recorder.indexing()
        progress = self.progress(len(to_index), "Indexing", "article", no_progress)
        reindex_sources(to_index, progress=progress.update)
        progress.close()
        indexed = len(to_index)
        indexed_in = time.perf_counter() - started

        self.report(summary)
        self.stdout.write(
            f"Read and stored in {stored_in:.1f} s ({rate(len(summary.outcomes), stored_in)}/s), "
            f"indexed {indexed} in {indexed_in:.1f} s ({rate(indexed, indexed_in)}/s)"
            + (f"; {len(leftover)} of them left unindexed by an earlier run." if leftover else ".")
        )
        return summary

    def progress(self, total, desc, unit, disabled):
        return tqdm(total=total, desc=desc, unit=unit, disable=disabled or None, file=self.stderr._out)

    def report(self, summary):
        self.stdout.write(
            f"Imported {len(summary.outcomes)} article(s): "
            f"{summary.count(importer.CREATED)} created, {summary.count(importer.UPDATED)} updated, "
            f"{summary.count(importer.UNCHANGED)} unchanged, {summary.count(importer.FAILED)} failed, "
            f"{summary.count(importer.SKIPPED)} skipped."
        )
        for outcome in summary.outcomes:
            if outcome.status == importer.SKIPPED:
                self.stdout.write(f"  skipped: {outcome.path}: {outcome.reason}")
        for outcome in summary.failures:
            self.stdout.write(f"  failed: {outcome.path}: {outcome.reason}")
        replaced = summary.with_undecodable_bytes
        if replaced:
            self.stdout.write(
                f"{len(replaced)} article(s) had undecodable bytes, replaced by U+FFFD and "
                "recorded with the lines removed:"
            )
        for outcome in replaced:
            self.stdout.write(f"  {outcome.path}: {outcome.undecodable} byte(s) replaced")
