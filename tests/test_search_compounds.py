"""A country's forms are one in compounds like "Kyrgyz-born" and "Kyrgyzstan-born" (issue
18), and only there: "Kyrgyz" alone stays a people, not the state."""

import pytest

pytestmark = pytest.mark.django_db


def found(client, **params):
    data = client.get("/api/search", {"per_page": 50, **params}).json()
    return {hit["slug"] for hit in data["hits"]}


def test_a_country_compound_finds_every_form_of_the_country(client, fresh_index):
    from tests.factories import make_source
    from tests.fixtures_search import rebuild_index

    short = make_source("Fighter", "A Kyrgyz-born fighter was killed in Syria.")
    full = make_source("Recruiter", "The Kyrgyzstan-born recruiter was arrested.")
    people = make_source("Guards", "Kyrgyz guards patrol the border; the recruiter was born in Osh.")
    state = make_source("Talks", "Kyrgyzstan and its neighbours met in Osh.")
    rebuild_index()

    assert found(client, q="Kyrgyz-born") == {short.slug, full.slug}
    assert found(client, q="Kyrgyzstan-born") == {short.slug, full.slug}
    assert found(client, q="Kyrgyzstan-born", exact="1") == {full.slug}
    assert state.slug not in found(client, q="Kyrgyz")  # outside a compound: not widened
    assert people.slug not in found(client, q="Kyrgyz-born")
    data = client.get("/api/search", {"q": "Kyrgyz-born"}).json()
    marked = {hit["slug"]: " ".join(hit["snippets"]) for hit in data["hits"]}
    assert "<mark>Kyrgyzstan</mark>" in marked[full.slug] or "<mark>Kyrgyzstan-born</mark>" in marked[full.slug]
