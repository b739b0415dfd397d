"""The home page and the search page, against a real Whoosh index holding the seeds."""

import re
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from sources import facets


pytestmark = pytest.mark.django_db

MALFORMED = [
    '"unbalanced quote',
    "(unbalanced bracket",
    "unbalanced bracket)",
    "AND",
    "OR NOT",
    "*",
    "?",
    "title:",
    "x" * 10_000,
    "terror " * 1500,
    "terror\x00ism\x07\x1b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "Таджикистан терроризм",
    "تاجیکستان",
    "恐怖主义",
    "🙂 terrorism",
    "title:(",
    "author:*",
    "-",
    "- -terror",
    "NOT",
    "a AND OR b",
    "\\",
    "%",
    "{}[]^~:",
]


class PageParser(HTMLParser):
    """Collects what the assertions about a page need."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.inline_scripts = 0
        self.style_attrs = 0
        self.style_elements = 0
        self.event_handlers = 0
        self.marks = 0
        self._in = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.links.append((attrs["href"], attrs))
        if tag == "script" and "src" not in attrs:
            self.inline_scripts += 1
        if tag == "style":
            self.style_elements += 1
        if "style" in attrs:
            self.style_attrs += 1
        if any(name.startswith("on") for name in attrs):
            self.event_handlers += 1
        if tag == "mark":
            self.marks += 1


def parse(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def assert_csp_clean(response):
    """No inline script, no inline style, no event handler attributes (the CSP forbids them)."""
    page = parse(response)
    assert page.inline_scripts == 0
    assert page.style_attrs == 0
    assert page.style_elements == 0
    assert page.event_handlers == 0
    assert "script-src 'self'" in response["Content-Security-Policy"]


def total_of(response):
    match = re.search(r'class="results__count"><strong>(\d+)</strong>', response.content.decode())
    assert match, "no result count on the page"
    return int(match.group(1))


def facet_values(response, facet):
    """{value: (count, selected)} of one facet column section."""
    html = response.content.decode()
    section = re.search(
        rf'<section class="facet" data-facet="{facet}".*?</section>', html, re.S
    ).group(0)
    values = {}
    for match in re.finditer(
        r'<a class="facet__value( is-selected)?" href="[^"]*" data-value="([^"]*)".*?'
        r'class="facet__count"[^>]*>(\d+)<',
        section,
        re.S,
    ):
        values[match.group(2)] = (int(match.group(3)), bool(match.group(1)))
    return values


def chips(response):
    html = response.content.decode()
    return re.findall(r'<a class="chip" href="[^"]*" data-facet="([^"]*)" data-value="([^"]*)"', html)


# --- Home ----------------------------------------------------------------------------------


def test_home_has_search_box_counts_and_entry_points(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html and 'action="/search/"' in html
    assert f"<strong>{len(seeded)}</strong> articles" in html
    assert 'href="/search/?country=' in html  # facet entry points
    assert (
        '<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"'
        in html
    )
    assert_csp_clean(response)


# --- Results -------------------------------------------------------------------------------


def test_search_lists_hits_with_count_time_snippets_and_article_links(client, seeded):
    response = client.get("/search/", {"q": "terrorism"})
    assert response.status_code == 200
    html = response.content.decode()
    assert total_of(response) >= 3
    assert " ms" in html
    page = parse(response)
    assert page.marks >= 1  # highlighted snippets
    article_links = [href for href, _ in page.links if href.startswith("/sources/")]
    assert article_links and all("?q=terrorism" in href for href in article_links)
    # Each hit shows a date with its precision (or says it is unknown).
    assert re.search(r'class="hit__date[^"]*"[^>]*>(\d{1,2} \w+ \d{4}|\w+ \d{4}|\d{4}|Date unknown)<', html)
    assert_csp_clean(response)
    assert (
        '<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"'
        in html
    )


def test_search_page_has_query_help_sort_exports_and_feed(client, seeded):
    html = client.get("/search/", {"q": "terrorism"}).content.decode()
    assert "Search tips" in html
    for words in ("stemmed", "exact phrase", "title:", "outlet:", "author:", "terror*"):
        assert words in html
    for sort in ("relevance", "newest", "oldest"):
        assert f"sort={sort}" in html
    assert 'href="/search.csv?' in html
    assert 'href="/api/search?' in html
    assert 'rel="alternate" type="application/atom+xml"' in html


def test_facets_list_values_with_counts_most_frequent_first(client, seeded):
    response = client.get("/search/", {"q": ""})
    assert response.status_code == 200
    for facet in ("country", "organisation", "year", "mentioned_year"):
        assert f'data-facet="{facet}"' in response.content.decode()
    countries = facet_values(response, "country")
    assert countries, "the seeds mention countries"
    counts = [count for count, _ in countries.values()]
    assert counts == sorted(counts, reverse=True)
    assert all(not selected for _, selected in countries.values())


def test_two_values_of_one_facet_and_one_of_another_give_chips_and_checked_boxes(client, seeded):
    everything = client.get("/search/")
    countries = facet_values(everything, "country")
    (first, (first_count, _)), (second, (second_count, _)) = list(countries.items())[:2]

    one = client.get("/search/", {"country": first})
    assert total_of(one) == first_count
    both = client.get("/search/", {"country": [first, second]})
    # Two values of one facet: articles with either.
    assert max(first_count, second_count) <= total_of(both) <= first_count + second_count
    selected = {value for value, (_, sel) in facet_values(both, "country").items() if sel}
    assert selected == {first, second}

    organisation, (org_count, _) = next(iter(facet_values(both, "organisation").items()))
    narrowed = client.get("/search/", {"country": [first, second], "organisation": organisation})
    assert total_of(narrowed) == org_count
    assert sorted(chips(narrowed)) == sorted(
        [("country", first), ("country", second), ("organisation", organisation)]
    )
    # Each chip removes exactly its own filter.
    html = narrowed.content.decode()
    for href in re.findall(r'<a class="chip" href="([^"]*)"', html):
        params = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        kept = params.get("country", []) + params.get("organisation", [])
        assert len(kept) == 2
    assert "Clear all filters" in html


def test_year_facet_offers_undated_when_some_articles_have_no_date(client, seeded):
    response = client.get("/search/")
    years = facet_values(response, "year")
    undated = [s for s in seeded if s.publication_year is None]
    if undated:
        assert years["Undated"][0] == len(undated)
        filtered = client.get("/search/", {"year": "undated"})
        assert total_of(filtered) == len(undated)
        assert "Date unknown" in filtered.content.decode()


def test_timeline_is_an_inline_svg_of_links_with_tooltips(client, seeded):
    response = client.get("/search/")
    html = response.content.decode()
    svg = re.search(r"<svg class=\"timeline__svg\".*?</svg>", html, re.S)
    assert svg, "no timeline"
    svg = svg.group(0)
    bars = re.findall(r'<a class="timeline__bar[^"]*" href="([^"]*)"', svg)
    years = {s.publication_year for s in seeded if s.publication_year}
    assert len(bars) >= len(years)
    assert all("year=" in href for href in bars)
    assert re.search(r"<title>\d{4}: \d+ articles?</title>", svg)
    assert "style=" not in svg
    # A bar filters by its year.
    year_href = bars[0].replace("&amp;", "&")
    filtered = client.get(year_href)
    assert filtered.status_code == 200
    assert chips(filtered) and chips(filtered)[0][0] == "year"


def test_sort_newest_orders_by_date(client, seeded):
    response = client.get("/search/", {"sort": "newest"})
    assert response.status_code == 200
    dates = re.findall(r'class="hit__date"[^>]*datetime="([\d-]+)"', response.content.decode())
    assert dates == sorted(dates, reverse=True)
    oldest = client.get("/search/", {"sort": "oldest"}).content.decode()
    dates = re.findall(r'class="hit__date"[^>]*datetime="([\d-]+)"', oldest)
    assert dates == sorted(dates)


def test_url_is_a_permalink(client, seeded):
    params = {"q": "Tajikistan", "sort": "newest"}
    first = client.get("/search/", params).content.decode()
    second = client.get("/search/", params).content.decode()
    strip = lambda html: re.sub(r'class="results__took">[^<]*<', "", html)  # noqa: E731
    assert strip(first) == strip(second)
    assert 'value="Tajikistan"' in first


def test_pagination_and_pages_past_the_end(client, seeded):
    first = client.get("/search/", {"page": "1"})
    assert first.status_code == 200
    total = total_of(first)
    pages = -(-total // 10)
    if pages > 1:
        assert 'rel="next"' in first.content.decode()
        last = client.get("/search/", {"page": str(pages)})
        assert last.status_code == 200
        assert 'rel="prev"' in last.content.decode()
    # A page past the end is clamped to the last page (the service's rule).
    past = client.get("/search/", {"page": str(pages + 5)})
    assert past.status_code == 200
    assert total_of(past) == total
    assert past.content.decode().count('class="hit"') == total - (pages - 1) * 10


def test_no_results_offers_suggestion_and_filter_removal(client, seeded):
    misspelt = client.get("/search/", {"q": "terorism"})
    assert misspelt.status_code == 200
    html = misspelt.content.decode()
    if total_of(misspelt) == 0:
        assert "Did you mean" in html
        href = re.search(r'<a href="([^"]*)" class="suggestion__link">', html).group(1)
        assert client.get(href.replace("&amp;", "&")).status_code == 200

    country = next(iter(facet_values(client.get("/search/"), "country")))
    empty = client.get("/search/", {"q": "zzxqvw", "country": country, "year": "1901"})
    assert empty.status_code == 200
    html = empty.content.decode()
    assert "No articles match" in html
    assert "Remove country" in html and "Remove all filters" in html


@pytest.mark.parametrize("q", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_queries_never_fail_and_never_echo_markup(client, seeded, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert_csp_clean(response)


@pytest.mark.parametrize(
    "params",
    [{"year": "abc"}, {"page": "x"}, {"page": "-1"}, {"sort": "sideways"}, {"mentioned_year": "19x"}],
)
def test_bad_parameters_give_a_friendly_400(client, seeded, params):
    response = client.get("/search/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This search could not be run" in html
    assert "<script" not in html.split("</head>")[1]


def test_message_is_shown_for_a_malformed_query(client, seeded):
    response = client.get("/search/", {"q": '"terrorism (Tajikistan'})
    assert response.status_code == 200
    html = response.content.decode()
    # The service explains what it did with the query when it had to change it.
    assert 'class="notice notice--info"' in html
    assert "could not be read as written" in html
    assert total_of(response) >= 1


# --- Rendering cost and the markup it must keep ----------------------------------------------

FACETS = facets.NAMES  # every facet of the registry is on the page


def _facet_section(response, facet):
    html = response.content.decode()
    section = re.search(rf'<section class="facet" data-facet="{facet}".*?</section>', html, re.S)
    return section.group(0)


def _facet_links(response, facet):
    """(is-selected, href, data-value, aria-checked, name, count label, count) of every
    value of one facet section, those behind "Show all" included: each a checkbox to a
    screen reader (role and state), a link without JavaScript."""
    return re.findall(
        r'<li class="facet__item"><a class="facet__value( is-selected)?" href="([^"]*)" '
        r'data-value="([^"]*)" role="checkbox" aria-checked="(true|false)">'
        r'<span class="facet__box" aria-hidden="true">'
        r'</span><span class="visually-hidden">Filter by: </span>'
        r'<span class="facet__name">([^<]*)</span><span class="facet__count" '
        r'aria-label="([^"]*)">(\d+)</span></a></li>',
        _facet_section(response, facet),
    )


def _params(href):
    return parse_qs(urlsplit(unescape(href)).query)


TAG_LINK = r'<a class="tag tag--(country|organisation|person)" href="([^"]*)">([^<]*)</a>'


def _entity_page(facet, name, prefix="/"):
    """Where a tag of this entity must lead: its page (/countries/tj/, /people/<slug>/)."""
    from sources.entity_kinds import BY_FACET

    kind = BY_FACET[facet]
    return f"{prefix}{kind.word}/{kind.slug_of(kind.model.objects.get(name=name))}/"


def test_search_page_renders_a_fixed_number_of_templates(client, seeded):
    """No template per facet value, timeline bar or hit: the page's cost must not grow
    with them (an include per value made the page cost several times the search)."""
    response = client.get("/search/")
    assert response.status_code == 200
    values = sum(len(_facet_links(response, facet)) for facet in FACETS)
    assert values > 20
    assert response.content.decode().count('<li class="hit">') == 10
    names = [t.name for t in response.templates]
    assert len([n for n in names if n != "sources/_facet_list.html"]) <= 10, names
    assert names.count("sources/_hits.html") == 1
    assert names.count("sources/_facet_list.html") <= 2 * len(FACETS)  # shown, "show all"


def test_every_facet_value_link_toggles_its_value_in_this_search(client, seeded):
    country = next(iter(facet_values(client.get("/search/"), "country")))
    response = client.get("/search/", {"q": "said", "country": country, "sort": "newest"})
    assert response.status_code == 200
    seen_more = False
    for facet in FACETS:
        links = _facet_links(response, facet)
        section = _facet_section(response, facet)
        # Every value is listed with the same markup, those behind "Show all" too.
        assert links and len(links) == section.count('class="facet__item"')
        seen_more = seen_more or 'class="facet__more"' in section
        for selected, href, data_value, checked, name, label, count in links:
            assert bool(selected) == (checked == "true")
            assert data_value == name
            assert label == f"{count} {'article' if count == '1' else 'articles'}"
            assert href.startswith("/search/?")
            params = _params(href)
            assert params["q"] == ["said"] and params["sort"] == ["newest"]
            assert "page" not in params  # back to the first page
            value = {"Undated": "undated"}.get(name, unescape(name))
            if facet == "country" and value == country:
                assert selected and "country" not in params  # selected: the link removes it
            elif facet == "country":
                assert not selected and params["country"] == [country, value]
            else:  # the link adds the value, the other filter stays
                assert not selected and params[facet] == [value]
                assert params["country"] == [country]
    assert seen_more, "the seeds give at least one facet a 'Show all' list"


def test_timeline_bars_carry_year_title_and_selection(client, seeded):
    html = client.get("/search/", {"year": "2017"}).content.decode()
    svg = re.search(r'<svg class="timeline__svg".*?</svg>', html, re.S).group(0)
    bars = re.findall(
        r'<a class="timeline__bar( is-selected)?" href="([^"]*)" aria-label="([^"]*)" '
        r'data-year="(\d+|undated)">\s*<title>([^<]*)</title>',
        svg,
    )
    assert len(bars) == svg.count('class="timeline__bar')
    for selected, href, label, year, title in bars:
        assert re.fullmatch(rf"{year.capitalize()}: \d+ articles?", title)
        assert label == title + (" (selected)" if selected else "")
        years = _params(href).get("year", [])
        if year == "2017":
            assert selected and years == []  # the selected bar removes its year
        else:
            assert not selected and years == ["2017", year]
    assert [bar[3] for bar in bars if bar[0]] == ["2017"]
    # Coordinates are plain numbers.
    fill = r'<rect class="timeline__fill" x="\d+" y="\d+" width="\d+" height="\d+"/>'
    assert re.search(fill, svg)


def test_hit_tags_link_to_each_entitys_page(client, seeded):
    """Every country, organisation and person tagged on a hit leads to its own page,
    whatever the search; the page answers and is about that entity."""
    country = next(iter(facet_values(client.get("/search/"), "country")))
    kinds = set()
    for params in ({"q": "said", "country": country}, {"q": "Halimov"}):
        html = client.get("/search/", params).content.decode()
        tags = [(facet, href, unescape(name)) for facet, href, name in re.findall(TAG_LINK, html)]
        assert tags, params
        for facet, href, name in tags:
            assert href == _entity_page(facet, name), (facet, name)
            kinds.add(facet)
    assert kinds == {"country", "organisation", "person"}
    facet, href, name = next(tag for tag in tags if tag[0] == "person")
    page = client.get(href)
    assert page.status_code == 200 and f"<h1 class=\"entity__name\">{escape(name)}</h1>" in page.content.decode()


def test_home_page_hits_link_to_articles_and_plain_filters(client, seeded):
    html = client.get("/").content.decode()
    latest = re.search(r'<ol class="hits hits--compact">.*?</ol>', html, re.S).group(0)
    assert latest.count('<li class="hit">') == 5
    titles = re.findall(r'<h3 class="hit__title"><a href="([^"]*)">', latest)
    assert len(titles) == 5 and all(re.fullmatch(r"/sources/[^?]+/", t) for t in titles)
    tags = re.findall(TAG_LINK, latest)
    assert tags
    for facet, href, name in tags:
        assert href == _entity_page(facet, unescape(name))


def test_facet_values_and_tags_are_escaped(client, db, fresh_index):
    from tests.fixtures_search import make_tricky, rebuild_index

    name = 'O\'Brien & Sons <b>"Co"</b>'
    escaped = "O&#x27;Brien &amp; Sons &lt;b&gt;&quot;Co&quot;&lt;/b&gt;"
    make_tricky("damascus", organisations=[name])
    rebuild_index()
    response = client.get("/search/", {"q": "Damascus"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<b>"Co"' not in html
    assert f'data-value="{escaped}"' in html
    assert f'<span class="facet__name">{escaped}</span>' in html
    href = _entity_page("organisation", name)
    assert f'<a class="tag tag--organisation" href="{href}">{escaped}</a>' in html
    organisations = _facet_links(response, "organisation")
    assert [link[2] for link in organisations] == [escaped]
    assert _params(organisations[0][1])["organisation"] == [name]
    assert_csp_clean(response)


def test_search_links_follow_the_script_prefix_of_each_request(client, seeded):
    """The search's address is worked out once per URLconf and script prefix, not once."""
    from django.test.utils import override_script_prefix

    for prefix in ("/archive/", "/", "/other/"):
        with override_script_prefix(prefix):
            response = client.get("/search/", {"q": "said"})
        assert response.status_code == 200
        html = response.content.decode()
        facet_hrefs = [link[1] for link in _facet_links(response, "country")]
        bar_hrefs = re.findall(r'<a class="timeline__bar[^"]*" href="([^"]*)"', html)
        tags = re.findall(TAG_LINK, html)
        sort = re.search(r'<nav class="sort".*?</nav>', html, re.S).group(0)
        sort_hrefs = re.findall(r'href="([^"]*)"', sort)
        assert facet_hrefs and bar_hrefs and tags and sort_hrefs
        for href in facet_hrefs + bar_hrefs + sort_hrefs:
            assert href.startswith(f"{prefix}search/?"), (prefix, href)
        for facet, href, name in tags:
            assert href == _entity_page(facet, unescape(name), prefix), (prefix, href)


def test_tag_links_are_entity_pages_on_every_kind_of_page(client, seeded):
    """Filtered, sorted, a later page, a page past the end, a tag whose value is already
    chosen: each tag still leads to its entity's page, not to a search."""
    country = next(iter(facet_values(client.get("/search/"), "country")))
    by_country = client.get("/search/", {"country": country})
    organisation = next(iter(facet_values(by_country, "organisation")))
    seen_chosen = False
    for params in (
        {"q": "said"},
        {"q": "said", "country": country, "sort": "oldest"},
        {"country": country, "organisation": organisation},
        {"q": "said", "page": "2"},
        {"country": country, "page": "999"},  # clamped to the last page
    ):
        response = client.get("/search/", params)
        assert response.status_code == 200
        tags = re.findall(TAG_LINK, response.content.decode())
        assert tags, params
        for facet, href, name in tags:
            name = unescape(name)
            assert href == _entity_page(facet, name), (params, facet, name)
            seen_chosen = seen_chosen or name in params.values()
    assert seen_chosen


@pytest.mark.archive_engine  # stock Whoosh cannot filter on a value with double quotes
def test_chosen_values_in_tags_and_facets_are_escaped(client, db, fresh_index):
    from tests.fixtures_search import make_tricky, rebuild_index

    name = 'O\'Brien & Sons <b>"Co"</b>'
    escaped = "O&#x27;Brien &amp; Sons &lt;b&gt;&quot;Co&quot;&lt;/b&gt;"
    make_tricky("damascus", organisations=[name])
    rebuild_index()
    response = client.get("/search/", {"q": "Damascus", "organisation": name})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<b>"Co"' not in html
    href = _entity_page("organisation", name)
    assert f'<a class="tag tag--organisation" href="{href}">{escaped}</a>' in html
    assert (
        '<a class="facet__value is-selected" href="/search/?q=Damascus" '
        f'data-value="{escaped}" role="checkbox" aria-checked="true">'
    ) in html
    assert_csp_clean(response)


def test_hit_titles_link_to_their_articles_under_any_script_prefix(client, seeded):
    from django.test.utils import override_script_prefix

    for prefix in ("/archive/", "/"):
        with override_script_prefix(prefix):
            response = client.get("/search/", {"q": "said"})
            hits = response.context["results"].hits
            expected = [hit.source.get_absolute_url() + "?q=said" for hit in hits]
        html = response.content.decode()
        titles = re.findall(r'<h3 class="hit__title"><a href="([^"]*)">', html)
        assert expected and [unescape(href) for href in titles] == expected
        assert all(href.startswith(f"{prefix}sources/") for href in expected)


# --- What a journalist notices (issue 17 items 6, 7, 8, 10) -------------------------------


def test_timeline_shows_each_bars_count_and_an_undated_bar(client, seeded):
    html = client.get("/search/").content.decode()
    svg = re.search(r'<svg class="timeline__svg".*?</svg>', html, re.S).group(0)
    bars = re.findall(
        r'data-year="([^"]*)">\s*<title>[^:]*: (\d+) articles?</title>.*?'
        r'<text class="timeline__count[^"]*"[^>]*>(\d*)</text>',
        svg,
        re.S,
    )
    assert len(bars) == svg.count('class="timeline__bar')
    for _, count, shown in bars:
        assert shown == (count if count != "0" else "")
    undated = sum(1 for s in seeded if s.publication_year is None)
    assert undated, "the seeds hold undated articles"
    assert bars[-1][:2] == ("undated", str(undated))
    assert 'aria-label="Undated: %d articles"' % undated in svg
    assert ">Undated</text>" in svg
    by_year = client.get("/search/", {"year": "undated"}).content.decode()
    assert re.search(r'class="timeline__bar is-selected"[^>]*data-year="undated"', by_year)


def test_hit_cards_list_entities_most_mentioned_first(client, seeded):
    from sources.models import CountryMention, OrganisationMention

    response = client.get("/search/", {"sort": "newest"})
    html = response.content.decode()
    cards = html.split('<li class="hit">')[1:]
    hits = response.context["results"].hits
    assert len(cards) == len(hits) == 10
    differs_from_alphabetical = 0
    for hit, card in zip(hits, cards):
        for facet, mentions, field in (
            ("country", CountryMention, "country__name"),
            ("organisation", OrganisationMention, "organisation__name"),
        ):
            # A card tags the countries an article is about, not those named in passing.
            rows = mentions.objects.filter(source=hit.source)
            rows = rows.filter(passing=False) if facet == "country" else rows
            expected = list(
                rows
                .order_by("-mentions", field)
                .values_list(field, flat=True)[:6]
            )
            tags = re.findall(rf'class="tag tag--{facet}"[^>]*>([^<]*)<', card)
            shown = [unescape(name) for name in tags]
            assert shown == expected
            differs_from_alphabetical += shown != sorted(shown)
    assert differs_from_alphabetical, "no card on the page where the order matters"


def test_sidebar_says_how_filters_combine(client, seeded):
    html = client.get("/search/").content.decode()
    how = re.search(r'<p class="facets__how">([^<]*)</p>', html).group(1)
    assert "any of them" in how and "all of them" in how and "other filters" in how


def test_no_results_page_shows_only_what_helps(client, seeded):
    html = client.get("/search/", {"q": "zzxqvw"}).content.decode()
    assert "No articles match" in html
    for noise in ('class="toolbar"', "/search.csv", 'class="facets"', 'class="timeline"', "Sort:"):
        assert noise not in html
    assert re.search(r"<p>Check the spelling, use fewer words", html)
    assert "Or check" not in html
    filtered = client.get("/search/", {"q": "zzxqvw", "year": "1901"}).content.decode()
    assert "Remove all filters" in filtered and "You can also check the spelling" in filtered


def test_malformed_query_heading_shows_the_query_as_typed(client, seeded):
    html = client.get("/search/", {"q": '"unclosed AND ('}).content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert '<span class="results__q">&quot;unclosed AND (</span>' in heading
    assert "<q" not in heading
