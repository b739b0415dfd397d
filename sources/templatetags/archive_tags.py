"""Presentation helpers for the Archive's templates. No searching happens here."""

import html
from urllib.parse import urlencode

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

register = template.Library()

MONTHS = (
    "January February March April May June July August September October November December"
).split()


@register.filter
def long_date(value):
    """12 March 2017 (no leading zero, English month names whatever the locale)."""
    if not value:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
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


@register.filter
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


@register.filter
def facet_value_label(value):
    if str(value) == "undated":
        return "Undated"
    return value


_search_paths = {}


def _search_path():
    """reverse("sources:search"), worked out once per URLconf and script prefix: one page
    links to the search hundreds of times (facet values, timeline bars, tags), and reverse()
    costs far more than the dictionary look-up."""
    key = (get_resolver(get_urlconf()), get_script_prefix())
    path = _search_paths.get(key)
    if path is None:
        if len(_search_paths) >= 16:  # URLconfs swapped in tests: keep the memo small
            _search_paths.clear()
        path = _search_paths[key] = reverse("sources:search")
    return path


def _escaped(value):
    """`value` HTML-escaped and marked safe, as autoescaping prints it (the same
    html.escape as django.utils.html.escape, without its lazy-string wrapper), done once.
    For the values a page shows hundreds of (facet values, timeline bars, tags), where
    escaping each at every use in the template is a large part of the page's cost. Numbers
    come out as plain digits, as the page has always printed them (no thousand separator
    is configured, and counts and SVG coordinates must not get one)."""
    return SafeString(html.escape(str(value)))


def _link(path, querystring):
    return path + (f"?{querystring}" if querystring else "")


@register.simple_tag
def search_url(query, **changes):
    """/search/?... for `query` with `changes` applied (e.g. page=2, sort="newest")."""
    qs = query.querystring(**changes) if query is not None else urlencode(changes)
    return _link(_search_path(), qs)


@register.simple_tag
def search_link(querystring):
    """/search/?<querystring> for a querystring the search service produced."""
    return _link(_search_path(), querystring)


@register.simple_tag
def filter_url(facet, value):
    """A search filtered on one facet value: /search/?country=Kazakhstan."""
    return _search_path() + "?" + urlencode({facet: value})


@register.simple_tag
def article_url(source, q=""):
    """The article's address; with the query so that the page marks its terms."""
    url = source.get_absolute_url()
    if q and q.strip():
        url += "?" + urlencode({"q": q})
    return url


@register.simple_tag
def split_facet(values, limit=8):
    """(shown, more): the first `limit` values, plus any selected ones further down, are
    shown; the rest go behind "show all"."""
    values = list(values)
    shown = values[:limit]
    more = []
    for fv in values[limit:]:
        (shown if fv.selected else more).append(fv)
    return shown, more


@register.simple_tag
def page_window(page, pages, radius=2):
    """Page numbers to link, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
    if pages <= 1:
        return []
    wanted = {1, pages} | set(range(max(1, page - radius), min(pages, page + radius) + 1))
    window, previous = [], 0
    for number in sorted(wanted):
        if number - previous > 1:
            window.append(None)
        window.append(number)
        previous = number
    return window


TIMELINE_HEIGHT = 90  # bar area, SVG user units
TIMELINE_LABEL = 18
TIMELINE_MAX_WIDTH = 720


@register.simple_tag
def timeline_geometry(bars):
    """Positions for the server-rendered SVG timeline (attributes, never CSS), with each
    bar's year, selection, link and title ("2016: 12 articles"): plain dicts, which the
    template reads fastest, text escaped once (see _escaped)."""
    bars = list(bars)
    if not bars:
        return None
    slot = max(8, min(48, TIMELINE_MAX_WIDTH // len(bars)))
    gap = max(2, slot // 6)
    label_every = 1
    while slot * label_every < 34:  # a four-digit year needs ~34 units
        label_every += 1
    path = _search_path()
    items = []
    for index, bar in enumerate(bars):
        percent = max(0, min(100, int(bar.height_percent or 0)))
        height = max(2 if bar.count else 0, round(TIMELINE_HEIGHT * percent / 100))
        x = index * slot
        label = facet_value_label(bar.year)
        items.append(
            {
                "year": bar.year,
                "selected": bar.selected,
                "href": _escaped(_link(path, bar.querystring)),
                "title": _escaped(f"{label}: {bar.count} {plural(bar.count)}"),
                "x": x + gap // 2,
                "y": TIMELINE_HEIGHT - height,
                "width": slot - gap,
                "height": height,
                "hit_height": TIMELINE_HEIGHT,
                "label_x": x + slot // 2,
                "label": _escaped(label),
                "show_label": index % label_every == 0,
            }
        )
    return {
        "items": items,
        "width": slot * len(bars),
        "height": TIMELINE_HEIGHT + TIMELINE_LABEL,
        "bars_height": TIMELINE_HEIGHT,
        "label_y": TIMELINE_HEIGHT + 14,
    }


@register.filter
def plural(count, forms="article,articles"):
    one, many = forms.split(",")
    return one if count == 1 else many


FACET_LABELS = {
    "country": "Country",
    "organisation": "Organisation",
    "year": "Year published",
    "mentioned_year": "Years mentioned",
}


@register.filter
def facet_label(facet):
    return FACET_LABELS.get(facet, facet)


def _facet_item(fv, path):
    """What one facet value's link shows. The column lists a few hundred values: a plain
    dict (the template engine reads a key far faster than an attribute), text escaped once
    (see _escaped)."""
    return {
        "label": _escaped(facet_value_label(fv.value)),
        "count": _escaped(fv.count),
        "count_label": _escaped(f"{fv.count} {plural(fv.count)}"),
        "selected": fv.selected,
        "href": _escaped(_link(path, fv.querystring)),
    }


@register.simple_tag
def facet_sections(results, limit=8):
    """The facet column: one section per facet, in the service's order, values split into
    shown and "show all"."""
    path = _search_path()
    sections = []
    for facet, values in results.facets.items():
        values = list(values)
        shown, more = split_facet(values, limit)
        sections.append(
            {
                "facet": facet,
                "label": facet_label(facet),
                "shown": [_facet_item(fv, path) for fv in shown],
                "more": [_facet_item(fv, path) for fv in more],
                "count": len(values),
                "selected": sum(1 for fv in values if fv.selected),
            }
        )
    return sections


@register.simple_tag
def refine_url(query, facet, value):
    """The current search narrowed to one more facet value (unchanged if already chosen)."""
    if query is None:
        return filter_url(facet, value)
    value = str(value)
    if value in getattr(query, facet, ()):
        return search_url(query)
    return search_link(query.toggled(facet, value).querystring(page=1))


@register.simple_tag(takes_context=True)
def hit_tags(context, source, query, limit=6):
    """One hit's tags: its first `limit` countries and organisations, each with its name
    and the link that narrows the current search to it (refine_url), and how many more
    there are. Text escaped once (see _escaped); each link is worked out once per render,
    as the same country or organisation is tagged on many hits of one page."""
    memo = context.render_context.setdefault("archive_hit_tag_links", {})

    def tags(facet, names):
        out = []
        for name in names[:limit]:
            key = (query, facet, name)
            href = memo.get(key)
            if href is None:
                href = memo[key] = _escaped(refine_url(query, facet, name))
            out.append({"name": _escaped(name), "href": href})
        return out

    countries = [c.name for c in source.countries.all()]
    organisations = [o.name for o in source.organisations.all()]
    return {
        "any": bool(countries or organisations),
        "countries": tags("country", countries),
        "more_countries": max(0, len(countries) - limit),
        "organisations": tags("organisation", organisations),
        "more_organisations": max(0, len(organisations) - limit),
    }


@register.simple_tag
def clear_filters_url(query):
    """The same words with every filter removed."""
    return search_url(query, page=1, **{facet: () for facet in FACET_LABELS})


@register.filter
def first_rank(results):
    """The number of the first hit on this page, for <ol start>."""
    return (max(1, results.page) - 1) * results.per_page + 1
