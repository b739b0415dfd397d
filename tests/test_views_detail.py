"""The article page: metadata, links into search, highlighting, citation, redirects, access."""

import datetime
import re

import pytest
from django.utils.text import slugify
from django.template.loader import render_to_string

from sources.models import SlugRedirect, Source
from sources.templatetags.archive_tags import date_with_precision
from tests.test_views_search import assert_csp_clean, parse

pytestmark = pytest.mark.django_db


def rich_source(seeded):
    """The seeded article with the most to show: countries, organisations, years."""
    return max(
        seeded,
        key=lambda s: (s.countries.count() > 0, s.organisations.count() > 0, len(s.years)),
    )


def test_article_page_shows_metadata_text_and_links_into_search(client, seeded):
    source = rich_source(seeded)
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert source.title.replace("'", "&#x27;").replace('"', "&quot;") in html
    if source.outlet:
        assert source.outlet in html or source.outlet.replace("&", "&amp;") in html
    assert date_with_precision(source) in html
    # A country or organisation leads to its page (which links to the filtered search).
    for country in source.countries.all():
        assert f'href="/countries/{country.code.lower()}/"' in html
    for organisation in source.organisations.all():
        assert f'href="/organisations/{slugify(organisation.name)}/"' in html
    for year in source.years:
        assert f'href="/search/?mentioned_year={year}"' in html
    blocks = html.count("<p>") + html.count('<h2 class="article__section">')
    assert blocks >= len(source.paragraphs)
    assert "Raw text as read from the file" in html
    assert source.source_file in html
    assert 'href="/opensearch.xml"' in html
    assert_csp_clean(response)


def test_query_terms_are_highlighted_in_the_article(client, seeded):
    source = next(s for s in seeded if "terror" in s.text.lower())
    plain = client.get(source.get_absolute_url())
    assert parse(plain).marks == 0
    marked = client.get(source.get_absolute_url(), {"q": "terrorism"})
    assert marked.status_code == 200
    assert parse(marked).marks >= 2  # the note about highlighting, and at least one term
    body = marked.content.decode().split('class="article__body"')[1].split("</div>")[0]
    assert re.search(r"<mark>terror\w*</mark>", body, re.I)


def test_highlighting_never_lets_markup_through(client, seeded):
    source = seeded[0]
    response = client.get(source.get_absolute_url(), {"q": '<script>alert(1)</script> "x'})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_citation_has_outlet_title_date_permanent_url_and_access_date(client, seeded):
    source = rich_source(seeded)
    html = client.get(source.get_absolute_url()).content.decode()
    citation = re.search(r'<p class="citation__text" id="citation-text">(.*?)</p>', html, re.S)
    assert citation
    text = citation.group(1)
    assert f"http://testserver/sources/{source.slug}/" in text
    assert "Accessed " in text
    today = datetime.date.today()
    assert str(today.year) in text.split("Accessed")[1]
    assert 'data-copy="#citation-text"' in html  # the copy button


def test_related_articles_are_listed(client, seeded):
    source = rich_source(seeded)
    html = client.get(source.get_absolute_url()).content.decode()
    section = re.search(r'<section class="aside-block related".*?</section>', html, re.S)
    assert section, "no related articles for the richest seed"
    links = re.findall(r'href="(/sources/[^"]+/)"', section.group(0))
    assert links and source.get_absolute_url() not in links


def test_old_slug_redirects_permanently_to_the_current_one(client, seeded):
    source = seeded[0]
    SlugRedirect.objects.create(old_slug="an-old-address", source=source)
    response = client.get("/sources/an-old-address/?q=terror")
    assert response.status_code == 301
    assert response["Location"] == f"{source.get_absolute_url()}?q=terror"


def test_unknown_slug_is_a_friendly_404(client, seeded):
    response = client.get("/sources/no-such-article/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "could not find" in html
    assert 'action="/search/"' in html


def test_unpublished_article_is_hidden_except_from_staff(client, seeded, admin_user):
    source = seeded[0]
    Source.objects.filter(pk=source.pk).update(is_published=False)
    SlugRedirect.objects.create(old_slug="hidden-old", source=source)
    assert client.get(source.get_absolute_url()).status_code == 404
    assert client.get("/sources/hidden-old/").status_code == 404

    client.force_login(admin_user)
    response = client.get(source.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unpublished." in html
    assert f"/admin/sources/source/{source.pk}/change/" in html


def test_staff_see_an_admin_link_on_published_articles(client, seeded, admin_user):
    client.force_login(admin_user)
    html = client.get(seeded[0].get_absolute_url()).content.decode()
    assert f"/admin/sources/source/{seeded[0].pk}/change/" in html
    assert "Unpublished." not in html


@pytest.mark.parametrize(
    "published, precision, expected",
    [
        (datetime.date(2017, 3, 12), "day", "12 March 2017"),
        (datetime.date(2017, 3, 1), "month", "March 2017"),
        (datetime.date(2017, 1, 1), "year", "2017"),
        (datetime.date(2017, 1, 1), "unknown", "Date unknown"),
        (None, "unknown", "Date unknown"),
        (None, "day", "Date unknown"),
    ],
)
def test_date_with_precision(published, precision, expected):
    assert date_with_precision(Source(published=published, date_precision=precision)) == expected


def test_500_page_renders_without_context():
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "<script" not in html


def test_section_headings_are_shown_as_headings(client, db):
    body = "The committee met on Monday and agreed a new budget for the schools of the region."
    text = "\n\n".join([body, "Money for the mountains", body.replace("Monday", "Tuesday")])
    source = Source.objects.create(title="Budget", slug="budget-headings", text=text, is_published=True)
    html = client.get(source.get_absolute_url()).content.decode()
    assert '<h2 class="article__section">Money for the mountains</h2>' in html
    assert "<p>Money for the mountains</p>" not in html
    assert f"<p>{body}</p>" in html
