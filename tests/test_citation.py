"""Citing an article: the sentence with its author, BibTeX and RIS files, Highwire meta tags."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from sources.citation import _as_sentence
from sources.models import SlugRedirect, Source
from tests.test_import_command import SEEDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def bezhan(db):
    call_command("import_sources", str(SEEDS), "--no-progress", stdout=open("/dev/null", "w"))
    return Source.objects.get(author="Frud Bezhan")


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name", "").startswith("citation_"):
            self.tags.append((attrs["name"], attrs["content"]))


def meta_tags(response):
    parser = MetaTags()
    parser.feed(response.content.decode())
    return parser.tags


def test_citation_names_the_author(client, bezhan):
    html = client.get(bezhan.get_absolute_url()).content.decode()
    text = html.split('id="citation-text">')[1].split("</p>")[0]
    assert text.startswith("Frud Bezhan. RFE/RL. “Tajikistan’s Deadly Export.” 12 March 2017.")


def test_highwire_tags_in_the_head(client, bezhan):
    tags = dict(meta_tags(client.get(bezhan.get_absolute_url())))
    assert tags["citation_title"] == "Tajikistan’s Deadly Export"
    assert tags["citation_author"] == "Frud Bezhan"
    assert tags["citation_publication_date"] == "2017/03/12"
    assert tags["citation_journal_title"] == "RFE/RL"
    assert tags["citation_public_url"] == f"http://testserver/sources/{bezhan.slug}/"


def test_bibtex_download(client, bezhan):
    response = client.get(f"/sources/{bezhan.slug}/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{bezhan.slug}.bib"'
    body = response.content.decode()
    assert body.startswith(f"@online{{{bezhan.slug},\n")
    assert "  title = {{Tajikistan’s Deadly Export}},\n" in body
    assert "  author = {Frud Bezhan},\n" in body
    assert "  year = {2017},\n  month = {03},\n  day = {12},\n" in body


def test_ris_download(client, bezhan):
    response = client.get(f"/sources/{bezhan.slug}/cite.ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    lines = response.content.decode().split("\r\n")
    assert lines[:4] == ["TY  - ELEC", "TI  - Tajikistan’s Deadly Export", "AU  - Frud Bezhan", "T2  - RFE/RL"]
    assert "DA  - 2017/03/12" in lines
    assert lines[-2:] == ["ER  - ", ""]


def test_special_characters_are_escaped_in_every_format(client, bezhan):
    Source.objects.filter(pk=bezhan.pk).update(
        title='50% of {cash} & $5 #1 a_b ~x^ \\ "q" <b>', author="Line\nbreak <i>"
    )
    bib = client.get(f"/sources/{bezhan.slug}/cite.bib").content.decode()
    assert (r"title = {{50\% of \{cash\} \& \$5 \#1 a\_b \textasciitilde{}x\textasciicircum{} "
            r'\textbackslash{} "q" <b>}}') in bib
    assert bib.count("{") == bib.count("}")
    ris = client.get(f"/sources/{bezhan.slug}/cite.ris").content.decode()
    assert "AU  - Line break <i>\r\n" in ris  # one line per value
    html = client.get(bezhan.get_absolute_url()).content.decode()
    assert "<b>" not in html and "<i>" not in html
    assert dict(meta_tags(client.get(bezhan.get_absolute_url())))["citation_author"] == "Line break <i>"


def test_citation_files_follow_old_slugs_and_hide_unpublished(client, bezhan):
    SlugRedirect.objects.create(old_slug="old-address", source=bezhan)
    response = client.get("/sources/old-address/cite.ris")
    assert response.status_code == 301
    assert response["Location"] == f"/sources/{bezhan.slug}/cite.ris"
    Source.objects.filter(pk=bezhan.pk).update(is_published=False)
    assert client.get(f"/sources/{bezhan.slug}/cite.bib").status_code == 404
    assert client.get("/sources/old-address/cite.bib").status_code == 404


@pytest.mark.parametrize("title, sentence", [
    ("Taking action…", "Taking action…"),
    ("Why?", "Why?"),
    ("Done.", "Done."),
    ("Plain", "Plain."),
])
def test_shortened_titles_end_cleanly(title, sentence):
    assert _as_sentence(title) == sentence


def test_year_only_date_gives_only_the_year(client, bezhan):
    Source.objects.filter(pk=bezhan.pk).update(published=datetime.date(2017, 1, 1), date_precision="year")
    assert dict(meta_tags(client.get(bezhan.get_absolute_url())))["citation_publication_date"] == "2017"
    ris = client.get(f"/sources/{bezhan.slug}/cite.ris").content.decode()
    assert "DA  - 2017\r\n" in ris and "PY  - 2017\r\n" in ris
