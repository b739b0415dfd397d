"""One article as data: what `export_sources` writes per line and `/api/sources/<slug>`
answers (every field a journalist or a program may need, the text included)."""

from . import facets


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
        # Apart from `countries` (what it is about): the countries it names in passing.
        "countries_mentioned": sorted(country.name for country in source.passing_countries),
        "source_file": source.source_file,
        "position": source.position,
        "text": source.text,
    }
