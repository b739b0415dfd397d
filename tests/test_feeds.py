"""/search.atom follows a query; /opensearch.xml describes the search."""

import xml.etree.ElementTree as ET

import pytest


pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_lists_newest_hits_first(client, seeded):
    response = client.get("/search.atom", {"q": "terrorism", "sort": "oldest"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert "terrorism" in feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert all(link.startswith("http://testserver/sources/") for link in links)
    dated = {s.slug: s.published for s in seeded if s.published and s.publication_year}
    order = [dated[l.rstrip("/").rsplit("/", 1)[1]] for l in links if l.rstrip("/").rsplit("/", 1)[1] in dated]
    assert order == sorted(order, reverse=True)  # newest first, whatever sort was asked
    alternate = [l.get("href") for l in feed.findall(f"{ATOM}link") if l.get("rel") == "alternate"]
    assert alternate and "/search/?" in alternate[0]


def test_atom_feed_with_filters_only(client, seeded):
    country = client.get("/api/search").json()["facets"]["country"][0]
    response = client.get("/search.atom", {"country": country["value"]})
    assert response.status_code == 200
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert len(entries) == min(country["count"], 30)


def test_atom_feed_bad_parameters_are_400(client, seeded):
    assert client.get("/search.atom", {"year": "nope"}).status_code == 400


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    templates = {u.get("type"): u.get("template") for u in root.findall(f"{ns}Url")}
    assert templates["text/html"] == "http://testserver/search/?q={searchTerms}"
    assert "application/atom+xml" in templates


def _entry_for(feed, source):
    for entry in feed.findall(f"{ATOM}entry"):
        if entry.find(f"{ATOM}link").get("href").endswith(f"/sources/{source.slug}/"):
            return entry
    raise AssertionError(f"{source.slug} not in the feed")


@pytest.fixture
def markup_article(seeded, django_capture_on_commit_callbacks):
    from sources.models import Source

    source = Source.objects.get(pk=seeded[0].pk)
    source.text = "Zanzibarite <svg/onload=alert(2)> and &lt;b&gt; as typed.\n\nSecond paragraph."
    source.published, source.date_precision = None, "unknown"
    with django_capture_on_commit_callbacks(execute=True):
        source.save()
    return source


def test_atom_summary_is_text_never_markup(client, markup_article):
    feed = ET.fromstring(client.get("/search.atom", {"q": "zanzibarite"}).content)
    summary = _entry_for(feed, markup_article).find(f"{ATOM}summary")
    # type="text": a reader shows the characters; with type="html" the <svg> would run.
    assert summary.get("type") == "text"
    assert summary.text == "Zanzibarite <svg/onload=alert(2)> and &lt;b&gt; as typed."


def test_atom_leaves_out_published_for_an_undated_article(client, markup_article, seeded):
    feed = ET.fromstring(client.get("/search.atom", {"q": "zanzibarite"}).content)
    entry = _entry_for(feed, markup_article)
    assert entry.find(f"{ATOM}published") is None
    assert entry.find(f"{ATOM}updated") is not None  # Atom requires it; it is the last change
    dated = next(s for s in seeded if s.publication_year and s.pk != markup_article.pk)
    entry = _entry_for(ET.fromstring(client.get("/search.atom", {"q": dated.title}).content), dated)
    assert entry.find(f"{ATOM}published").text.startswith(dated.published.isoformat())
