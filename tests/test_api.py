"""/api/search: the search page's data as JSON; bad parameters are a 400, never a 500."""

import pytest

from sources.models import CountryMention
from tests.test_views_search import MALFORMED

pytestmark = pytest.mark.django_db

HIT_KEYS = {
    "slug", "url", "title", "title_is_derived", "outlet", "author", "published", "date_precision", "original_url",
    "captured_at",
    "countries", "organisations", "people", "years", "snippets", "versions",
}


def test_api_shape(client, seeded):
    response = client.get("/api/search", {"q": "terrorism"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    # `counts` says what total and facet counts count: "groups" (versions collapsed, the
    # default) or "articles" (collapse=0); issue 16.
    assert set(data) == {"query", "total", "page", "pages", "hits", "facets", "suggestion",
                         "published_from", "published_to", "undated_left_out", "counts"}
    assert data["query"] == "terrorism"
    assert data["counts"] == "groups"
    assert data["total"] >= 3 and data["page"] == 1 and data["pages"] >= 1
    assert set(data["facets"]) == {"country", "organisation", "person", "outlet", "language", "year", "mentioned_year"}
    for values in data["facets"].values():
        for value in values:
            assert set(value) == {"value", "count", "selected"}
    for hit in data["hits"]:
        assert set(hit) == HIT_KEYS
        assert hit["url"] == f"http://testserver/sources/{hit['slug']}/"
        assert hit["published"] is None or len(hit["published"]) == 10
        assert isinstance(hit["countries"], list) and isinstance(hit["years"], list)
        assert all(isinstance(s, str) for s in hit["snippets"])
    assert any("<mark>" in s for hit in data["hits"] for s in hit["snippets"])


def test_api_agrees_with_the_database(client, seeded):
    data = client.get("/api/search").json()
    assert data["total"] == len(seeded)
    by_slug = {s.slug: s for s in seeded}
    for hit in data["hits"]:
        source = by_slug[hit["slug"]]
        assert hit["title"] == source.title
        assert hit["years"] == source.years
        about = CountryMention.objects.filter(source=source, passing=False).values_list("country__name", flat=True)
        assert sorted(hit["countries"]) == sorted(about)
        assert hit["published"] == (source.published.isoformat() if source.published else None)


def test_api_filters_and_marks_selected_values(client, seeded):
    everything = client.get("/api/search").json()
    country = everything["facets"]["country"][0]
    data = client.get("/api/search", {"country": country["value"]}).json()
    assert data["total"] == country["count"]
    selected = [v for v in data["facets"]["country"] if v["selected"]]
    assert [v["value"] for v in selected] == [country["value"]]
    for hit in data["hits"]:
        assert country["value"] in hit["countries"]


@pytest.mark.parametrize(
    "params",
    [{"year": "abc"}, {"page": "x"}, {"page": "0"}, {"sort": "sideways"}, {"mentioned_year": "x"}],
)
def test_api_bad_parameters_are_400_with_an_error(client, seeded, params):
    response = client.get("/api/search", params)
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert response.json()["error"]


@pytest.mark.parametrize("q", MALFORMED, ids=range(len(MALFORMED)))
def test_api_malformed_queries_never_500(client, seeded, q):
    response = client.get("/api/search", {"q": q})
    assert response.status_code in (200, 400)
    assert "error" in response.json() or "hits" in response.json()


def test_api_page_past_the_end_is_clamped_to_the_last_page(client, seeded):
    data = client.get("/api/search", {"page": "99"}).json()
    assert data["page"] == data["pages"]
    assert len(data["hits"]) == data["total"] - (data["pages"] - 1) * 10
