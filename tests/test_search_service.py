"""sources/search.py against a real index (tests/fixtures_search.py) and the test database."""

from django.http import QueryDict
import pytest

from sources.search import (
    FACETS,
    MAX_Q_CHARS,
    InvalidSearch,
    SearchQuery,
    iter_hits,
    related,
    search,
)
from sources.models import Source
from tests.factories import make_source
from tests.fixtures_search import MARKER, UNIQUE_UNPUBLISHED_WORD

pytestmark = pytest.mark.django_db


def slugs(results):
    return [h.source.slug for h in results.hits]


def facet(results, name):
    return {f.value: f.count for f in results.facets[name]}


def fixture_search(**kwargs):
    """Only the hand-made Sources (they all carry MARKER), for exact counts."""
    q = kwargs.pop("q", "")
    return search(SearchQuery(q=f"{MARKER} ({q})" if q else MARKER, **kwargs), per_page=50)


# --- SearchQuery ------------------------------------------------------------------------


def test_from_params_reads_repeatable_facets_and_validates():
    query = SearchQuery.from_params(
        QueryDict("q=+bombing\x00s+&country=Syria&country=Iraq&year=2017&year=Undated&mentioned_year=2015&sort=oldest&page=2")
    )
    assert query == SearchQuery(
        q="bombing s",
        country=("Syria", "Iraq"),
        year=("2017", "undated"),
        mentioned_year=("2015",),
        sort="oldest",
        page=2,
    )
    for bad in ("year=20x7", "mentioned_year=abc", "page=two", "page=0", "page=-1", "sort=random"):
        with pytest.raises(InvalidSearch) as excinfo:
            SearchQuery.from_params(QueryDict(bad))
        assert str(excinfo.value)


def test_a_10kb_query_is_capped_and_gives_a_results_page():
    query = SearchQuery.from_params(QueryDict(mutable=True, query_string="") | {"q": "bombing " * 1500})
    assert len(query.q) <= MAX_Q_CHARS
    results = search(query)
    assert results.total >= 0 and results.page == 1


def test_querystring_is_stable_and_omits_page_one():
    query = SearchQuery(q="war crimes", organisation=("Islamic State, Khorasan Province",), year=("2017",), page=1)
    assert query.querystring() == "q=war+crimes&organisation=Islamic+State%2C+Khorasan+Province&year=2017"
    assert query.querystring(page=3).endswith("&page=3")
    assert SearchQuery.from_params(QueryDict(query.querystring())) == query


def test_toggled_adds_and_removes_a_value_and_resets_the_page():
    query = SearchQuery(country=("Syria",), page=4)
    added = query.toggled("country", "Iraq")
    assert added.country == ("Syria", "Iraq") and added.page == 1
    assert added.toggled("country", "Syria").country == ("Iraq",)


def test_toggled_querystrings_are_each_toggled_querystring():
    queries = [
        SearchQuery(),
        SearchQuery(q="war & peace", page=3),
        SearchQuery(country=("Syria", "Iraq"), year=("2017",), sort="newest", collapse=False),
        SearchQuery(q="x", organisation=("Islamic State, Khorasan Province",), person=("Ann",), exact=True,
                    published_from="2015", outlet=("RFE/RL",)),
    ]
    values = ["Syria", "Iraq", "Islamic State, Khorasan Province", "Ann", "2017", "a=b&c", "Ёж"]
    for query in queries:
        for facet in FACETS:
            links = query.toggled_querystrings(facet, values)
            assert links == {v: query.toggled(facet, v).querystring() for v in values}, (query, facet)


# --- Results, facets, timeline ----------------------------------------------------------


def test_empty_query_browses_everything_newest_first_undated_last(seeded):
    results = search(SearchQuery(), per_page=100)
    assert results.total == len(seeded)
    dates = [h.source.published for h in results.hits if h.source.publication_year]
    assert dates == sorted(dates, reverse=True)
    undated = [i for i, h in enumerate(results.hits) if h.source.publication_year is None]
    assert undated and undated == list(range(len(results.hits) - len(undated), len(results.hits)))
    assert set(results.facets) == set(FACETS)
    assert results.message is None


def test_oldest_first_also_puts_undated_last(seeded):
    results = search(SearchQuery(sort="oldest"), per_page=100)
    flags = [h.source.publication_year is None for h in results.hits]
    assert flags == sorted(flags)  # all dated first, then the undated
    dates = [h.source.published for h in results.hits if h.source.publication_year]
    assert dates == sorted(dates)


def test_facet_values_come_back_whole_and_without_a_none_bucket(tricky):
    results = fixture_search()
    organisations = facet(results, "organisation")
    assert organisations["Islamic State"] == 2
    assert organisations["Hizb ut-Tahrir"] == 1
    for name in ("country", "organisation", "mentioned_year"):
        assert not {None, "", "None"} & set(facet(results, name))
    # Most frequent first, ties by value.
    values = [(-f.count, f.value) for f in results.facets["organisation"]]
    assert values == sorted(values)


def test_filter_on_a_value_with_spaces_and_hyphens(tricky):
    assert slugs(fixture_search(organisation=("Hizb ut-Tahrir",))) == ["tricky-hizb"]
    assert set(slugs(fixture_search(organisation=("Islamic State",)))) == {"tricky-damascus", "tricky-iskp"}
    assert fixture_search(organisation=("Islamic",)).total == 0
    assert fixture_search(organisation=("hizb ut-tahrir",)).total == 0  # exact, not analysed


@pytest.mark.archive_engine  # stock Whoosh splits a multi-valued field on commas
def test_a_facet_value_with_a_comma_stays_whole(tricky):
    assert facet(fixture_search(), "organisation")["Islamic State, Khorasan Province"] == 1
    assert slugs(fixture_search(organisation=("Islamic State, Khorasan Province",))) == ["tricky-iskp"]


def test_values_of_one_facet_or_and_different_facets_and(tricky):
    either = fixture_search(country=("Iraq", "Jordan"))
    assert set(slugs(either)) == {"tricky-jordan_person", "tricky-undated", "tricky-jordan_country"}
    both = fixture_search(country=("Iraq", "Jordan"), year=("2017",))
    assert set(slugs(both)) == {"tricky-jordan_person", "tricky-jordan_country"}


def test_a_facets_counts_ignore_its_own_selection_but_not_the_others(tricky):
    results = fixture_search(country=("Syria",), year=("2017",))
    countries = facet(results, "country")
    # Other countries stay visible, counted with year=2017 only.
    assert countries["Syria"] == 2 and countries["Iraq"] == 1 and countries["Jordan"] == 1
    assert "Kyrgyzstan" not in countries
    years = facet(results, "year")
    # Years counted with country=Syria only.
    assert years == {"2017": 2, "undated": 1}
    selected = {f.value for f in results.facets["country"] if f.selected}
    assert selected == {"Syria"}
    syria = next(f for f in results.facets["country"] if f.value == "Syria")
    assert "country=" not in syria.querystring  # toggling it off


def test_unknown_facet_value_gives_no_results_and_stays_listed_as_selected(tricky):
    results = fixture_search(country=("Atlantis",))
    assert results.total == 0 and results.hits == []
    assert [(f.value, f.count, f.selected) for f in results.facets["country"] if f.value == "Atlantis"] == [
        ("Atlantis", 0, True)
    ]


def test_year_facet_has_an_undated_bucket_and_filters_on_it(tricky):
    results = fixture_search()
    assert facet(results, "year")["undated"] == 2
    undated = fixture_search(year=("undated",))
    assert set(slugs(undated)) == {"tricky-undated", "tricky-undated_too"}


def test_timeline_counts_hits_per_year_ascending_with_gaps(tricky):
    results = fixture_search(country=("Syria", "Kyrgyzstan"))
    bars = [(b.year, b.count) for b in results.timeline]
    assert bars == [(2015, 1), (2016, 1), (2017, 2), ("undated", 1)]  # undated last
    assert max(b.height_percent for b in results.timeline) == 100
    assert all(b.querystring.count("year=") == 1 for b in results.timeline)


def test_chips_give_the_querystring_without_each_filter(tricky):
    results = fixture_search(country=("Syria",), organisation=("Islamic State",))
    chips = {(f, v): qs for f, v, qs in results.chips()}
    assert "country=Syria" not in chips[("country", "Syria")]
    assert "organisation=Islamic+State" in chips[("country", "Syria")]


def test_mentioned_year_filter(tricky):
    assert set(slugs(fixture_search(mentioned_year=("2015",)))) == {"tricky-damascus", "tricky-hizb"}


# --- Query syntax ---------------------------------------------------------------------


def test_words_are_stemmed_and_results_ranked(tricky):
    results = fixture_search(q="bombings")
    assert set(slugs(results)) == {"tricky-damascus", "tricky-long", "tricky-undated"}
    assert results.hits[0].source.slug == "tricky-damascus"  # in the boosted title too


def test_exact_phrase_and_exclusion(tricky):
    assert slugs(fixture_search(q='"war on terror"')) == ["tricky-damascus"]
    assert set(slugs(fixture_search(q="bombing -Iraq"))) == {"tricky-damascus", "tricky-long"}
    assert set(slugs(fixture_search(q="bombing NOT iraq"))) == {"tricky-damascus", "tricky-long"}


def test_a_purely_negative_query_excludes_its_words(seeded):
    everything = search(SearchQuery()).total
    security = search(SearchQuery(q="security")).total
    assert 0 < security < everything
    for q in ("NOT security", "-security"):
        results = search(SearchQuery(q=q), per_page=100)
        assert results.total == everything - security, q
        assert all("secur" not in (h.source.title + h.source.text).lower() for h in results.hits)
    both = search(SearchQuery(q="security OR police")).total
    assert search(SearchQuery(q="-security -police")).total == everything - both


def test_and_or_and_brackets(tricky):
    assert set(slugs(fixture_search(q="Mosul OR Kabul"))) == {"tricky-jordan_person", "tricky-iskp"}
    assert fixture_search(q="Mosul AND Kabul").total == 0
    assert set(slugs(fixture_search(q="(Mosul OR Kabul) school"))) == {"tricky-iskp"}


def test_field_search_and_the_person_named_jordan(tricky):
    assert slugs(fixture_search(q="author:Jordan")) == ["tricky-jordan_person"]
    assert slugs(fixture_search(country=("Jordan",))) == ["tricky-jordan_country"]
    assert slugs(fixture_search(q="title:Amman")) == ["tricky-jordan_country"]
    assert set(slugs(fixture_search(q="outlet:Reuters"))) == {"tricky-damascus", "tricky-long"}
    assert fixture_search(q='author:"Jane Doe"').total == 1


def test_prefix_search(tricky):
    assert set(slugs(fixture_search(q="milit*"))) == {"tricky-damascus", "tricky-undated_too"}


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced quote',
        "(unbalanced bracket",
        "unbalanced bracket)",
        "AND",
        "OR NOT",
        "bombing AND",
        "*",
        "?",
        "title:",
        "\x00\x07bombing\x1f",
        "<script>alert(1)</script>",
        "Кыргызстан ислам تحرير",
        "bombing " * 2000,
        "((((((((((bombing",
        '"" "" ""',
        "-",
        "---",
    ],
)
def test_malformed_queries_never_raise(seeded, q):
    results = search(SearchQuery.from_params(QueryDict(mutable=True) | {"q": q}))
    assert results.total >= 0
    for hit in results.hits:
        for snippet in hit.snippets:
            assert "<script" not in snippet


def test_malformed_query_searches_its_words_and_says_so(tricky):
    results = fixture_search(q='"war on terror')
    assert results.message
    assert "tricky-damascus" in slugs(results)
    assert fixture_search(q='"war on terror"').message is None


# --- Hits -----------------------------------------------------------------------------


def test_snippets_mark_terms_and_escape_the_rest(tricky):
    results = fixture_search(q="zebra")
    (hit,) = results.hits
    html = " ".join(hit.snippets)
    assert "<mark>zebra</mark>" in html
    assert "<svg" not in html and "<script" not in html and "&lt;script&gt;" in html
    assert "AT&amp;T" in html and "&amp;amp;" not in html
    assert hasattr(hit.snippets[0], "__html__")  # marked safe


def test_escaped_text_is_not_indexed_as_words(tricky):
    assert fixture_search(q="amp").total == 0
    assert fixture_search(q="lt").total == 0


def test_one_database_query_per_page_of_hits(seeded, django_assert_max_num_queries):
    search(SearchQuery(q="bombing"))  # warm caches (content types)
    with django_assert_max_num_queries(5):  # hits + 4 prefetches (countries, orgs, people, years)
        results = search(SearchQuery(), per_page=50)
        for hit in results.hits:
            hit.source.about_countries, hit.source.passing_countries  # what listings read
            list(hit.source.organisations.all())
            hit.source.years
    assert len(results.hits) > 5


def test_page_past_the_end_is_clamped_to_the_last_page(seeded):
    results = search(SearchQuery(page=999), per_page=2)
    assert results.page == results.pages == -(-len(seeded) // 2)
    assert results.hits and results.query.page == results.page
    assert results.total == len(seeded)


def test_pages_partition_the_hits(seeded):
    seen = []
    for page in range(1, 100):
        results = search(SearchQuery(page=page), per_page=3)
        seen.extend(slugs(results))
        if page >= results.pages:
            break
    assert len(seen) == len(set(seen)) == len(seeded)


def test_iter_hits_yields_every_hit_in_order(seeded):
    everything = list(iter_hits(SearchQuery()))
    assert [s.pk for s in everything] == [h.source.pk for h in search(SearchQuery(), per_page=1000).hits]
    assert len(everything) == len(seeded)


# --- Unpublished, suggestion, related -----------------------------------------------


def test_unpublished_sources_never_show(tricky):
    assert search(SearchQuery(q=UNIQUE_UNPUBLISHED_WORD)).total == 0
    everything = search(SearchQuery(), per_page=1000)
    assert "tricky-unpublished" not in slugs(everything)
    assert "Unpublished Only Org" not in facet(everything, "organisation")
    assert "Narnia" not in facet(everything, "country")
    assert "1777" not in facet(everything, "mentioned_year")
    published_hizb = Source.objects.published().filter(organisations__name="Hizb ut-Tahrir").count()
    assert facet(search(SearchQuery(organisation=("Hizb ut-Tahrir",))), "organisation")["Hizb ut-Tahrir"] == published_hizb
    assert all(s.is_published for s in related(tricky["damascus"], limit=20))
    assert tricky["unpublished"] not in related(tricky["damascus"], limit=20)


def test_suggestion_when_nothing_is_found(tricky):
    results = search(SearchQuery(q="bombimgs", country=("Syria",)))
    assert results.total == 0
    assert results.suggestion == "bombings"
    assert results.suggestion_querystring == "q=bombings&country=Syria"
    assert search(SearchQuery(q="bombings")).suggestion is None


def test_suggestion_keeps_the_users_casing(seeded):
    assert search(SearchQuery(q="Tajikstan")).suggestion == "Tajikistan"
    assert search(SearchQuery(q="tajikstan")).suggestion == "tajikistan"
    assert search(SearchQuery(q="TAJIKSTAN")).suggestion == "TAJIKISTAN"


@pytest.mark.archive_engine  # stock Whoosh corrects from stemmed words: bombing -> robbing
def test_suggestion_leaves_a_rightly_spelled_word_alone(seeded):
    assert search(SearchQuery(q="Kyrgystan bombing")).suggestion == "Kyrgyzstan bombing"


def test_suggestion_when_a_typo_finds_only_a_few_articles(db, fresh_index):
    from haystack import connections

    right = [make_source(f"Floods in Tajikistan, part {i}") for i in range(6)]
    typo = make_source("Floods in Tajikstan", "A report from Tajikstan on the floods.")
    index = connections["default"].get_unified_index().get_index(Source)
    fresh_index.update(index, right + [typo])

    results = search(SearchQuery(q="Tajikstan"))
    assert [h.source for h in results.hits] == [typo]
    assert results.suggestion == "Tajikistan"
    assert search(SearchQuery(q="Tajikistan")).suggestion is None
    # Rare words that are no typo of a commoner one get no suggestion.
    assert search(SearchQuery(q="report")).suggestion is None


def test_when_no_article_has_all_the_words_any_of_them_is_offered(db, fresh_index):
    from haystack import connections

    markets = make_source("Markets of Dushanbe", "Prices at the markets rose in spring.")
    bridges = make_source("Bridges of Osh", "Two bridges over the river were repaired.")
    index = connections["default"].get_unified_index().get_index(Source)
    fresh_index.update(index, [markets, bridges])

    results = search(SearchQuery(q="markets bridges"))
    assert results.total == 0
    assert results.suggestion == "markets OR bridges"
    assert {h.source for h in search(SearchQuery(q=results.suggestion)).hits} == {markets, bridges}
    assert search(SearchQuery(q="zeppelins airships")).suggestion is None  # the words find nothing either way
    assert search(SearchQuery(q="markets prices")).suggestion is None  # found: nothing to offer


def test_related_is_similar_published_and_never_the_source_itself(tricky):
    found = related(tricky["long"], limit=5)
    assert tricky["long"] not in found
    assert len(found) <= 5
    found = related(tricky["damascus"], limit=5)
    assert found and tricky["damascus"] not in found
