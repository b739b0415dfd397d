"""Versions and shared passages found at import (issue 16), on reprints made from the
seeds (tests/reprint_kit.py) and read through the real importer."""

import io

import pytest
from django.core.management import call_command

from sources import importer, versions
from sources.ingest import reprints
from sources.models import Source, TextOverlap, VersionMembership

from .factories import make_source
from .reprint_kit import EDITS, seed_text, write_reprints

pytestmark = pytest.mark.django_db


def import_folder(folder):
    out = io.StringIO()
    call_command("import_sources", str(folder), "--no-progress", stdout=out)
    return out.getvalue()


def by_file(name):
    return Source.objects.get(source_file__endswith=name)


def group_of(source):
    membership = VersionMembership.objects.filter(source=source).first()
    return membership and membership.group_id


def members(group):
    return set(VersionMembership.objects.filter(group=group).values_list("source__source_file", flat=True))


@pytest.fixture
def reprinted(tmp_path, fresh_index):
    """The seeds and six reprints each of seeds 001 and 004, imported."""
    names = write_reprints(tmp_path / "in", of=("001", "004"))
    import_folder(tmp_path / "in")
    return names


@pytest.mark.parametrize("seed", ["001", "004"])
def test_every_kind_of_reprint_is_a_version_of_its_seed(reprinted, seed):
    original = Source.objects.get(source_file__startswith=f"{seed}_")
    group = group_of(original)
    assert group is not None
    expected = {original.source_file} | {reprinted[(seed, edit)] for edit in EDITS}
    assert members(group) == expected
    # All undated: the first imported (the seed) leads.
    assert VersionMembership.objects.get(group=group, leads=True).source == original


def test_seed_000_shares_a_passage_with_004_without_being_a_version(reprinted):
    quoting, quoted = by_file("000_98f0718d300371c8.txt"), by_file("004_86aeb1e33ae84fa6.txt")
    overlap = TextOverlap.objects.get(source_a=quoting, source_b=quoted)
    assert 0.1 < overlap.share_of(quoting.pk) < 0.2  # of 000's longer text
    assert 0.15 < overlap.share_of(quoted.pk) < 0.35  # "about a fifth" of 004
    assert group_of(quoting) is None


def test_the_seeds_on_the_same_topic_never_group(tmp_path, fresh_index):
    write_reprints(tmp_path / "in", of=())
    import_folder(tmp_path / "in")
    tajikistan = Source.objects.filter(text__icontains="Tajikistan")
    assert tajikistan.count() >= 5
    assert not VersionMembership.objects.exists()
    # What the seeds share is passages (000 quotes 004), never a version.
    assert all(not reprints.Overlap(0, o.share_a, o.share_b, o.similarity).is_version for o in TextOverlap.objects.all())


def test_reimporting_unchanged_files_changes_no_group(reprinted, tmp_path):
    before = sorted(VersionMembership.objects.values_list("source_id", "group_id", "leads"))
    import_folder(tmp_path / "in")
    assert sorted(VersionMembership.objects.values_list("source_id", "group_id", "leads")) == before


def test_a_reprint_rewritten_into_another_story_moves_to_that_storys_group(reprinted, tmp_path):
    name = reprinted[("004", "trailer")]
    group = group_of(by_file(name))
    # Same file, same position: the same Source, its text now a copy of seed 002's.
    (tmp_path / "in" / name).write_text(EDITS["trailer"](seed_text("002")), encoding="utf-8")
    assert "1 updated" in import_folder(tmp_path / "in")
    assert name not in members(group) and len(members(group)) == 6
    assert group_of(by_file(name)) == group_of(by_file("002_3e6cf650719795c0.txt")) is not None


def _halves():
    paragraphs = [p for p in seed_text("003").split("\n\n") if len(p) > 200][:20]
    cut = len(paragraphs) * 2 // 5
    return paragraphs, cut


def test_an_article_that_bridges_two_groups_makes_them_one():
    """Two groups: the first 60 % of a story (and a copy), the last 60 % (and a copy); they
    share 20 %, too little to be versions. The whole story is a version of both."""
    paragraphs, cut = _halves()
    head = "\n\n".join(paragraphs[: len(paragraphs) - cut])
    tail = "\n\n".join(paragraphs[cut:])
    made = [make_source("Head", head), make_source("Head again", head + "\n\nRead more."),
            make_source("Tail", tail), make_source("Tail again", tail + "\n\nRead more.")]
    versions.detect(s.pk for s in made)
    groups = {group_of(s) for s in made}
    assert len(groups) == 2
    whole = make_source("Whole", "\n\n".join(paragraphs))
    versions.detect([whole.pk])
    assert {group_of(s) for s in [*made, whole]} == {group_of(whole)} != {None}


def test_reextraction_detects_again(reprinted):
    reprint = by_file(reprinted[("004", "quotes")])
    group = group_of(reprint)
    Source.objects.filter(pk=reprint.pk).update(raw_text=EDITS["trailer"](seed_text("002")))
    reprint.refresh_from_db()
    assert importer.reextract(reprint, importer.gazetteer_from_db())
    assert group_of(reprint) != group
    assert group_of(reprint) == group_of(by_file("002_3e6cf650719795c0.txt")) is not None


def test_detect_versions_finds_what_was_stored_without_detection():
    """make_source stores without detection, like an archive imported before it existed."""
    text = seed_text("004")
    made = [make_source("Original", text), make_source("Copy", EDITS["every"](text)),
            make_source("Other", seed_text("001"))]
    assert not VersionMembership.objects.exists()
    out = io.StringIO()
    call_command("detect_versions", "--no-progress", stdout=out)
    assert group_of(made[0]) == group_of(made[1]) is not None
    assert group_of(made[2]) is None
    assert "2 articles in 1 version groups" in out.getvalue()


def test_shingles_ignore_case_punctuation_and_quotes():
    assert reprints.compare(
        reprints.shingles("“Quoted,” said the Minister — in Dushanbe’s hall today."),
        reprints.shingles('"quoted" said the minister - in dushanbe\'s hall today'),
    ).similarity == 1.0


def test_sentences_scattered_through_two_articles_are_no_shared_passage():
    """Five sentences of seed 004 spread through another text share many shingles but no
    passage: what stock sentences do in recombined texts, not what a quotation does."""
    sentences = [s for s in seed_text("004").replace("\n", " ").split(". ") if 12 < len(s.split()) <= 30][:5]
    filler = seed_text("002").split()
    scattered = " ".join(f"{' '.join(filler[i * 60:(i + 1) * 60])}. {sentence}." for i, sentence in enumerate(sentences))
    quoted = " ".join(filler[:300]) + " " + ". ".join(sentences) + ". " + " ".join(filler[300:600])
    original = reprints.Fingerprint.of(seed_text("004"))
    spread = reprints.compare(reprints.Fingerprint.of(scattered), original)
    assert spread.common >= reprints.MIN_PASSAGE_SHINGLES and not spread.is_shared_passage
    quote = reprints.compare(reprints.Fingerprint.of(quoted), original)
    assert quote.longest_run >= reprints.MIN_PASSAGE_RUN and quote.is_shared_passage and not quote.is_version


def test_candidates_are_the_likely_versions_and_passages_most_shared_first():
    common = {1: 30, 2: 3, 3: 5, 4: 1, 5: 2}
    key_counts = {1: 40, 2: 4, 3: 100, 4: 2, 5: 90}
    # 1: most keys; 3: a passage's worth; 2: three of its four keys (a short version);
    # 4: one key is chance; 5: two keys of 90 is neither.
    assert reprints.candidates(common, key_counts, own_keys=40) == [1, 3, 2]
    many = {other: reprints.MIN_PASSAGE_KEYS + other for other in range(30)}
    assert reprints.candidates(many, {}, own_keys=40) == list(range(29, 29 - reprints.MAX_CANDIDATES, -1))


def test_a_new_reprint_never_undoes_a_split():
    """A curator split B out of A's group; a new copy of B (a version of A too) may join
    B, but the two groups stay apart."""
    text = seed_text("004")
    a, b = make_source("A", text), make_source("B", EDITS["trailer"](text))
    versions.detect([a.pk, b.pk])
    assert group_of(a) == group_of(b)
    versions.split([b.pk])
    copy = make_source("Copy of B", EDITS["trailer"](text) + "\n\nOne more line.")
    versions.detect([copy.pk])
    assert group_of(a) != group_of(b) and group_of(copy) in (group_of(a), group_of(b))


def _words(seed, n=120):
    import random

    rng = random.Random(seed)
    return " ".join(rng.choice(("border", "guards", "river", "village", "market", "council", "winter",
                                "harvest", "road", "school", "doctor", "bridge", "water", "mayor"))
                    + str(rng.randrange(1000)) for _ in range(n))


@pytest.fixture(params=["alone", "in an import"])
def detection_scope(request):
    """Detection on its own, and inside an import, which remembers boilerplate keys."""
    if request.param == "alone":
        yield None
    else:
        with importer.import_context() as context:
            yield context


def test_a_boilerplate_key_stops_gaining_rows_and_still_versions_are_found(detection_scope):
    """A passage printed under every article (a site's footer) is boilerplate once more than
    MAX_KEY_POSTINGS articles hold its keys: its rows stop growing there, so that counting
    them costs the same at 100 articles as at 100,000; unchanged articles stay unchanged
    and a reprint beside the footer is still a version. The same whether or not an import
    remembers the keys it found boilerplate."""
    from collections import Counter

    from sources.models import PassageKey

    footer = _words("footer", 400)
    limit = reprints.MAX_KEY_POSTINGS
    made = [make_source(f"Story {n}", f"{_words(n)}\n\n{footer}") for n in range(limit + 10)]
    for source in made:  # one import batch each: the footer's rows would grow by one each time
        versions.detect([source.pk])
    footer_keys = set(reprints.keys(reprints.shingles(footer)).tolist())
    assert len(footer_keys) > 5
    rows = Counter(PassageKey.objects.filter(key__in=footer_keys).values_list("key", flat=True))
    assert max(rows.values()) == limit + 1
    assert PassageKey.objects.filter(source=made[-1]).count() < len(footer_keys)

    stored_before = set(PassageKey.objects.values_list("key", "source_id"))
    assert versions.detect([made[0].pk, made[-1].pk]) == set()  # unchanged: nothing redone
    assert set(PassageKey.objects.values_list("key", "source_id")) == stored_before

    reprint = make_source("Story again", f"{_words(limit + 9)}\n\n{footer}\n\nRead more.")
    versions.detect([reprint.pk])
    assert group_of(reprint) == group_of(made[-1]) is not None
    assert group_of(made[0]) is None
    if detection_scope is not None:
        assert footer_keys <= detection_scope.boilerplate_keys


def test_a_reprint_of_an_article_made_mostly_of_boilerplate_is_a_version(detection_scope):
    """An article of a few own sentences under a stock passage that became boilerplate
    after it was stored shares only its few rare keys with a later reprint: the share a
    candidate version needs is of the keys that can be shared (counted with the
    boilerplate ones, a reprint was never compared)."""
    footer = _words("footer", 400)
    own = _words("own", 50)
    original = make_source("Story", f"{own}\n\n{footer}")
    versions.detect([original.pk])  # stored with the footer's keys: not boilerplate yet
    for n in range(reprints.MAX_KEY_POSTINGS + 5):
        versions.detect([make_source(f"Other {n}", f"{_words(n)}\n\n{footer}").pk])
    footer_keys = set(reprints.keys(reprints.shingles(footer)).tolist())
    rare = set(reprints.keys(reprints.shingles(original.text)).tolist()) - footer_keys
    assert reprints.MIN_COMMON_KEYS <= len(rare) < reprints.MIN_PASSAGE_KEYS < len(footer_keys) / 2

    reprint = make_source("Story, reprinted", f"{own}\n\n{footer}")
    versions.detect([reprint.pk])
    assert group_of(reprint) == group_of(original) is not None


def test_a_key_an_updated_article_gave_up_is_no_longer_boilerplate_in_the_same_import():
    """An import remembers boilerplate keys, but not those of an article whose text it
    changes: when that article no longer holds the footer, the footer is back to
    MAX_KEY_POSTINGS holders, and the next article with it stores its rows, exactly as
    detection without the import's memory does."""
    from collections import Counter

    from sources.models import PassageKey

    footer = _words("footer", 400)
    limit = reprints.MAX_KEY_POSTINGS
    footer_keys = set(reprints.keys(reprints.shingles(footer)).tolist())
    with importer.import_context() as context:
        made = [make_source(f"Story {n}", f"{_words(n)}\n\n{footer}") for n in range(limit + 2)]
        for source in made:
            versions.detect([source.pk])
        assert footer_keys <= context.boilerplate_keys

        made[0].text = _words(0)  # a curator cut the footer
        made[0].save()
        versions.detect([made[0].pk])
        assert not footer_keys & context.boilerplate_keys

        late = make_source("Late story", f"{_words(limit + 2)}\n\n{footer}")
        versions.detect([late.pk])
        # What the import remembers of each Source's key count is the rows' own count.
        assert context.passage_key_counts == dict(
            Counter(PassageKey.objects.values_list("source_id", flat=True))
        )
    rows = Counter(PassageKey.objects.filter(key__in=footer_keys).values_list("key", flat=True))
    assert set(rows.values()) == {limit + 1}
    assert PassageKey.objects.filter(source=late, key__in=footer_keys).count() == len(footer_keys)


def test_the_shingles_an_import_brings_are_those_of_the_stored_text(tmp_path):
    """Detection at import takes a created Source's shingles from the pipeline instead of
    reading its text back: they must be the stored text's own."""
    write_reprints(tmp_path / "in", of=("004",))
    files, _refused = importer.find_files([tmp_path / "in"])
    with importer.import_context():
        stored = importer.import_files(files, importer.gazetteer_from_db(), processes=0)
        created = [o for _path, outcomes in stored for o in outcomes if o.status == importer.CREATED]
    assert len(created) >= len(files)  # a seed file may hold several articles
    for outcome in created:
        assert outcome.shingles == reprints.Fingerprint.of(Source.objects.get(pk=outcome.source_pk).text)


def test_an_import_compares_a_reprint_with_the_shingles_it_kept_of_the_original():
    """An import keeps the shingles of the Sources it detected last: a reprint's candidate
    among them is compared without reading its text again, with the same outcome."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with importer.import_context() as context:
        original = make_source("Story", seed_text("004"))
        versions.detect([original.pk])
        assert original.pk in context.recent_fingerprints
        reprint = make_source("Story, reprinted", seed_text("004") + "\n\nRead more at our site.")
        with CaptureQueriesContext(connection) as queries:
            versions.detect([reprint.pk], {reprint.pk: reprints.Fingerprint.of(reprint.text)})
    assert group_of(reprint) == group_of(original) is not None
    assert not [q for q in queries if '"text"' in q["sql"]]


def test_the_shingles_an_import_keeps_are_bounded_and_the_latest():
    from sources.import_context import RecentFingerprints

    kept = RecentFingerprints()
    for pk in range(RecentFingerprints.MAX_SOURCES + 5):
        kept[pk] = reprints.Fingerprint.of(f"text {pk}")
    assert len(kept) == RecentFingerprints.MAX_SOURCES and 4 not in kept and 5 in kept
    kept[5] = reprints.Fingerprint.of("detected again")  # now among the latest
    kept[-1] = reprints.Fingerprint.of("one more")
    assert len(kept) == RecentFingerprints.MAX_SOURCES and 5 in kept and 6 not in kept
