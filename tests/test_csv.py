"""/search.csv: every hit, streamed, safe to open in a spreadsheet."""

import csv
import io

import pytest

from sources.models import Source
from sources.views import csv_safe

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_csv_holds_every_hit_not_only_one_page(client, seeded):
    response = client.get("/search.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and 'filename="archive-search-' in disposition
    rows = read_csv(response)
    assert len(rows) == len(seeded)
    assert {row["slug"] for row in rows} == {s.slug for s in seeded}
    for row in rows:
        assert row["url"] == f"http://testserver/sources/{row['slug']}/"


def test_csv_more_than_one_page(client, seeded):
    api = client.get("/api/search", {"q": "terrorism"}).json()
    rows = read_csv(client.get("/search.csv", {"q": "terrorism"}))
    assert len(rows) == api["total"]


def test_csv_metadata_matches_the_database(client, seeded):
    rows = {row["slug"]: row for row in read_csv(client.get("/search.csv"))}
    for source in seeded:
        row = rows[source.slug]
        assert row["title"].lstrip("'") == source.title
        assert row["published"] == (source.published.isoformat() if source.published else "")
        assert row["date_precision"] == source.date_precision
        assert row["years"] == "; ".join(str(y) for y in source.years)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\uff1dSUM(1+1)", "'\uff1dSUM(1+1)"),  # full-width =
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
        ("\ufe66SUM(1+1)", "'\ufe66SUM(1+1)"),  # small form =
        ("Plain title", "Plain title"),
        ("\uff21 full-width letter", "\uff21 full-width letter"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_cells_cannot_start_a_formula(value, expected):
    assert csv_safe(value) == expected


def test_csv_formula_title_is_neutralised_end_to_end(client, seeded, django_capture_on_commit_callbacks):
    source = Source.objects.get(pk=seeded[0].pk)
    source.title = '=HYPERLINK("http://evil.example","click")'
    with django_capture_on_commit_callbacks(execute=True):
        source.save()
    rows = {row["slug"]: row for row in read_csv(client.get("/search.csv"))}
    assert rows[source.slug]["title"] == "'" + source.title


def test_csv_bad_parameters_are_400(client, seeded):
    assert client.get("/search.csv", {"page": "x"}).status_code == 400
