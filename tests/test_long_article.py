"""The page of a very long article stays cheap (issue 12 item 7): matches are marked in
its first highlight.MARK_MAX_CHARS characters only, the rest is shown plain, escaped, and
the page says so. The speed itself is measured in bench/article_page.py."""

import re

import pytest

from sources.highlight import MARK_MAX_CHARS, Terms, mark_all, mark_leading
from tests.factories import make_source

LIBYA = Terms.build(words=["libya"])


def marked(html):
    return re.findall(r"<mark>(.*?)</mark>", html)


def body(page):
    return page.split('class="article__body"')[1].split("</article>")[0]


def test_short_articles_are_marked_whole():
    paragraphs = ["Libya votes.", "Militias in Libya <b>clash</b>."]
    out, limited = mark_leading(paragraphs, LIBYA)
    assert out == [mark_all(p, LIBYA) for p in paragraphs]
    assert not limited


def test_marking_stops_after_the_limit_and_the_rest_is_escaped():
    paragraphs = ["Libya " + "word " * 20, "Libya again " + "word " * 20, "Libya <svg/onload=alert(2)> &lt;b&gt;"]
    out, limited = mark_leading(paragraphs, LIBYA, max_chars=len(paragraphs[0]) + 10)
    assert limited
    assert marked(out[0]) == ["Libya"] and marked(out[1]) == ["Libya"]  # the limit falls inside [1]
    assert out[2] == "Libya &lt;svg/onload=alert(2)&gt; &amp;lt;b&amp;gt;"


def test_one_huge_paragraph_is_cut_at_a_word_boundary():
    text = "Libya " * 100
    (out,), limited = mark_leading([text], LIBYA, max_chars=33)
    assert limited
    assert marked(out) == ["Libya"] * 5  # 5 words start within 33 characters
    assert out.endswith("Libya Libya ") and "<mark>Lib</mark>" not in out


@pytest.mark.django_db
def test_a_long_article_page_marks_the_opening_and_says_so(client):
    paragraph = "Officials in Libya said the militia had left the city, and the talks resumed."
    count = MARK_MAX_CHARS // len(paragraph) * 2
    text = "\n\n".join([paragraph] * count + ["Last: Libya <svg/onload=alert(2)> &lt;b&gt;"])
    source = make_source("A long article about Libya", text)
    html = client.get(source.get_absolute_url(), {"q": "libya"}).content.decode()
    marks = len(marked(body(html)))
    assert count // 2 - 2 <= marks <= count // 2 + 2  # the first MARK_MAX_CHARS characters
    assert f"Only the first {MARK_MAX_CHARS:,} characters of this long article are highlighted." in html
    assert "Last: Libya &lt;svg/onload=alert(2)&gt; &amp;lt;b&amp;gt;" in html
    assert "<svg" not in body(html)
    short = make_source("A short article about Libya", paragraph)
    html = client.get(short.get_absolute_url(), {"q": "libya"}).content.decode()
    assert len(marked(body(html))) == 1 and "long article are highlighted" not in html

