"""A name typed in Cyrillic on the search page finds the seeds' Latin spellings of it, with
the spelling found highlighted; "Exact spelling" then narrows to the Cyrillic one (issue 15)."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPELLINGS = ("Халимов", "Halimov", "Khalimov")


def _spelling_in(source, spellings):
    return any(spelling in f"{source.title} {source.text}" for spelling in spellings)


def _count(page, exact):
    page.wait_for_url(re.compile(r"/search/\?q=%D0%A5" + (r".*exact=1" if exact else r"(?!.*exact)")))
    return int(page.locator(".results__count strong").inner_text())


def test_a_cyrillic_name_finds_its_latin_spellings_until_exact_is_ticked(browser_page, live_server, seeded_live, artifacts):
    from sources.models import Source
    from tests.factories import make_source

    russian = make_source("Задержание", "Полковник Халимов, по данным МВД, находится в Сирии.", language="ru")
    published = list(Source.objects.published())
    any_spelling = {s.slug for s in published if _spelling_in(s, SPELLINGS)}
    assert len(any_spelling) > 2

    page = browser_page
    page.goto(f"{live_server.url}/")
    page.locator("#q").fill("Халимов")
    page.locator("#q").press("Enter")
    assert _count(page, exact=False) == len(any_spelling)
    found = {re.search(r"/sources/([^/]+)/", href).group(1)
             for href in page.locator(".hit__title a").evaluate_all("links => links.map(a => a.href)")}
    assert found == any_spelling
    marked = page.locator(".hit__snippet mark").all_inner_texts()
    marked_words = {word for mark in marked for word in mark.split()}  # a person's full name is one mark
    assert {"Halimov", "Khalimov", "Халимов"} <= marked_words
    assert "Also searched for other names and spellings" in page.content()
    page.screenshot(path=str(artifacts / "name-spellings.png"), full_page=True)

    page.get_by_role("checkbox", name=re.compile("Exact spelling")).check()
    page.locator("form.search-form").get_by_role("button", name="Search").click()
    assert _count(page, exact=True) == 1
    assert page.locator(".hit__title a").inner_text() == russian.title
    assert set(page.locator(".hit__snippet mark").all_inner_texts()) == {"Халимов"}
    assert page.console.errors == []
