"""Saved web pages: the article body without the page's furniture, and the page's metadata."""

import datetime

import pytest

from sources.ingest import parallel
from sources.ingest.gazetteer import load_default_gazetteer
from sources.ingest.html_page import declared_charset, read_page
from sources.ingest.read import ReadError, read_document, read_html

LIMIT = 5 * 1024 * 1024
GAZ = load_default_gazetteer()

PARAGRAPHS = [
    "The border crossing between Tajikistan and Kyrgyzstan reopened on Tuesday after a week "
    "of talks between the two governments, officials in Dushanbe said in a statement.",
    "Traders who had waited for days at the checkpoint near Isfara said queues of lorries "
    "stretched for several kilometres, and that fresh produce had spoiled in the heat.",
    "The agreement, reached late on Monday, allows goods and people to cross again under the "
    "supervision of a joint commission that will meet every month to settle disputes.",
    "Residents on both sides welcomed the news but said they feared new clashes over water, "
    "which has divided villages in the valley for decades and flared up again this spring.",
]
FURNITURE = [
    "Home", "World", "Business", "Share on Facebook", "Tweet this",
    "Most read: Celebrity chef opens a restaurant on the Moon",
    "Comments (12)", "Great article, thanks!", "Copyright 2024 Example Media Group",
]


def page(body_html, *, head="", html_attrs='lang="en"', doctype="<!DOCTYPE html>"):
    return f"""{doctype}
<html {html_attrs}><head><meta charset="utf-8"><title>Border reopens | Example News</title>{head}</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li></ul></nav></header>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Tweet this</a></div>
{body_html}
<aside class="most-read"><h3>Most read</h3><ul>
<li><a href="/x">Most read: Celebrity chef opens a restaurant on the Moon</a></li></ul></aside>
<section id="comments"><h3>Comments (12)</h3><div class="comment"><p>Great article, thanks!</p></div></section>
<footer><p>Copyright 2024 Example Media Group</p></footer>
</body></html>"""


ARTICLE = "<article><h1>Border reopens</h1>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>"


def test_article_body_without_menus_share_bars_comments_and_footer():
    result = read_page(page(ARTICLE))
    assert result.text.split("\n\n") == ["Border reopens", *PARAGRAPHS]
    for line in FURNITURE:
        assert line not in result.text


def test_xhtml_page_with_namespace_and_xml_declaration_is_read():
    xhtml = page(
        ARTICLE,
        html_attrs='xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en"',
        doctype='<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
                '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
    )
    result = read_html(xhtml.encode("utf-8"), max_bytes=LIMIT)
    assert result.text.split("\n\n") == ["Border reopens", *PARAGRAPHS]


RUSSIAN = [
    "Пограничный переход между Таджикистаном и Киргизией открылся во вторник после недели "
    "переговоров, сообщили официальные лица в Душанбе.",
    "Торговцы, которые несколько дней ждали на контрольно-пропускном пункте, рассказали, что "
    "очереди грузовиков растянулись на несколько километров.",
    "Жители по обе стороны границы приветствовали новость, но опасаются новых столкновений "
    "из-за воды, которая веками разделяет сёла долины.",
]


def test_windows_1251_page_declared_in_meta_charset_is_decoded():
    html = ("<!DOCTYPE html><html lang='ru'><head><meta charset=\"windows-1251\"><title>Граница</title></head>"
            "<body><article><h1>Граница открыта</h1>" + "".join(f"<p>{p}</p>" for p in RUSSIAN)
            + "</article></body></html>")
    data = html.encode("cp1251")
    assert declared_charset(data) == "cp1251"
    result = read_html(data, max_bytes=LIMIT)
    assert result.text.split("\n\n") == ["Граница открыта", *RUSSIAN]
    assert result.metadata.language == "ru"


JSON_LD = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "NewsArticle", "headline": "Border reopens after talks",
  "datePublished": "2024-05-14T09:30:00+05:00",
  "author": [{"@type": "Person", "name": "Dilnoza Karimova"}, {"@type": "Person", "name": "Ivan Petrov"}],
  "publisher": {"@type": "Organization", "name": "Example News"},
  "articleBody": "%s"}]}</script>"""


def test_json_ld_metadata_headline_authors_date_and_publisher():
    head = (JSON_LD % "") + '<link rel="canonical" href="https://news.example.com/2024/05/border-reopens">'
    result = read_page(page(ARTICLE, head=head))
    meta = result.metadata
    assert meta.title == "Border reopens after talks"
    assert meta.author == "Dilnoza Karimova, Ivan Petrov"
    assert (meta.published, meta.date_precision) == (datetime.date(2024, 5, 14), "day")
    assert meta.site_name == "Example News"
    assert meta.language == "en"
    assert meta.original_url == "https://news.example.com/2024/05/border-reopens"


def test_body_only_in_json_ld_article_body_is_read():
    body = "\\n".join(PARAGRAPHS)
    html = page('<div id="app">Loading…</div>', head=JSON_LD % body)
    assert read_page(html).text.split("\n\n") == PARAGRAPHS


def test_date_from_time_element_and_month_precision_from_the_address():
    timed = read_page(page(ARTICLE.replace("</h1>", '</h1><time datetime="2023-02-07">7 Feb</time>')))
    assert (timed.metadata.published, timed.metadata.date_precision) == (datetime.date(2023, 2, 7), "day")
    head = '<meta property="og:url" content="https://blog.example.org/2021/03/a-post/">'
    by_address = read_page(page(ARTICLE, head=head))
    assert (by_address.metadata.published, by_address.metadata.date_precision) == (datetime.date(2021, 3, 1), "month")


def test_only_http_addresses_are_kept_as_original_url():
    head = '<link rel="canonical" href="javascript:alert(1)">'
    assert read_page(page(ARTICLE, head=head)).metadata.original_url == ""


def test_page_with_only_furniture_is_refused_with_a_reason():
    with pytest.raises(ReadError, match="no article text"):
        read_html(page("").encode("utf-8"), max_bytes=LIMIT)


def test_html_file_becomes_one_article_with_page_metadata_and_raw_page_kept(tmp_path):
    head = (JSON_LD % "") + '<link rel="canonical" href="https://news.example.com/2024/05/border-reopens">'
    html = page(ARTICLE, head=head)
    path = tmp_path / "saved.html"
    path.write_text(html, encoding="utf-8")
    assert read_document(path, max_bytes=LIMIT).metadata.title == "Border reopens after talks"
    [article], reason = parallel.parse_file(path, GAZ, LIMIT)
    assert reason is None
    assert article.title == "Border reopens after talks" and not article.title_is_derived
    assert article.text.split("\n\n") == PARAGRAPHS
    assert article.outlet == "Example News"
    assert article.original_url == "https://news.example.com/2024/05/border-reopens"
    assert article.raw_text == html
    assert {"TJ", "KG"} <= set(article.countries)


def test_cleaning_removes_prompts_the_extractor_left_and_records_them():
    body = ARTICLE.replace("</article>", "<p>Follow us on Twitter for more news</p></article>")
    [article] = parallel.process_page(read_page(page(body)), GAZ)
    assert "Follow us on Twitter" not in article.text
    assert ("Follow us on Twitter for more news", "navigation") in [(r.line, r.rule) for r in article.removed]


def test_json_ld_authors_of_an_article_typed_with_a_list():
    names = [f"Reporter{i} Surname{i}" for i in range(30)]
    authors = ", ".join(f'{{"@type": "Person", "name": "{name}"}}' for name in names)
    head = f'<script type="application/ld+json">{{"@type": ["NewsArticle", "Report"], "author": [{authors}]}}</script>'
    author = read_page(page(ARTICLE, head=head)).metadata.author
    assert author.startswith(", ".join(names[:5])) and author.endswith("…") and len(author) <= 200
