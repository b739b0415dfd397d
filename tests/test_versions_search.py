"""Versions in search, on the page and in the API (issue 16): a group is one result led by
its earliest published version; `collapse=0` lists every version; totals and facet counts
count what `counts` says; unpublished versions never show, count or lead.

The seeds and six reprints of seed 004 go through the real importer into a real index."""

import datetime
import io

import pytest
from django.core.management import call_command

from sources.models import Source, VersionMembership

from .reprint_kit import write_reprints

pytestmark = pytest.mark.django_db(transaction=True)

TRAILER_WORD = "Zarafshon"  # only in the "trailer" and "every" reprints
STORY_WORD = "Masharipov"  # in seed 004 and every reprint of it, in no other seed


@pytest.fixture
def archive(tmp_path, fresh_index):
    names = write_reprints(tmp_path / "in", of=("004",))
    call_command("import_sources", str(tmp_path / "in"), "--no-progress", stdout=io.StringIO())
    seed = Source.objects.get(source_file__startswith="004_")
    copies = {edit: Source.objects.get(source_file=name) for (_, edit), name in names.items()}
    return seed, copies


def api(client, **params):
    response = client.get("/api/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def slugs(data):
    return [hit["slug"] for hit in data["hits"]]


def listed(data):
    """Every article the answer names: hits and their versions."""
    return set(slugs(data)) | {v["slug"] for hit in data["hits"] for v in hit["versions"]}


def test_a_group_is_one_hit_led_by_its_first_version(client, archive):
    seed, copies = archive
    data = api(client, q=STORY_WORD)
    assert data["counts"] == "groups" and data["total"] == 1 and slugs(data) == [seed.slug]
    versions = data["hits"][0]["versions"]
    assert sorted(v["url"].rsplit("/", 2)[-2] for v in versions) == sorted(c.slug for c in copies.values())
    for version in versions:
        assert set(version) >= {"url", "title", "outlet", "published", "similarity"}
        assert 0.7 <= version["similarity"] <= 1.0  # Jaccard of word 5-grams; every edit at once: 0.78


def test_collapse_0_lists_every_version(client, archive):
    seed, copies = archive
    data = api(client, q=STORY_WORD, collapse="0")
    assert data["counts"] == "articles" and data["total"] == 7
    assert set(slugs(data)) == {seed.slug} | {c.slug for c in copies.values()}
    assert all(hit["versions"] == [] for hit in data["hits"])


def test_facet_counts_count_what_the_total_counts(client, archive):
    for collapse in ("1", "0"):
        data = api(client, q="Tajikistan", collapse=collapse)
        years = sum(v["count"] for v in data["facets"]["year"])  # one year value per article
        assert years == data["total"], collapse
    grouped, every = api(client, q="Tajikistan")["total"], api(client, q="Tajikistan", collapse="0")["total"]
    assert every - grouped == 6


def test_a_word_only_a_reprint_has_finds_the_group_led_by_its_leader(client, archive):
    """A journalist who searches a reprint's trailer finds the story once, under its first
    version, with the reprints listed; collapse=0 shows exactly the reprints that have it."""
    seed, copies = archive
    data = api(client, q=TRAILER_WORD)
    assert slugs(data) == [seed.slug] and data["total"] == 1
    assert api(client, q=f'"{TRAILER_WORD}" AND "Interior Ministry"')["total"] == 1
    every = api(client, q=TRAILER_WORD, collapse="0")
    assert set(slugs(every)) == {copies["trailer"].slug, copies["every"].slug}
    assert api(client, q=f"{STORY_WORD} -{TRAILER_WORD}")["total"] == 0  # the group has it
    assert api(client, q=f"{STORY_WORD} -{TRAILER_WORD}", collapse="0")["total"] == 5


def test_the_earliest_dated_published_version_leads(client, archive):
    seed, copies = archive
    early = copies["quotes"]
    early.published, early.date_precision = datetime.date(2016, 5, 1), "day"
    early.save()
    assert slugs(api(client, q=STORY_WORD)) == [early.slug]
    early.is_published = False
    early.save()
    data = api(client, q=STORY_WORD)
    assert slugs(data) == [seed.slug]
    assert early.slug not in listed(data)  # neither leads nor shows as a version
    assert len(data["hits"][0]["versions"]) == 5
    assert not VersionMembership.objects.get(source=early).leads


def test_an_unpublished_version_never_counts(client, archive):
    seed, copies = archive
    seed.is_published = False
    seed.save()
    data = api(client, q=STORY_WORD)
    assert data["total"] == 1 and seed.slug not in listed(data)
    assert len(data["hits"][0]["versions"]) == 5
    assert api(client, q=STORY_WORD, collapse="0")["total"] == 6
    detail = client.get(data["hits"][0]["url"]).content.decode()
    assert f"/sources/{seed.slug}/" not in detail
    record = client.get(f"/api/sources/{slugs(data)[0]}").json()
    assert seed.slug not in {v["slug"] for v in record["versions"]} and len(record["versions"]) == 5


def test_the_page_says_what_it_counts_and_lists_the_other_versions(client, archive):
    seed, copies = archive
    page = client.get("/search/", {"q": STORY_WORD}).content.decode()
    assert "6 other versions" in page
    assert "Reprints of one article are shown and counted once" in page
    assert "and count the reprints of one article once." in page  # by the filters' counts
    assert 'href="/search/?q=Masharipov&amp;collapse=0"' in page
    every = client.get("/search/", {"q": STORY_WORD, "collapse": "0"}).content.decode()
    assert "other versions" not in every and "Every version of an article is listed and counted" in every
    assert "count the reprints of one article once" not in every
    assert '<input type="hidden" name="collapse" value="0">' in every


def test_a_bad_collapse_value_is_a_400_and_a_notice(client, archive):
    response = client.get("/api/search", {"q": STORY_WORD, "collapse": "maybe"})
    assert response.status_code == 400 and "collapse must be 1" in response.json()["error"]
    page = client.get("/search/", {"q": STORY_WORD, "collapse": "maybe"})
    assert page.status_code == 400 and "collapse must be 1" in page.content.decode()


def test_the_article_page_and_api_list_versions_and_shared_passages(client, archive):
    seed, copies = archive
    quoting = Source.objects.get(source_file__startswith="000_")
    page = client.get(seed.get_absolute_url()).content.decode()
    assert "Also published as" in page and page.count("% the same text") == 6
    record = client.get(f"/api/sources/{seed.slug}").json()
    assert len(record["versions"]) == 6
    assert [p["slug"] for p in record["shares_passages_with"]] == [quoting.slug]
    quoting_record = client.get(f"/api/sources/{quoting.slug}").json()
    assert quoting_record["versions"] == []
    # 004 reprinted six times is one entry, not seven.
    [passage] = quoting_record["shares_passages_with"]
    assert passage["slug"] == seed.slug and 0.1 < passage["share"] < 0.2 and 0.15 < passage["their_share"] < 0.35
    quoting_page = client.get(quoting.get_absolute_url()).content.decode()
    assert "Shares passages with" in quoting_page and "Also published as" not in quoting_page


def test_exports_follow_the_collapse_of_the_search(client, archive):
    """CSV and Atom list what the page lists: the group's leader, or every version."""
    seed, copies = archive
    rows, every = (csv_rows(client, {"q": STORY_WORD, **extra}) for extra in ({}, {"collapse": "0"}))
    assert len(rows) == 1 + 1 and f"/sources/{seed.slug}/" in rows[1] and len(every) == 1 + 7
    for extra, entries in (({}, 1), ({"collapse": "0"}, 7)):
        feed = client.get("/search.atom", {"q": STORY_WORD, **extra})
        assert b"".join(getattr(feed, "streaming_content", [feed.content])).decode().count("<entry>") == entries


def csv_rows(client, params):
    response = client.get("/search.csv", params)
    return b"".join(response.streaming_content).decode().strip().splitlines()


def test_deleting_the_leader_hands_the_group_to_the_next(client, archive):
    seed, copies = archive
    seed.delete()
    data = api(client, q=STORY_WORD)
    assert data["total"] == 1 and len(data["hits"][0]["versions"]) == 5
    assert data["hits"][0]["slug"] == min(copies.values(), key=lambda s: s.pk).slug
