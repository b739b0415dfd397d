"""The article page of an article without a headline, with section headings and a caption
(issue 17 items 3 and 4), in Debian Chromium (screenshot: test-artifacts/article-derived-title.png)."""

import pytest

from sources.importer import apply_article, gazetteer_from_db
from sources.ingest.pipeline import process
from sources.models import Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = """The border commission of Kyrgyzstan and Tajikistan met in Batken on Monday and agreed to reopen two crossings after months of closure.

Water and pasture

Farmers on both sides said the closure had cut them off from pastures and irrigation channels they have shared for generations.

A border post near Isfara. Photo: Reuters / File photo

Officials said a joint patrol would start in the spring and that the next round of talks would take place in Dushanbe.
"""


def test_a_derived_title_is_marked_and_headings_read_as_headings(browser_page, live_server, artifacts):
    (article,) = process(TEXT, gazetteer_from_db())
    assert article.title_is_derived
    source = Source(slug="border-commission", is_published=True, source_file="border.txt")
    apply_article(source, article)
    source.save()

    page = browser_page
    page.goto(live_server.url + source.get_absolute_url())
    assert "this title is the article’s first sentence" in page.locator(".article__derived-title").inner_text()
    assert page.locator("h2.article__section").all_inner_texts() == ["Water and pasture"]
    assert "Reuters" not in page.locator(".article__body").inner_text()
    page.screenshot(path=str(artifacts / "article-derived-title.png"), full_page=True)
    assert page.console.errors == []
