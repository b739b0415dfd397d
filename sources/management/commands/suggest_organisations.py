from django.core.management.base import BaseCommand

from sources.organisation_suggestions import gather


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "List organisations the articles name that the curated list lacks ('Full Name (ACRONYM)', "
        "'Name, or ACRONYM', names built on Party/Movement/Committee...), with the articles that "
        "name them. Changes nothing: add the right ones in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--min-articles", type=positive, default=1, help="named in at least N articles")
        parser.add_argument("--limit", type=positive, default=50, help="list at most N names")
        parser.add_argument("--published-only", action="store_true", help="only published Sources")

    def handle(self, *args, min_articles, limit, published_only, **options):
        from sources.models import Source

        sources = Source.objects.published() if published_only else Source.objects.all()
        gathered = gather(sources, min_articles=min_articles)
        for entry in gathered[:limit]:
            acronym = f" ({entry.acronym})" if entry.acronym else ""
            articles = ", ".join(entry.slugs[:5]) + (" ..." if len(entry.slugs) > 5 else "")
            self.stdout.write(f"{entry.name}{acronym}: {len(entry.slugs)} articles, {entry.mentions} mentions: {articles}")
        self.stdout.write(f"{len(gathered)} names suggested" + (f", {limit} listed." if len(gathered) > limit else "."))
