from django.core.management.base import BaseCommand

from sources import versions
from sources.signals import deferred_indexing


class Command(BaseCommand):
    help = (
        "Find versions (reprints) and shared passages again over the whole archive: for an "
        "archive imported before detection existed, or after its rules changed. Imports run "
        "detection themselves. Versions a curator split or joined stay as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, no_progress=False, **options):
        def progress(done, total):
            if not no_progress:
                self.stdout.write(f"{done}/{total} articles")

        with deferred_indexing():
            versions.detect_all(progress=progress)
        self.stdout.write(
            f"{versions.VersionMembership.objects.count()} articles in "
            f"{versions.VersionGroup.objects.count()} version groups; "
            f"{versions.TextOverlap.objects.count()} pairs share text."
        )
