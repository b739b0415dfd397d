"""Bulk changes of publication keep the index in step (issue 12 item 6): totals and facet
counts agree with the hits shown."""

import pytest

from sources.models import Source
from tests.fixtures_search import MARKER

# Committed transactions: in a test wrapped in one transaction, the fixture's own pending
# on-commit batch (never run) would take these pks too.
pytestmark = pytest.mark.django_db(transaction=True)
PHRASE = "\"Tahrir is Arabic for liberation\""  # in tricky["hizb"] only


def _api(client, **params):
    return client.get("/api/search", params).json()


def _country_count(response, name):
    return {value["value"]: value["count"] for value in response["facets"]["country"]}.get(name, 0)


@pytest.fixture
def hizb(seeded_live):
    return Source.objects.get(slug="tricky-hizb")


def test_queryset_update_keeps_the_index_in_step(client, hizb):
    """QuerySet.update sends no post_save; unpublishing that way left the article in the
    index: the API said total 1 and showed no hit, facet counts disagreed with the hits."""
    source = hizb
    assert _api(client, q=PHRASE)["total"] == 1
    kyrgyzstan_before = _country_count(_api(client, q=MARKER), "Kyrgyzstan")
    assert Source.objects.filter(pk=source.pk).update(is_published=False) == 1
    found = _api(client, q=PHRASE)
    assert found["total"] == 0 and found["hits"] == []
    everything = _api(client, q=MARKER)
    assert everything["total"] == len(everything["hits"])
    assert source.slug not in {hit["slug"] for hit in everything["hits"]}
    assert _country_count(everything, "Kyrgyzstan") == kyrgyzstan_before - 1
    # The facet counts what the hits show.
    kyrgyz_hits = _api(client, q=MARKER, country="Kyrgyzstan")
    assert kyrgyz_hits["total"] == len(kyrgyz_hits["hits"]) == kyrgyzstan_before - 1
    Source.objects.filter(pk=source.pk).update(is_published=True)
    assert _api(client, q=PHRASE)["total"] == 1


def test_a_rolled_back_update_changes_nothing_in_the_index(client, hizb):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        Source.objects.filter(pk=hizb.pk).update(is_published=False)
        raise RuntimeError("rolled back")
    assert Source.objects.get(pk=hizb.pk).is_published
    assert _api(client, q=PHRASE)["total"] == 1


def test_admin_unpublish_action_keeps_the_index_in_step(admin_client, client, hizb):
    response = admin_client.post(
        "/admin/sources/source/", {"action": "unpublish", "_selected_action": [hizb.pk]}
    )
    assert response.status_code == 302
    assert _api(client, q=PHRASE)["total"] == 0
