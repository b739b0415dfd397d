"""Index marks (sources/index_marks.py): a Source changed in a committed transaction whose
index write never ran (the process was killed in between) is indexed by the next import
or `index catch-up`, without a full rebuild; a change made while it is being indexed
keeps its mark."""

import signal
import subprocess
import time

import pytest

from sources import index_marks
from sources.models import IndexMark, Source

from .factories import make_source
from .serving import PYTHON, ROOT, child_env, clear_index, manage
from .test_concurrency import search_total

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLES = 300
NEW_WORD = "zanzibarupdate"


@pytest.fixture
def imported_corpus(tmp_path):
    subprocess.run(
        [PYTHON, str(ROOT / "bench" / "generate.py"), "--docs", str(ARTICLES), "--out", str(tmp_path / "gen"),
         "--jobs", "1", "--quiet"],
        cwd=ROOT, check=True, timeout=600,
    )
    clear_index()
    manage("import_sources", "--no-progress", str(tmp_path / "gen"))
    assert search_total() == Source.objects.published().count() == ARTICLES
    return tmp_path / "gen"


def updated_in_database():
    return Source.objects.filter(text__contains=NEW_WORD).count()


def correct(paths):
    for path in paths:
        path.write_text(path.read_text(encoding="utf-8") + f"\nA late correction: {NEW_WORD}.\n", encoding="utf-8")


def import_killed_while_storing(folder):
    """Import ``folder`` in a process killed once its first updates are committed
    (FILES_PER_TRANSACTION files per commit): its index batch, which runs after the last
    file, never ran. Returns the number of updated Sources it stored."""
    proc = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "import_sources", "--jobs", "0", "--no-progress", str(folder)],
        cwd=ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while updated_in_database() == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return updated_in_database()


def test_an_import_killed_after_storing_updates_leaves_nothing_stale_after_the_next(imported_corpus):
    correct(sorted(imported_corpus.rglob("*.txt")))
    stored = import_killed_while_storing(imported_corpus)
    assert 0 < stored < ARTICLES, "the import was not killed while storing"
    assert search_total(f"q={NEW_WORD}") == 0  # the index still holds the old texts

    # The re-run finds those files unchanged, and indexes them all the same.
    out = manage("import_sources", "--no-progress", str(imported_corpus)).stdout
    assert f"{stored} unchanged" in out and f"{ARTICLES - stored} updated" in out, out
    assert f"indexed {ARTICLES} in" in out and f"{stored} of them left unindexed by an earlier run" in out
    assert search_total(f"q={NEW_WORD}") == ARTICLES
    assert manage("index", "check", check=False).returncode == 0
    assert IndexMark.objects.count() == 0


def test_catch_up_after_a_killed_import_indexes_only_what_it_stored(imported_corpus):
    first = sorted(imported_corpus.rglob("*.txt"))[:60]
    correct(first)
    stored = import_killed_while_storing(imported_corpus)
    assert 0 < stored <= len(first)

    out = manage("index", "catch-up", "--no-progress").stdout
    # Only the marked Sources: no full rebuild.
    assert f"0 missing, {stored} marked as changed, 0 extra; {stored} Sources indexed" in out, out
    assert search_total(f"q={NEW_WORD}") == stored
    assert manage("index", "check", check=False).returncode == 0


def test_a_change_made_while_indexing_keeps_its_mark():
    source = make_source("Marked while indexed")  # indexed on commit: no mark left
    assert IndexMark.objects.count() == 0
    index_marks.mark([source.pk])
    read = index_marks.read([source.pk])  # what an index batch reads before the Source
    index_marks.mark([source.pk])  # a save commits meanwhile
    index_marks.clear(read)  # the batch's index commit
    assert index_marks.marked() == {source.pk}
    index_marks.clear(index_marks.read([source.pk]))
    assert index_marks.marked() == set()


def test_clearing_many_marks_of_many_changes():
    """Marks of several changes (tokens) cleared in few statements, each only with its token."""
    pks = list(range(10_000, 11_300))
    for start in range(0, len(pks), 3):  # 434 changes of up to three Sources each
        index_marks.mark(pks[start : start + 3])
    read = index_marks.read(pks)
    assert len(read) == len(pks) and len(set(read.values())) == 434
    index_marks.mark(pks[:2])  # changed again meanwhile
    index_marks.clear(read)
    assert index_marks.marked() == set(pks[:2])
