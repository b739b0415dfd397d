import json

from django.core.management.base import BaseCommand

from sources import facets
from sources.models import Source


def source_record(source):
    return {
        "slug": source.slug,
        "url": source.get_absolute_url(),
        "title": source.title,
        "title_is_derived": source.title_is_derived,
        "outlet": source.outlet,
        "author": source.author,
        "dateline": source.dateline,
        "published": source.published.isoformat() if source.published else None,
        "date_precision": source.date_precision,
        "original_url": source.original_url,
        "captured_at": source.captured_at.isoformat() if source.captured_at else None,
        "is_published": source.is_published,
        **{facet.listed_as: sorted(facet.values_of(source)) for facet in facets.LISTED},
        "source_file": source.source_file,
        "position": source.position,
        "text": source.text,
    }


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
