"""The language facet (through the registry): counts, filter, and the article page's name
for the language."""

import pytest

from tests.factories import make_source
from tests.fixtures_search import rebuild_index

pytestmark = pytest.mark.django_db


def test_language_facet_counts_and_filters(client, fresh_index):
    russian = make_source("Задержания в Душанбе", "Полиция задержала троих в Душанбе.", language="ru")
    make_source("Arrests in Dushanbe", "Police detained three men in Dushanbe.", language="en")
    make_source("Arrests in Khujand", "Police detained two men in Khujand.", language="en")
    make_source("Draft in Russian", "Черновик о Душанбе.", language="ru", is_published=False)
    rebuild_index()
    data = client.get("/api/search").json()
    assert {v["value"]: v["count"] for v in data["facets"]["language"]} == {"English": 2, "Russian": 1}
    only = client.get("/api/search", {"language": "Russian"}).json()
    assert [hit["slug"] for hit in only["hits"]] == [russian.slug]
    page = client.get(russian.get_absolute_url()).content.decode()
    assert '<dt>Language</dt><dd lang="en">Russian</dd>' in page
