"""import_sources with files parsed in worker processes, and the import's look-up tables.

The parallel path must give exactly what the sequential one gives: same Sources, same
slugs, same mentions, same summary and failures, in the files' order."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sources import importer
from sources.ingest import parallel
from sources.ingest.gazetteer import load_default_gazetteer
from sources.models import Source
from tests.test_import_command import run_import

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Seeds, 60 generated articles, a duplicate under another name and two bad files."""
    out = tmp_path_factory.mktemp("parallel-corpus")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--docs", "60", "--out", str(out / "gen"),
         "--jobs", "1", "--quiet", "--seed", "7"],
        cwd=ROOT, check=True, timeout=600,
    )
    for seed in SEEDS.iterdir():
        shutil.copy(seed, out / seed.name)
    shutil.copy(SEEDS / sorted(p.name for p in SEEDS.iterdir())[0], out / "zz_same_text_other_name.txt")
    (out / "empty.txt").write_bytes(b"")
    (out / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return out


def without_timings(out):
    return "\n".join(line for line in out.splitlines() if not line.startswith("Read and stored in "))


def snapshot():
    return [
        (
            s.source_file, s.position, s.slug, s.title, s.fingerprint, s.text,
            sorted(s.countrymention_set.values_list("country__code", "mentions")),
            sorted(s.organisationmention_set.values_list("organisation__name", "mentions")),
            sorted(s.mentioned_years.values_list("year", "mentions")),
        )
        for s in Source.objects.order_by("pk")
    ]


def test_parse_files_in_workers_equals_parsing_here_in_order(corpus):
    files, _ = importer.find_files([corpus])
    assert len(files) > parallel.MIN_FILES_FOR_POOL
    gazetteer = load_default_gazetteer()
    here = list(parallel.parse_files(files, gazetteer, 5 * 1024 * 1024, processes=0))
    workers = list(parallel.parse_files(files, gazetteer, 5 * 1024 * 1024, processes=2))
    assert [path for path, _, _ in workers] == files
    assert workers == here
    reasons = {path.name: reason for path, _, reason in workers if reason}
    assert reasons == {"empty.txt": "empty file", "image.txt": "binary file (PNG image)"}


def test_default_uses_workers_only_for_enough_files(monkeypatch):
    monkeypatch.setattr(parallel, "available_cpus", lambda: 2)
    assert parallel.default_processes(parallel.MIN_FILES_FOR_POOL - 1) == 0
    assert parallel.default_processes(parallel.MIN_FILES_FOR_POOL) == 2
    monkeypatch.setattr(parallel, "available_cpus", lambda: 1)
    assert parallel.default_processes(10_000) == 0


def test_parallel_import_equals_sequential_import(corpus):
    out_parallel, status_parallel = run_import(corpus, "--jobs", "2")
    parallel_rows = snapshot()
    Source.objects.all().delete()
    out_sequential, status_sequential = run_import(corpus, "--jobs", "0")
    assert snapshot() == parallel_rows
    assert without_timings(out_parallel) == without_timings(out_sequential)
    assert re.search(r"^Read and stored in [\d.]+ s \(\d+/s\), indexed 70 in [\d.]+ s", out_parallel, re.M)
    assert status_parallel == status_sequential == 1  # the two bad files
    assert "2 failed" in out_parallel and "empty.txt: empty file" in out_parallel
    # The same text under two names is one Source.
    assert "1 unchanged" in out_parallel


def test_parallel_reimport_is_idempotent(corpus):
    run_import(corpus, "--jobs", "2")
    before = snapshot()
    out, status = run_import(corpus, "--jobs", "2")
    assert status == 1
    assert " 0 created, 0 updated, " in out
    assert snapshot() == before


def test_rows_written_by_someone_else_during_the_import_are_found(tmp_path):
    """The context's snapshot misses a Source created after it was loaded: the unique
    constraint catches it and the article is stored again with database look-ups."""
    story = (SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]).read_text(encoding="utf-8")
    path = tmp_path / "story.txt"
    path.write_text(story, encoding="utf-8")
    gazetteer = importer.gazetteer_from_db()
    with importer.import_context():
        # Meanwhile another import stores the same article (without this context).
        with importer.without_context():
            assert [o.status for o in importer.import_file(path, gazetteer)] == [importer.CREATED]
        outcomes = importer.import_file(tmp_path / "story.txt", gazetteer)
    assert [o.status for o in outcomes] == [importer.UNCHANGED]
    assert Source.objects.count() == 1


def test_slug_taken_during_the_import_gets_a_suffix(tmp_path):
    story = (SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]).read_text(encoding="utf-8")
    (tmp_path / "story.txt").write_text(story, encoding="utf-8")
    gazetteer = importer.gazetteer_from_db()
    articles, _ = parallel.parse_file(tmp_path / "story.txt", gazetteer, 5 * 1024 * 1024)
    with importer.import_context():
        with importer.without_context():
            expected_slug = importer.unique_slug(articles[0].title)
            Source.objects.create(title="Other", slug=expected_slug, fingerprint="x" * 64, text="t", raw_text="t")
        outcomes = importer.import_file(tmp_path / "story.txt", gazetteer)
    assert [o.status for o in outcomes] == [importer.CREATED]
    source = Source.objects.get(source_file="story.txt")
    assert source.slug == f"{expected_slug}-2"
