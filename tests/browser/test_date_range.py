"""The publication-date range in a real browser, with the keyboard only: type the two
bounds, submit, see the range as a chip and the undated articles it leaves out, take
them in, and remove the range again."""

import re

import pytest

from tests.fixtures_search import MARKER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def total(page):
    return int(page.locator(".results__count strong").inner_text())


def test_a_journalist_narrows_a_search_to_a_period(browser_page, live_server, seeded_live, artifacts):
    page = browser_page
    page.goto(f"{live_server.url}/search/?q={MARKER}")
    everything = total(page)

    page.get_by_label("from", exact=True).focus()
    page.keyboard.type("2017")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "published_to"
    page.keyboard.type("2017")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"published_from=2017&published_to=2017"))

    in_2017 = total(page)
    assert 0 < in_2017 < everything
    years = page.locator(".hit time").all_inner_texts()
    assert years and all("2017" in text for text in years)
    chip = page.locator('a.chip[data-facet="published"]')
    assert " ".join(chip.inner_text().split()).startswith("Published: 2017 – 2017")
    notice = page.locator(".date-range__undated")
    assert re.match(r"\d+ undated articles? (is|are) left out by the date range", notice.inner_text())
    page.screenshot(path=str(artifacts / "date-range.png"), full_page=True)

    notice.get_by_role("link", name="Include undated articles").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"undated=include"))
    assert total(page) > in_2017
    assert page.locator(".date-range__undated").count() == 0

    page.locator('a.chip[data-facet="published"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=" + MARKER + "$"))
    assert total(page) == everything
    assert page.console.errors == []
