from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sources import importer
from sources.signals import deferred_indexing, index_missing


class Command(BaseCommand):
    help = (
        "Import plain-text or HTML articles (files or folders) as Sources. Idempotent: "
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

    def handle(self, *args, paths, no_progress=False, jobs=None, **options):
        files, missing = importer.find_files(paths)
        summary = importer.ImportSummary()
        for path in missing:
            summary.outcomes.append(importer.Outcome(str(path), importer.FAILED, reason="no such file or folder"))
        gazetteer = importer.gazetteer_from_db()
        progress = tqdm(total=len(files), desc="Importing", unit="file", disable=no_progress or None,
                        file=self.stderr._out)
        # One index writer for the whole batch instead of one per article.
        with deferred_indexing(), importer.import_context():
            for _path, outcomes in importer.import_files(files, gazetteer, processes=jobs):
                for outcome in outcomes:
                    summary.outcomes.append(outcome)
                    if outcome.status == importer.FAILED:
                        progress.write(f"FAILED {outcome.path}: {outcome.reason}")
                progress.update()
        progress.close()
        unchanged = [o.source_pk for o in summary.outcomes if o.status == importer.UNCHANGED]
        if unchanged:
            index_missing(unchanged)
        self.report(summary)
        if not summary.ok:
            raise CommandError(f"{len(summary.failures)} failed", returncode=1)

    def report(self, summary):
        self.stdout.write(
            f"Imported {len(summary.outcomes)} article(s): "
            f"{summary.count(importer.CREATED)} created, {summary.count(importer.UPDATED)} updated, "
            f"{summary.count(importer.UNCHANGED)} unchanged, {summary.count(importer.FAILED)} failed."
        )
        for outcome in summary.failures:
            self.stdout.write(f"  failed: {outcome.path}: {outcome.reason}")
