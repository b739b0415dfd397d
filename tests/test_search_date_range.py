"""The publication-date range through the search service, the page, the API and CSV, on the
real index (tests/fixtures_search.py: the hand-made Sources carry MARKER)."""

import csv
import io

import pytest
from django.http import QueryDict

from sources.search import InvalidSearch, SearchQuery, search
from tests.fixtures_search import MARKER

pytestmark = pytest.mark.django_db


def in_range(**dates):
    results = search(SearchQuery(q=MARKER, **dates), per_page=50)
    return results, {h.source.slug for h in results.hits}


def test_a_year_holds_every_article_dated_in_it_by_day_or_month(tricky):
    results, slugs = in_range(published_from="2017", published_to="2017")
    # damascus 2017-03-02 (day), jordan_person 2017-07-15 (day), jordan_country 2017-02 (month);
    # the unpublished 2017-03-03 article never shows.
    assert slugs == {"tricky-damascus", "tricky-jordan_person", "tricky-jordan_country"}
    assert results.total == 3
    assert {f.value: f.count for f in results.facets["year"]} == {"2017": 3}


def test_month_and_day_bounds(tricky):
    _, slugs = in_range(published_from="2017-02", published_to="2017-02")
    assert slugs == {"tricky-jordan_country"}
    _, slugs = in_range(published_from="2017-02-15", published_to="2017-03-02")
    assert slugs == {"tricky-damascus"}  # February 2017 is not all after the 15th
    _, slugs = in_range(published_to="2015-12-31")
    assert slugs == {"tricky-long"}


def test_undated_articles_are_counted_apart_and_included_on_request(tricky):
    results, slugs = in_range(published_from="2016")
    assert "tricky-undated" not in slugs and "tricky-undated_too" not in slugs
    assert results.undated_left_out == 2  # one without a date, one whose date is unknown
    results, slugs = in_range(published_from="2016", undated="include")
    assert {"tricky-undated", "tricky-undated_too"} <= slugs
    assert results.undated_left_out == 0
    assert in_range()[0].undated_left_out == 0  # no range, nothing left out


def test_the_range_goes_with_facet_filters_and_words(tricky):
    _, slugs = in_range(published_from="2016", published_to="2017", country=("Syria",))
    assert slugs == {"tricky-damascus", "tricky-jordan_country"}
    _, slugs = in_range(published_from="2017-03", country=("Syria",))
    assert slugs == {"tricky-damascus"}
    before = search(SearchQuery(q=f"{MARKER} bombings", published_to="2016"), per_page=50)
    after = search(SearchQuery(q=f"{MARKER} bombings", published_to="2017"), per_page=50)
    assert "tricky-damascus" in {h.source.slug for h in after.hits}
    assert "tricky-damascus" not in {h.source.slug for h in before.hits}
    assert before.total == after.total - 1


def test_the_querystring_keeps_the_range_and_the_chip_removes_it(tricky):
    query = SearchQuery.from_params(QueryDict("q=x&published_from=2016&published_to=2017-06&undated=include"))
    assert query.querystring() == "q=x&published_from=2016&published_to=2017-06&undated=include"
    results = search(query)
    label, without = results.date_chip
    assert label == "2016 – 2017-06 and undated"
    assert without == "q=x"
    assert search(SearchQuery(q="x")).date_chip is None


@pytest.mark.parametrize("params", ["published_from=2017-13", "published_to=abc",
                                    "published_from=2018&published_to=2017", "undated=all"])
def test_bad_ranges_are_refused_with_a_message(params):
    with pytest.raises(InvalidSearch):
        SearchQuery.from_params(QueryDict(params))


def test_api_takes_the_range_and_says_what_it_left_out(client, tricky):
    data = client.get("/api/search", {"q": MARKER, "published_from": "2016"}).json()
    assert data["published_from"] == "2016" and data["published_to"] is None
    assert data["undated_left_out"] == 2
    assert all(hit["published"] >= "2016" for hit in data["hits"])
    response = client.get("/api/search", {"published_from": "2017-13"})
    assert response.status_code == 400 and "month must be 01 to 12" in response.json()["error"]


def test_page_shows_the_inputs_the_notice_and_the_link_that_includes_undated(client, tricky):
    html = client.get("/search/", {"q": MARKER, "published_from": "2016"}).content.decode()
    assert 'id="published_from"' in html and 'value="2016"' in html
    assert "2 undated articles are left out by the date range." in html
    assert f"/search/?q={MARKER}&amp;published_from=2016&amp;undated=include" in html
    assert '<span class="chip__facet">Published:</span> 2016 – …' in html


def test_page_with_a_bad_range_is_a_400_with_the_reason(client, tricky):
    response = client.get("/search/", {"q": MARKER, "published_to": "2015-02-30"})
    assert response.status_code == 400
    assert "that month has 28 days" in response.content.decode()


def test_csv_follows_the_range(client, tricky):
    body = b"".join(client.get("/search.csv", {"q": MARKER, "published_from": "2018"}).streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["tricky-iskp"]
