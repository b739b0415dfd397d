from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sources import importer
from sources.models import Source
from sources.signals import deferred_indexing


class Command(BaseCommand):
    help = (
        "Run extraction again over stored Sources (after the gazetteer or the rules changed). "
        "Fields a curator edited are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these Sources (default: all)")

    def handle(self, *args, slugs, **options):
        sources = Source.objects.order_by("pk")
        if slugs:
            sources = sources.filter(slug__in=slugs)
        gazetteer = importer.gazetteer_from_db()
        changed = unchanged = 0
        failures = []
        with deferred_indexing():
            for source in tqdm(sources.iterator(), total=sources.count(), desc="Re-extracting", disable=None):
                try:
                    if importer.reextract(source, gazetteer):
                        changed += 1
                    else:
                        unchanged += 1
                except Exception as exc:
                    failures.append(f"{source.slug}: {exc}")
        self.stdout.write(f"Re-extracted {changed + unchanged + len(failures)} Source(s): "
                          f"{changed} changed, {unchanged} unchanged, {len(failures)} failed.")
        for failure in failures:
            self.stdout.write(f"  failed: {failure}")
        if failures:
            raise CommandError(f"{len(failures)} failed", returncode=1)
