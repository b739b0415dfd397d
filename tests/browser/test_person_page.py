"""From a person chip on a search result to the person's page and back to the search
filtered by that person, in a real browser."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_result_person_chip_to_person_page_to_filtered_search(browser_page, live_server, seeded_live, artifacts):
    page = browser_page
    page.goto(f"{live_server.url}/search/?q=Khalimov")
    chip = page.locator(".hit a.tag--person", has_text="Gulmurod Halimov").first
    chip.click()
    page.wait_for_url(re.compile(r"/people/gulmurod-halimov/$"))
    assert page.locator("h1").inner_text() == "Gulmurod Halimov"
    assert "Khalimov" in page.locator(".entity__aliases").inner_text()
    articles = int(page.locator(".entity__count strong").inner_text())
    assert articles >= 3
    assert page.locator('section[aria-labelledby="with-people"] a').count() >= 1
    page.screenshot(path=str(artifacts / "person-page.png"), full_page=True)

    page.get_by_role("link", name="Search them").click()
    page.wait_for_url(re.compile(r"/search/\?person=Gulmurod\+Halimov$"))
    assert int(page.locator(".results__count strong").inner_text()) == articles
    assert page.locator('a.chip[data-facet="person"][data-value="Gulmurod Halimov"]').count() == 1
    assert page.locator(".hit").count() == min(articles, 10)
    assert page.console.errors == []
