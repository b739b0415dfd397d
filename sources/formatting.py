"""Dates and languages as the Archive writes them, for pages, citations and feeds alike
(no Django)."""

import pycountry

from .ingest.language import UNDETERMINED

MONTHS = (
    "January February March April May June July August September October November December"
).split()


def long_date(value):
    """12 March 2017 (no leading zero, English month names whatever the locale)."""
    if not value:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def date_with_precision(source):
    """The publication date as precisely as it is known: "12 March 2017", "March 2017",
    "2017" or "Date unknown"."""
    published = getattr(source, "published", None)
    precision = getattr(source, "date_precision", "unknown")
    if not published or precision == "unknown":
        return "Date unknown"
    if precision == "year":
        return str(published.year)
    if precision == "month":
        return f"{MONTHS[published.month - 1]} {published.year}"
    return long_date(published)


def iso_date_with_precision(source):
    """The machine-readable counterpart for <time datetime>: 2017-03-12, 2017-03 or 2017."""
    published = getattr(source, "published", None)
    precision = getattr(source, "date_precision", "unknown")
    if not published or precision == "unknown":
        return ""
    if precision == "year":
        return f"{published.year:04d}"
    if precision == "month":
        return f"{published.year:04d}-{published.month:02d}"
    return published.isoformat()


def language_name(code):
    """"Russian" for "ru": how the language facet and pages name a language."""
    if code == UNDETERMINED:
        return "Undetermined"
    language = pycountry.languages.get(alpha_2=code) if len(code or "") == 2 else None
    return language.name if language else (code or "Undetermined")
