"""Curators split a version out of its group and join groups in the admin (issue 16);
their decisions survive re-import and re-detection."""

import io

import pytest
from django.core.management import call_command

from sources.models import Source, VersionMembership

from .reprint_kit import write_reprints

pytestmark = pytest.mark.django_db(transaction=True)

CHANGELIST = "/admin/sources/source/"
STORY_WORD = "Masharipov"  # seed 004 and its reprints only


def import_folder(folder):
    out = io.StringIO()
    call_command("import_sources", str(folder), "--no-progress", stdout=out)
    return out.getvalue()


def redetect():
    call_command("detect_versions", "--no-progress", stdout=io.StringIO())


def group_of(source):
    membership = VersionMembership.objects.filter(source=source).first()
    return membership and membership.group_id


def mates(source):
    group = group_of(source)
    return set(VersionMembership.objects.filter(group=group).values_list("source_id", flat=True)) if group else set()


@pytest.fixture
def archive(tmp_path, fresh_index):
    names = write_reprints(tmp_path / "in", of=("001", "004"))
    import_folder(tmp_path / "in")
    files = {key: Source.objects.get(source_file=name) for key, name in names.items()}
    for seed in ("001", "004"):
        files[(seed, "seed")] = Source.objects.get(source_file__startswith=f"{seed}_")
    return tmp_path / "in", names, files


def collapsed_total(client, q):
    return client.get("/api/search", {"q": q}).json()["total"]


def test_a_split_version_stands_alone_through_reimport_and_redetection(admin_client, client, archive):
    folder, names, files = archive
    split_out, seed = files[("004", "outlet")], files[("004", "seed")]
    assert split_out.pk in mates(seed) and collapsed_total(client, STORY_WORD) == 1

    response = admin_client.post(CHANGELIST, {"action": "split_versions", "_selected_action": [split_out.pk]}, follow=True)
    assert "1 Source(s) split out of their version groups" in response.content.decode()
    assert mates(split_out) == {split_out.pk} and len(mates(seed)) == 6
    assert collapsed_total(client, STORY_WORD) == 2

    # Its file changes (a re-import updates it and detects again), then everything is re-detected.
    path = folder / names[("004", "outlet")]
    path.write_text(path.read_text(encoding="utf-8") + "\n\nA correction was added.\n", encoding="utf-8")
    assert "1 updated" in import_folder(folder)
    redetect()
    assert mates(split_out) == {split_out.pk} and len(mates(seed)) == 6
    assert collapsed_total(client, STORY_WORD) == 2


def test_joined_groups_stay_one_through_redetection(admin_client, client, archive):
    _folder, _names, files = archive
    one, other = files[("001", "seed")], files[("004", "seed")]
    assert group_of(one) != group_of(other)
    response = admin_client.post(CHANGELIST, {"action": "join_versions", "_selected_action": [one.pk, other.pk]}, follow=True)
    assert "2 Source(s) joined as versions of one article" in response.content.decode()
    assert mates(one) == mates(other) and len(mates(one)) == 14
    redetect()
    assert mates(one) == mates(other) and len(mates(one)) == 14
    # Both stories are one result now, led by the first imported (001).
    data = client.get("/api/search", {"q": f"{STORY_WORD} OR Medetbekov"}).json()
    assert [hit["slug"] for hit in data["hits"]] == [one.slug] and len(data["hits"][0]["versions"]) == 13


def test_joining_fewer_than_two_says_so(admin_client, archive):
    _folder, _names, files = archive
    only = files[("001", "seed")]
    before = mates(only)
    response = admin_client.post(CHANGELIST, {"action": "join_versions", "_selected_action": [only.pk]}, follow=True)
    assert "Select two Sources or more to join." in response.content.decode()
    assert mates(only) == before


def test_the_change_page_lists_the_versions_escaped(admin_client, archive):
    _folder, _names, files = archive
    seed = files[("004", "seed")]
    copy = files[("004", "quotes")]
    Source.objects.filter(pk=copy.pk).update(title="<b>Bold</b> copy")
    page = admin_client.get(f"{CHANGELIST}{seed.pk}/change/").content.decode()
    assert "Versions of this article" in page and " · leads" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; copy" in page and "<b>Bold</b> copy" not in page


def test_unpublishing_the_leader_in_bulk_hands_the_group_to_the_next(admin_client, client, archive):
    _folder, _names, files = archive
    seed = files[("004", "seed")]
    admin_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [seed.pk]})
    data = client.get("/api/search", {"q": STORY_WORD}).json()
    assert data["total"] == 1 and data["hits"][0]["slug"] != seed.slug
    assert seed.slug not in {v["slug"] for v in data["hits"][0]["versions"]} and len(data["hits"][0]["versions"]) == 5
