"""From an article's country to the country's page and on to the search filtered by it,
in a real browser, keyboard and mouse alike."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_article_chip_to_country_page_to_filtered_search(browser_page, live_server, seeded_live, artifacts):
    page = browser_page
    page.goto(f"{live_server.url}/search/?q=Tajikistan")
    page.locator(".hit a").first.click()
    page.wait_for_url(re.compile(r"/sources/"))

    chip = page.locator("a.tag--country", has_text="Tajikistan")
    chip.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/countries/tj/$"))
    assert page.locator("h1").inner_text() == "Tajikistan"
    articles = int(page.locator(".entity__count strong").inner_text())
    assert articles >= 3
    assert page.locator(".entity__latest li").count() == min(articles, 10)
    with_it = page.locator('section[aria-labelledby="with-organisations"] a')
    assert with_it.count() >= 1
    page.screenshot(path=str(artifacts / "country-page.png"), full_page=True)

    page.get_by_role("link", name="Search them").click()
    page.wait_for_url(re.compile(r"/search/\?country=Tajikistan$"))
    assert int(page.locator(".results__count strong").inner_text()) == articles
    assert page.locator('a.chip[data-facet="country"][data-value="Tajikistan"]').count() == 1

    page.go_back()
    with_it.first.click()
    page.wait_for_url(re.compile(r"/organisations/[a-z0-9-]+/$"))
    assert page.locator(".entity__count strong").inner_text().isdigit()
    assert page.console.errors == []
