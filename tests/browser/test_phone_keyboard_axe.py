"""The search pages on a phone, by keyboard alone, and under axe-core's audit.

Headless Debian Chromium through Playwright against the live server with the seeds; axe-core
is the copy the pinned axe-playwright-python package ships (nothing downloaded at run time).
"""

import re

import pytest


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def phone_page(chromium, live_server, javascript=True):
    context = chromium.new_context(
        viewport=PHONE, locale="en-GB", java_script_enabled=javascript, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def top(locator):
    return locator.bounding_box()["y"]


def test_phone_filters_fold_above_the_results(chromium, live_server, seeded_live, artifacts):
    page = phone_page(chromium, live_server)
    try:
        page.goto(live_server.url + "/search/?q=said")
        toggle = page.locator("summary.filters__toggle")
        assert toggle.is_visible() and toggle.inner_text().startswith("Filters")
        assert not page.locator("details.filters").evaluate("d => d.open")
        assert not page.locator(".facet").first.is_visible()
        assert top(toggle) < top(page.locator(".hit").first)
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=str(artifacts / "phone-search.png"), full_page=True)

        toggle.click()
        page.wait_for_function("document.querySelector('details.filters').open")
        country = page.locator('.facet[data-facet="country"] a.facet__value').first
        assert country.is_visible() and top(country) < top(page.locator(".hit").first)
        page.screenshot(path=str(artifacts / "phone-search-filters-open.png"))
        assert height < page.evaluate("document.documentElement.scrollHeight")  # folded is shorter
        value = country.get_attribute("data-value")
        country.click()
        page.wait_for_url(re.compile("country="))
        assert page.locator("summary.filters__toggle").inner_text() == "Filters (1 selected)"
        assert page.locator("a.chip").get_attribute("data-value") == value
        # Nothing wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        page.context.close()


def test_phone_filters_are_open_at_the_top_without_javascript(chromium, live_server, seeded_live):
    page = phone_page(chromium, live_server, javascript=False)
    try:
        page.goto(live_server.url + "/search/?q=said")
        assert page.locator("details.filters").get_attribute("open") is not None
        country = page.locator('.facet[data-facet="country"] a.facet__value').first
        assert country.is_visible()
        assert top(country) < top(page.locator(".hit").first)
        country.click()
        page.wait_for_url(re.compile("country="))
        assert page.locator("a.chip").count() == 1
    finally:
        page.context.close()


def tab_to(page, selector, backwards=False, limit=250):
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return page.evaluate("() => document.activeElement.outerHTML.slice(0, 300)")
    raise AssertionError(f"{selector} never took the focus in {limit} key presses")


def test_keyboard_only_walk_from_the_search_box_through_a_filter_to_an_article_and_back(
    browser_page, live_server, seeded_live
):
    page = browser_page
    page.goto(live_server.url + "/search/")
    tab_to(page, "input#q")
    page.keyboard.type("said")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q=said"))

    # A facet value is a checkbox to the keyboard: Space ticks it.
    tab_to(page, '.facet[data-facet="country"] a.facet__value')
    focused = page.locator(':focus')
    assert focused.get_attribute("role") == "checkbox"
    assert focused.get_attribute("aria-checked") == "false"
    value = focused.get_attribute("data-value")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile("country="))
    ticked = page.locator(f'.facet[data-facet="country"] a.facet__value[data-value="{value}"]')
    assert ticked.get_attribute("aria-checked") == "true"

    # Back up from the first article link to the search box with Shift+Tab, then on to
    # the article with Tab and Enter.
    tab_to(page, ".hit__title a")
    title = page.locator(":focus").inner_text()
    tab_to(page, "input#q", backwards=True)
    tab_to(page, ".hit__title a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sources/[^/]+/\?q=said"))
    assert page.locator("h1.article__title").inner_text() == title

    # And back to the results.
    tab_to(page, ".breadcrumbs a, a[href^='/search/?q=said']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=said$"))
    assert page.locator(".hit").count() >= 1
    assert page.console.errors == []


SERIOUS = {"serious", "critical"}


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


def test_axe_finds_no_serious_or_critical_violation(browser_page, live_server, seeded_live):
    page = browser_page
    article = seeded_live[0].get_absolute_url()
    pages = [
        "/",
        "/search/?q=terrorism",
        "/search/?q=terrorism&country=Tajikistan",
        article,
        "/search/?q=zzxqvw",
        "/search/?q=terrorism&published_from=2016",
        "/countries/",
        "/countries/tj/",
        "/organisations/islamic-state/",
        "/outlets/",
        "/admin/login/",
    ]
    found = {}
    for path in pages:
        page.goto(live_server.url + path)
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    assert found == {}, found
    # The audit can fail: a page with an unlabelled field and an image without text.
    page.set_content('<html lang="en"><body><main><input type="text"><img src="x.png"></main>')
    assert {rule for rule, _ in serious_violations(page)} >= {"label", "image-alt"}
