"""Outlets as curated entities (sources/outlets.py, sources/admin.py) and the outlet facet:
a Source's outlet text is linked to the Outlet that has it as a name or other name, and
search counts and filters by the canonical name."""

import pytest
from django.urls import reverse

from sources.models import Outlet, Source
from sources.outlets import ensure_starter_outlets
from tests.factories import make_source
from tests.fixtures_search import rebuild_index

# Not transactional: a flush would drop the outlets the migration ships. The index is
# rebuilt where a test reads it after a change (on_commit indexing does not run here).
pytestmark = pytest.mark.django_db
RFERL = "Radio Free Europe/Radio Liberty"


@pytest.fixture(autouse=True)
def starter_outlets(db):
    """What the migration ships (a transactional test elsewhere may have flushed it)."""
    ensure_starter_outlets()


def outlet_facet(client, **params):
    data = client.get("/api/search", params).json()
    return {v["value"]: v["count"] for v in data["facets"]["outlet"]}, data["total"]


def test_other_names_link_to_the_canonical_outlet_and_new_names_become_outlets():
    short = make_source("One", outlet="RFE/RL")  # a shipped other name
    spaced = make_source("Two", outlet="  radio   free europe/radio liberty ")
    new = make_source("Three", outlet="Kloop")
    again = make_source("Four", outlet="KLOOP")
    assert short.outlet_entity.name == spaced.outlet_entity.name == RFERL
    assert new.outlet_entity == again.outlet_entity and new.outlet_entity.name == "Kloop"
    assert Outlet.objects.filter(name__iexact="kloop").count() == 1
    assert make_source("Five").outlet_entity is None


def test_the_importer_links_the_seeds_outlets(client, seeded):
    facet, _ = outlet_facet(client, q="")
    assert facet[RFERL] >= 1 and facet["The Times of Central Asia"] >= 1  # written RFE/RL and TCA
    assert "RFE/RL" not in facet and "TCA" not in facet


def test_facet_filters_repeat_or_within_and_count_apart_from_their_selection(client, fresh_index):
    make_source("Dam on the Vakhsh", outlet="RFE/RL", countries=["Tajikistan"])
    make_source("Dam finished", outlet="Asia Plus", countries=["Tajikistan"])
    make_source("Dam protest", outlet="Kloop", countries=["Kyrgyzstan"])
    make_source("Dam draft", outlet="Kloop", countries=["Tajikistan"], is_published=False)
    rebuild_index()
    facet, total = outlet_facet(client, q="dam")
    assert facet == {RFERL: 1, "Asia-Plus": 1, "Kloop": 1} and total == 3  # the draft never counts
    facet, total = outlet_facet(client, q="dam", outlet=[RFERL, "Kloop"])
    assert total == 2 and facet == {RFERL: 1, "Asia-Plus": 1, "Kloop": 1}  # ignores its own selection
    facet, total = outlet_facet(client, q="dam", outlet=["Kloop"], country=["Tajikistan"])
    assert total == 0 and facet == {RFERL: 1, "Asia-Plus": 1, "Kloop": 0}  # chosen, so listed
    html = client.get("/search/", {"q": "dam", "outlet": "Kloop"}).content.decode()
    assert 'data-facet="outlet"' in html and "Dam protest" in html and "Dam finished" not in html


def test_outlet_field_search_finds_the_written_and_the_canonical_name(client, fresh_index):
    make_source("Flood report", outlet="TCA")
    rebuild_index()
    for q in ("outlet:TCA", 'outlet:"Times of Central Asia"'):
        assert client.get("/api/search", {"q": q}).json()["total"] == 1, q


def test_a_curators_other_name_relinks_and_search_shows_it(admin_client, client, fresh_index):
    ozodi = make_source("Court in Dushanbe", outlet="Radio Ozodi")
    rebuild_index()
    rferl = Outlet.objects.get(name=RFERL)
    url = reverse("admin:sources_outlet_change", args=[rferl.pk])
    response = admin_client.post(url, {"name": RFERL, "aliases": rferl.aliases + "\nRadio Ozodi"})
    assert response.status_code == 302
    ozodi.refresh_from_db()
    assert ozodi.outlet_entity == rferl
    assert not Outlet.objects.filter(name="Radio Ozodi").exists()  # the outlet made from that name
    rebuild_index()
    facet, _ = outlet_facet(client, q="Dushanbe")
    assert facet == {RFERL: 1}


def test_admin_merge_moves_sources_and_keeps_the_names(admin_client, client, fresh_index):
    a = make_source("Osh market fire", outlet="Kloop.kg")
    b = make_source("Osh market rebuilt", outlet="Kloop")
    rebuild_index()
    keep, lose = a.outlet_entity, b.outlet_entity
    url = reverse("admin:sources_outlet_changelist")
    response = admin_client.post(url, {"action": "merge", "_selected_action": [keep.pk, lose.pk]})
    assert response.status_code == 200 and b"Merge" in response.content
    admin_client.post(url, {"action": "merge", "apply": "1", "survivor": keep.pk,
                            "_selected_action": [keep.pk, lose.pk]})
    assert not Outlet.objects.filter(pk=lose.pk).exists()
    keep.refresh_from_db()
    assert "Kloop" in keep.alias_list
    assert set(Source.objects.filter(pk__in=[a.pk, b.pk]).values_list("outlet_entity", flat=True)) == {keep.pk}
    rebuild_index()
    facet, _ = outlet_facet(client, q="Osh market")
    assert facet == {"Kloop.kg": 2}
    assert make_source("Later", outlet="kloop").outlet_entity == keep  # the name lives on


def test_editing_the_outlet_text_relinks_and_other_saves_leave_the_link():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    source = Source.objects.get(pk=make_source("Wire piece", outlet="Kloop").pk)  # as loaded
    source.title = "Wire piece, corrected"
    with CaptureQueriesContext(connection) as ran:
        source.save()
    assert ran.captured_queries and not [q for q in ran.captured_queries if "sources_outlet" in q["sql"]]
    source.outlet = "RFE/RL"
    source.save()
    assert Source.objects.get(pk=source.pk).outlet_entity.name == RFERL
