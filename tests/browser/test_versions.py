"""Reprints in a real browser (issue 16): the search shows a story reprinted six times as
one hit; its "6 other versions" line opens with the keyboard to list them, and each leads
to an article page that says where else it was published."""

import io

import pytest
from django.core.management import call_command

from tests.reprint_kit import write_reprints

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY_WORD = "Masharipov"  # seed 004 and its reprints only


def test_a_journalist_opens_the_other_versions_of_a_hit(browser_page, live_server, seeded_live, tmp_path, artifacts):
    write_reprints(tmp_path / "in", of=("004",), seeds=False)
    call_command("import_sources", str(tmp_path / "in"), "--no-progress", stdout=io.StringIO())
    # The seeds of the shared world were loaded without detection's tables: find them again.
    call_command("detect_versions", "--no-progress", stdout=io.StringIO())

    page = browser_page
    page.goto(f"{live_server.url}/search/?q={STORY_WORD}")
    assert page.locator(".hit").count() == 1
    versions = page.locator(".hit__versions")
    summary = versions.locator("summary")
    assert summary.inner_text().strip() == "6 other versions"
    links = versions.locator("li a")
    assert not links.first.is_visible()

    summary.focus()
    page.keyboard.press("Enter")
    assert links.count() == 6 and all(links.nth(i).is_visible() for i in range(6))
    assert all("the same text" in text for text in versions.locator("li").all_inner_texts())
    page.screenshot(path=str(artifacts / "versions-expanded.png"), full_page=True)

    title = links.first.inner_text()
    links.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().strip() == title.strip()
    also = page.locator("section.versions")
    assert also.locator("h2").text_content() == "Also published as"
    assert also.locator("li").count() == 6
    assert page.console.csp_violations == [] and page.console.errors == []
