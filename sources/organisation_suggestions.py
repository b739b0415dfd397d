"""Organisations the archive's articles name and the curated list lacks, gathered over all
Sources for curators (`manage.py suggest_organisations`). The names come from
sources/ingest/new_organisations.py; nothing here changes the list or the facet."""

from __future__ import annotations

from dataclasses import dataclass, field

from .importer import gazetteer_from_db
from .ingest.new_organisations import suggest_organisations
from .models import Source


@dataclass
class Gathered:
    name: str
    acronym: str = ""
    mentions: int = 0
    slugs: list[str] = field(default_factory=list)  # the articles that name it


def gather(sources=None, *, min_articles: int = 1) -> list[Gathered]:
    """Suggestions over `sources` (default: every Source), most articles first; a name
    counts once per article, under its most frequent written form's key (case aside)."""
    gazetteer = gazetteer_from_db()
    found: dict[str, Gathered] = {}
    queryset = Source.objects.all() if sources is None else sources
    for source in queryset.only("slug", "title", "text").iterator(chunk_size=200):
        for suggestion in suggest_organisations(f"{source.title}\n\n{source.text}", gazetteer):
            entry = found.setdefault(suggestion.name.casefold(), Gathered(suggestion.name))
            entry.acronym = entry.acronym or suggestion.acronym
            entry.mentions += suggestion.mentions
            entry.slugs.append(source.slug)
    kept = [entry for entry in found.values() if len(entry.slugs) >= min_articles]
    return sorted(kept, key=lambda entry: (-len(entry.slugs), -entry.mentions, entry.name))
