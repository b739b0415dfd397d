"""sources/facets.py: each facet declared once, and everything else follows the registry."""

import pytest
from django.http import QueryDict
from haystack.fields import FacetMultiValueField

from sources import facets
from sources.search import InvalidSearch, SearchQuery
from sources.search_indexes import SourceIndex


def test_every_facet_has_its_index_field_and_search_parameter():
    for facet in facets.FACETS:
        field = SourceIndex.fields[facet.name]
        assert isinstance(field, FacetMultiValueField)
        assert hasattr(SourceIndex, f"prepare_{facet.name}")
        assert getattr(SearchQuery(), facet.name) == ()
        query = SearchQuery.from_params(QueryDict(f"{facet.name}=2017"))
        assert getattr(query, facet.name) == ("2017",)
        assert query.querystring() == f"{facet.name}=2017"


@pytest.mark.parametrize(
    "params, message",
    [("year=nope", "is not a year"), ("mentioned_year=undated", "is not a year")],
)
def test_a_facets_parser_gives_the_user_facing_message(params, message):
    with pytest.raises(InvalidSearch, match=message):
        SearchQuery.from_params(QueryDict(params))


def test_values_are_brought_to_their_indexed_form():
    query = SearchQuery.from_params(QueryDict("year=UNDATED&year=0017&year=17&mentioned_year=0999"))
    assert query.year == ("undated", "17")
    assert query.mentioned_year == ("999",)


@pytest.mark.django_db
def test_labels_come_from_the_registry_on_the_page(client, seeded):
    page = client.get("/search/").content.decode()
    for facet in facets.FACETS:
        assert facet.label in page


@pytest.mark.django_db
def test_a_facet_lists_its_hundred_biggest_values_and_always_the_selected_ones(client, fresh_index):
    from sources.search import MAX_FACET_VALUES
    from tests.factories import make_source
    from tests.fixtures_search import rebuild_index

    for n in range(MAX_FACET_VALUES + 5):
        make_source(f"Clinic report {n}", organisations=[f"Clinic {n:03d}"], mentions=1)
    make_source("Clinic report extra", organisations=["Clinic 000"])
    rebuild_index()
    values = client.get("/api/search", {"q": "clinic"}).json()["facets"]["organisation"]
    assert len(values) == MAX_FACET_VALUES and values[0] == {"value": "Clinic 000", "count": 2, "selected": False}
    last = f"Clinic {MAX_FACET_VALUES + 4:03d}"
    assert last not in {v["value"] for v in values}
    chosen = client.get("/api/search", {"q": "clinic", "organisation": last}).json()["facets"]["organisation"]
    assert {"value": last, "count": 1, "selected": True} in chosen
