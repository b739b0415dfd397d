"""Property tests (hypothesis): whatever a user types or a file holds, nothing crashes.

* Any query string and any parameters: the search service either answers or raises
  InvalidSearch; /search/ never answers 500, /api/search answers 200 or 400 (404 for a
  page past the end), /search.atom and /search.csv 200 or 400; queries include long ones
  and ones nested past the parser's bounds.
* Any text through the ingest pipeline: no exception.

Example counts are modest: the suite must stay fast on two cores.
"""

import datetime

import pytest
from django.http import QueryDict
from django.utils.http import urlencode
from hypothesis import HealthCheck, given, settings, strategies as st

from .factories import make_source
from .serving import clear_index

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)

# Query syntax, field names and the awkward characters of Whoosh's parser and of URLs.
SYNTAX = st.sampled_from(
    [
        "AND", "OR", "NOT", "and", "(", ")", '"', "'", "*", "?", "~", "^", ":", "[", "]",
        "{", "}", "TO", "-", "+", "\\", "/", "&", "=", "%", "#", "title:", "text:",
        "country:", "year:", "django_ct:", "id:", "2017", "0", "-1", "99999999999999999999",
        "Kyrgyzstan", "Hizb ut-Tahrir", "OSCE", "\x00", "\x1f", "\u202e", "\ufeff", "😀",
        "ǅ", "İ", "ß", "\n", "\t", " ", "  ", "x" * 300,
    ]
)
# Deep nesting and long operator chains, past the parser's bounds (issue 12 item 3).
NESTED = st.builds(
    lambda opener, depth, word, closer: opener * depth + word + closer * depth,
    st.sampled_from(["(", "NOT ", "-(", "NOT (", "a OR (", "(NOT ", "title:("]),
    # Shallow, and deep enough to exhaust a recursive parser (~250 levels).
    st.one_of(st.integers(min_value=0, max_value=30), st.integers(min_value=240, max_value=400)),
    st.sampled_from(["a", "Osh", '"war on terror"', "terr*"]),
    st.sampled_from(["", ")", " "]),
)
QUERY = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(SYNTAX, st.text(max_size=12)), max_size=12).map(" ".join),
    st.lists(SYNTAX, max_size=20).map("".join),
    st.lists(st.one_of(SYNTAX, st.text(max_size=6)), min_size=50, max_size=400).map(" ".join),
    NESTED,
)
PARAM_NAMES = st.sampled_from(
    ["q", "country", "organisation", "year", "mentioned_year", "sort", "page", "per_page",
     "format", "x", ""]
)
PARAM_VALUES = st.one_of(
    QUERY,
    st.sampled_from(["", "0", "1", "2", "-1", "9999999", "1e9", "newest", "oldest",
                     "relevance", "undated", "2016", "Kyrgyzstan", "nan", "None", "[]"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
PARAMS = st.lists(st.tuples(PARAM_NAMES, PARAM_VALUES), max_size=8)


def querydict(pairs):
    qd = QueryDict(mutable=True)
    for name, value in pairs:
        qd.appendlist(name, value)
    return qd


def url(path, pairs):
    # Surrogates cannot be encoded into a URL at all; a client could not send them.
    safe = [(n, v.encode("utf-8", "replace").decode("utf-8")) for n, v in pairs]
    return f"{path}?{urlencode(safe)}"


@pytest.fixture
def small_archive(transactional_db):
    clear_index()
    return [
        make_source(
            f"Fuzz article {i} about Osh",
            countries=["Kyrgyzstan"] if i % 2 else ["Kazakhstan"],
            organisations=["OSCE"],
            published=datetime.date(2010 + i, 1, 1) if i % 3 else None,
            years=[2000 + i],
        )
        for i in range(6)
    ]


@pytest.mark.django_db(transaction=True)
@FUZZ
@given(q=QUERY, pairs=PARAMS)
def test_search_service_answers_or_raises_invalid_search(small_archive, q, pairs):
    from sources.search import InvalidSearch, SearchQuery, search

    for params in (querydict([("q", q)]), querydict(pairs), querydict([("q", q)] + pairs)):
        try:
            query = SearchQuery.from_params(params)
            results = search(query)
        except InvalidSearch as exc:
            assert str(exc)  # a message for the user
            continue
        assert results.total >= 0
        assert len(results.hits) <= results.per_page


@pytest.mark.django_db(transaction=True)
@FUZZ
@given(q=QUERY, pairs=PARAMS)
def test_search_page_and_api_never_fail(client, small_archive, q, pairs):
    for pairs_ in ([("q", q)], pairs):
        response = client.get(url("/search/", pairs_))
        assert response.status_code in (200, 400, 404), (pairs_, response.status_code)
        response = client.get(url("/api/search", pairs_))
        assert response.status_code in (200, 400, 404), (pairs_, response.status_code)
        assert response["Content-Type"].startswith("application/json")
        response.json()
        for path in ("/search.atom", "/search.csv"):
            response = client.get(url(path, pairs_))
            assert response.status_code in (200, 400), (path, pairs_, response.status_code)


# --- ingest --------------------------------------------------------------------------------

LINE = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "", "LONDON (TCA) — Something happened", "By Jane Doe", "January 9, 2017",
            "9 January 2017", "2017-01-09", "Posted on 31/02/2017", "Share this:", "Tweet",
            "Related", "References", "[1] http://example.org", "© 2017 Outlet",
            "Kyrgyzstan", "Kyrgyz", "Hizb ut-Tahrir", "ISIS", "the OSCE", "Daesh",
            "In 1991 and 2016 and 20170", "—", "\u00a0", "\r", "\x0c", "<p>html</p>",
            "=" * 80, "* * *", "Tags: a, b, c", "astropay bozdurma paysafe",
        ]
    ),
)
ARTICLE = st.one_of(
    st.text(max_size=2000),
    st.lists(LINE, max_size=40).map("\n".join),
    st.lists(st.lists(LINE, max_size=6).map("\n".join), max_size=10).map("\n\n".join),
)


@pytest.fixture(scope="module")
def gazetteer():
    from sources.ingest.gazetteer import load_default_gazetteer

    return load_default_gazetteer()


@FUZZ
@given(text=ARTICLE)
def test_ingest_pipeline_never_raises(gazetteer, text):
    from sources.ingest import pipeline

    pipeline.process(text, gazetteer)
