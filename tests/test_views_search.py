"""The home page and the search page, against a real Whoosh index holding the seeds."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest


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
