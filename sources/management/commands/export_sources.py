import json

from django.core.management.base import BaseCommand

from sources.models import Source
from sources.records import source_record


class Command(BaseCommand):
    help = "Write every Source as one JSON object per line (JSON Lines) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--published-only", action="store_true")

    def handle(self, *args, published_only=False, **options):
        sources = Source.objects.for_listing().order_by("source_file", "position")
        if published_only:
            sources = sources.published()
        for source in sources.iterator(chunk_size=500):
            self.stdout.write(json.dumps(source_record(source), ensure_ascii=False))
