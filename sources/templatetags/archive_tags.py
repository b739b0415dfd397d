"""Presentation helpers for the Archive's templates. No searching happens here."""

import html
import re
from urllib.parse import urlencode

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from sources import entity_kinds, facets
from sources.formatting import date_with_precision, iso_date_with_precision, language_name, long_date

register = template.Library()

# The date filters live in sources/formatting.py (citations use them too).
register.filter("long_date", long_date)
register.filter("date_with_precision", date_with_precision)
register.filter("iso_date_with_precision", iso_date_with_precision)


register.filter("facet_value_label", facets.value_label)


_per_urlconf_memo = {}


def _per_urlconf(name, reverse_it):
    """reverse_it(), worked out once per URLconf and script prefix (what reverse()
    depends on): one page links to the search hundreds of times (facet values, timeline
    bars, tags), and reverse() costs far more than the dictionary look-up."""
    key = (name, get_resolver(get_urlconf()), get_script_prefix())
    value = _per_urlconf_memo.get(key)
    if value is None:
        if len(_per_urlconf_memo) >= 32:  # URLconfs swapped in tests: keep the memo small
            _per_urlconf_memo.clear()
        value = _per_urlconf_memo[key] = reverse_it()
    return value


def _search_path():
    return _per_urlconf("search", lambda: reverse("sources:search"))


# What the <slug:> path converter matches, and what reverse() puts in an address as it is.
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SLUG_STAND_IN = "0-slug-0"


def _article_path(source):
    """source.get_absolute_url() without a reverse() per hit: that address is reversed
    from the slug alone, so the address of a stand-in slug is worked out once (per URLconf
    and script prefix) and the real slug put in its place."""
    model = type(source)
    before, stand_in, after = _per_urlconf(
        ("article", model),
        lambda: model(slug=_SLUG_STAND_IN).get_absolute_url().rpartition(_SLUG_STAND_IN),
    )
    if not stand_in or not _PLAIN_SLUG.fullmatch(source.slug):
        return source.get_absolute_url()
    return before + source.slug + after


def _escape(value):
    """conditional_escape(value) as a str: safe HTML as it is, anything else through
    html.escape, the function django.utils.html.escape calls."""
    if hasattr(value, "__html__"):
        return value.__html__()
    if type(value) is int:  # counts and SVG coordinates, a third of the values: no markup
        return str(value)
    return html.escape(str(value))


def _html(markup, **values):
    """format_html(markup, **values): every value escaped unless already safe HTML.
    The page builds a few hundred such fragments (facet values, timeline bars, tags) where
    a template loop would render a few thousand nodes; format_html's lazy-string checks
    would cost several times what this does. Numbers come out as plain digits, as the
    template printed them (no thousand separator is configured, and counts and SVG
    coordinates must not get one)."""
    return SafeString(markup.format_map({name: _escape(value) for name, value in values.items()}))


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
def entity_url(facet, entity):
    """The page of a country, organisation or person: /countries/tj/."""
    kind = entity_kinds.BY_FACET[facet]
    return f"{get_script_prefix()}{kind.word}/{kind.slug_of(entity)}/"


@register.simple_tag
def article_url(source, q=""):
    """The article's address; with the query so that the page marks its terms."""
    url = _article_path(source)
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
TIMELINE_TOP = 14  # room above the tallest bar for its count
TIMELINE_LABEL = 18
TIMELINE_MAX_WIDTH = 720
TIMELINE_COUNT_MIN_SLOT = 22  # narrower bars show their count on hover and focus only

# One bar of the SVG timeline, indented as the lines around it in _timeline.html.
TIMELINE_BAR_HTML = (
    '<a class="timeline__bar{selected_class}" href="{href}" aria-label="{title}{selected_note}" '
    'data-year="{year}">\n'
    "      <title>{title}</title>\n"
    '      <rect class="timeline__hit" x="{x}" y="0" width="{width}" height="{hit_height}"/>\n'
    '      <rect class="timeline__fill" x="{x}" y="{y}" width="{width}" height="{height}"/>\n'
    '      <text class="timeline__count{count_class}" x="{middle}" y="{count_y}" '
    'text-anchor="middle" aria-hidden="true">{count}</text>\n'
    "      {label_html}\n"
    "    </a>"
)
TIMELINE_LABEL_HTML = (
    '<text class="timeline__label" x="{x}" y="{y}" text-anchor="middle">{label}</text>'
)


def _timeline_slots(bars):
    """Each bar's slot index: the undated bar stands one empty slot apart from the years."""
    slots, index = [], 0
    for bar in bars:
        if str(bar.year) == "undated" and index:
            index += 1
        slots.append(index)
        index += 1
    return slots


@register.simple_tag
def timeline_geometry(bars):
    """The server-rendered SVG timeline: its size, and each bar's HTML (positions as
    attributes, never CSS; the bar links to the search with its year toggled, is titled
    "2016: 12 articles" and shows its count above it). The bars are written here, not by a
    template loop: see _html."""
    bars = list(bars)
    if not bars:
        return None
    slots = _timeline_slots(bars)
    slot = max(8, min(48, TIMELINE_MAX_WIDTH // (slots[-1] + 1)))
    gap = max(2, slot // 6)
    label_every = 1
    while slot * label_every < 34:  # a four-digit year needs ~34 units
        label_every += 1
    path = _search_path()
    bottom = TIMELINE_TOP + TIMELINE_HEIGHT
    html_bars = [
        _timeline_bar(bar, index * slot, slot, gap, bottom, path, show_label=index % label_every == 0)
        for index, bar in zip(slots, bars)
    ]
    return {
        "bars": html_bars,
        "width": slot * (slots[-1] + 1),
        "height": bottom + TIMELINE_LABEL,
        "bars_height": bottom,
    }


def _timeline_bar(bar, x, slot, gap, bottom, path, show_label):
    """One bar's HTML, ``slot`` units wide at ``x``; the undated bar is always labelled."""
    percent = max(0, min(100, int(bar.height_percent or 0)))
    height = max(2 if bar.count else 0, round(TIMELINE_HEIGHT * percent / 100))
    label = facets.value_label(bar.year)
    label_html = ""
    if show_label or label == "Undated":
        label_html = _html(TIMELINE_LABEL_HTML, x=x + slot // 2, y=bottom + 14, label=label)
    return _html(
        TIMELINE_BAR_HTML,
        selected_class=" is-selected" if bar.selected else "",
        selected_note=" (selected)" if bar.selected else "",
        href=_link(path, bar.querystring),
        title=f"{label}: {bar.count} {plural(bar.count)}",
        year=bar.year,
        x=x + gap // 2,
        y=bottom - height,
        width=slot - gap,
        height=height,
        hit_height=bottom,
        middle=x + slot // 2,
        count_y=bottom - height - 3,
        count_class="" if slot >= TIMELINE_COUNT_MIN_SLOT else " is-on-demand",
        count=bar.count if bar.count else "",
        label_html=label_html,
    )


@register.filter
def plural(count, forms="article,articles"):
    one, many = forms.split(",")
    return one if count == 1 else many


@register.filter
def facet_label(facet):
    return facets.LABELS.get(facet, facet)


# A facet value: a link that toggles it (works without JavaScript), a checkbox to a screen
# reader, and Space ticks it (archive.js).
FACET_VALUE_HTML = (
    '<li class="facet__item"><a class="facet__value{selected_class}" href="{href}" '
    'data-value="{label}" role="checkbox" aria-checked="{checked}">'
    '<span class="facet__box" aria-hidden="true"></span>'
    '<span class="visually-hidden">Filter by: </span><span class="facet__name">{label}</span>'
    '<span class="facet__count" aria-label="{count_label}">{count}</span></a></li>'
)


def _facet_value_html(fv, path):
    """One facet value's <li>: a link that toggles the value in this search."""
    return _html(
        FACET_VALUE_HTML,
        selected_class=" is-selected" if fv.selected else "",
        checked="true" if fv.selected else "false",
        href=_link(path, fv.querystring),
        label=facets.value_label(fv.value),
        count=fv.count,
        count_label=f"{fv.count} {plural(fv.count)}",
    )


def _facet_list_html(values, path):
    return SafeString("\n".join(_facet_value_html(fv, path) for fv in values))


@register.simple_tag
def facet_sections(results, limit=8):
    """The facet column: one section per facet, in the service's order, values split into
    shown and "show all". Each list's <li>s are written here, not by a template loop: the
    column lists a few hundred values (see _html)."""
    path = _search_path()
    sections = []
    for facet, values in results.facets.items():
        values = list(values)
        shown, more = split_facet(values, limit)
        sections.append(
            {
                "facet": facet,
                "label": facet_label(facet),
                "shown": _facet_list_html(shown, path),
                "more": _facet_list_html(more, path),
                "count": len(values),
                "selected": sum(1 for fv in values if fv.selected),
            }
        )
    return sections


TAG_HTML = '<li><a class="tag tag--{facet}" href="{href}">{name}</a></li>'
#: The entities a hit card tags, in this order; each tag links to the entity's page.
HIT_TAG_FACETS = ("country", "organisation", "person")


@register.simple_tag(takes_context=True)
def hit_tags(context, source, limit=6):
    """One hit's tags: [(the <li>s of its first `limit` countries, how many more), then
    organisations, then people], most mentioned first, each linking to the entity's page;
    [] when it has none. Each tag's <li> is worked out once per render: one country is
    tagged on many hits of a page."""
    items = context.render_context.setdefault("archive_hit_tags", {})
    groups = []
    for facet in HIT_TAG_FACETS:
        entities = _tagged(source, facet)
        if entities:
            html = "".join(_tag_item(items, facet, entity) for entity in entities[:limit])
            groups.append((SafeString(html), max(0, len(entities) - limit)))
    return groups


def _tagged(source, facet):
    """The entities a card tags: of countries, those the article is about, not those it
    names in passing (the country facet's own reading)."""
    if facet == "country":
        return source.about_countries
    return list(getattr(source, facets.BY_NAME[facet].listed_as).all())


def _tag_item(items, facet, entity):
    key = (facet, entity.pk)
    if key not in items:
        items[key] = _html(TAG_HTML, facet=facet, href=entity_url(facet, entity), name=entity.name)
    return items[key]


@register.simple_tag
def clear_filters_url(query):
    """The same words with every filter removed."""
    return search_url(query, page=1, **{facet: () for facet in facets.NAMES})


@register.filter
def first_rank(results):
    """The number of the first hit on this page, for <ol start>."""
    return (max(1, results.page) - 1) * results.per_page + 1


register.filter("language_name", language_name)
