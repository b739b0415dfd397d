"""A journalist's session in a real browser: search, filter, read, follow, cite.

Headless Debian Chromium through Playwright against pytest-django's live server, with the
seeds imported and indexed. Screenshots go to test-artifacts/ (git-ignored).
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def total(page):
    return int(page.locator(".results__count strong").inner_text())


def facet_links(page, facet):
    return page.locator(f'.facet[data-facet="{facet}"] a.facet__value')


def facet_entry(link):
    return link.get_attribute("data-value"), int(link.locator(".facet__count").inner_text())


def chip_pairs(page):
    chips = page.locator("a.chip")
    return sorted(
        (chips.nth(i).get_attribute("data-facet"), chips.nth(i).get_attribute("data-value"))
        for i in range(chips.count())
    )


def params(page):
    return parse_qs(urlsplit(page.url).query)


def test_journalist_searches_filters_reads_and_cites(browser_page, live_server, seeded_live, artifacts):
    page = browser_page

    # Home: search for a word.
    page.goto(live_server.url + "/")
    page.get_by_label("Search the archive").fill("terrorism")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search/\?q=terrorism"))
    all_hits = total(page)
    assert all_hits >= 3
    assert page.locator(".hit").count() == min(all_hits, 10)

    # Two values of the country facet: either one matches.
    countries = facet_links(page, "country")
    assert countries.count() >= 2
    first, first_count = facet_entry(countries.nth(0))
    second, second_count = facet_entry(countries.nth(1))
    assert first_count >= second_count  # most frequent first
    countries.nth(0).click()
    page.wait_for_url(re.compile("country="))
    assert total(page) == first_count
    assert chip_pairs(page) == [("country", first)]
    facet_links(page, "country").filter(has_text=second).first.click()
    page.wait_for_function("document.querySelectorAll('a.chip').length === 2")
    both = total(page)
    assert max(first_count, second_count) <= both <= first_count + second_count
    assert sorted(params(page)["country"]) == sorted([first, second])
    selected = page.locator('.facet[data-facet="country"] a.facet__value.is-selected')
    assert sorted(selected.nth(i).get_attribute("data-value") for i in range(selected.count())) == sorted(
        [first, second]
    )

    # And one organisation: both filters must hold.
    organisation, organisation_count = facet_entry(facet_links(page, "organisation").nth(0))
    facet_links(page, "organisation").nth(0).click()
    page.wait_for_url(re.compile("organisation="))
    assert total(page) == organisation_count
    assert chip_pairs(page) == sorted(
        [("country", first), ("country", second), ("organisation", organisation)]
    )

    # Highlighted snippets are visible.
    mark = page.locator(".hit__snippet mark").first
    mark.wait_for(state="visible")
    assert re.match(r"terror", mark.inner_text(), re.I)
    assert page.locator("svg.timeline__svg").is_visible()
    page.screenshot(path=str(artifacts / "search.png"), full_page=True)

    # Removing a chip removes exactly that filter.
    page.locator(f'a.chip[data-facet="organisation"]').click()
    page.wait_for_function("document.querySelectorAll('a.chip').length === 2")
    assert total(page) == both

    # The timeline filters by year.
    bar = page.locator("a.timeline__bar").first
    year = bar.get_attribute("data-year")
    tooltip = bar.locator("title").text_content()
    year_count = int(re.search(r": (\d+) article", tooltip).group(1))
    bar.click()
    page.wait_for_url(re.compile(r"year="))
    assert params(page)["year"] == [year]
    assert total(page) == year_count
    assert ("year", year) in chip_pairs(page)

    # Open an article from the results: the query's terms are marked in the text.
    page.goto(live_server.url + "/search/?q=terrorism")
    title_link = page.locator(".hit__title a").first
    title = title_link.inner_text()
    title_link.click()
    page.wait_for_url(re.compile(r"/sources/[^/]+/\?q=terrorism"))
    assert page.locator("h1.article__title").inner_text() == title
    assert page.locator(".article__body mark").first.is_visible()
    page.screenshot(path=str(artifacts / "article.png"))  # what the reader sees first

    # Cite it: the button copies the citation to the clipboard and says so.
    citation = page.locator("#citation-text").inner_text()
    assert "Accessed" in citation and live_server.url in citation
    button = page.get_by_role("button", name="Copy citation")
    button.click()
    page.wait_for_function(
        "document.querySelector('button[data-copy]').textContent.startsWith('Copied')"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == " ".join(citation.split())
    assert page.locator(".copy-status").inner_text() == "Citation copied to the clipboard."
    page.screenshot(path=str(artifacts / "article-citation.png"))

    # Follow a country link to the country's page, and on into a filtered search.
    country_link = page.locator(".aside-block a.tag--country").first
    country = country_link.inner_text()
    country_link.click()
    page.wait_for_url(re.compile(r"/countries/[a-z]{2}/$"))
    assert page.locator("h1").inner_text() == country
    page.get_by_role("link", name="Search them").click()
    page.wait_for_url(re.compile(r"/search/\?country="))
    assert chip_pairs(page) == [("country", country)]
    assert total(page) >= 1

    # No CSP violation and no script error anywhere along the way.
    assert page.console.csp_violations == []
    assert page.console.errors == []


def test_facet_filter_box_and_show_all_work_without_reload(browser_page, live_server, seeded_live):
    page = browser_page
    page.goto(live_server.url + "/search/")
    for facet in ("country", "organisation", "year", "mentioned_year"):
        section = page.locator(f'.facet[data-facet="{facet}"]')
        values = section.locator(".facet__item").count()
        if values <= 8:
            assert section.locator(".facet__filter").count() == 0
            continue
        more = section.locator("details.facet__more")
        assert not more.evaluate("d => d.open")
        hidden_value = more.locator("a.facet__value").first.get_attribute("data-value")
        section.locator(".facet__filter").fill(hidden_value)
        assert more.evaluate("d => d.open")
        assert section.locator(f'a.facet__value[data-value="{hidden_value}"]').first.is_visible()
        visible = section.locator(".facet__item:visible").count()
        assert 1 <= visible < values
    assert page.console.csp_violations == []
