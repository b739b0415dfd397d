"""Several writers, readers during writes, a writer killed while holding the lock.

Whoosh allows one writer at a time; the Archive's backend waits for the write lock
instead of failing, and nothing (not even a delete) may be lost. Processes here are real
OS processes on the same database and the same index directory as the test.
"""

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections as db_connections
from django.http import QueryDict

from sources.models import Source

from .factories import make_source
from .serving import (
    PYTHON,
    ROOT,
    child_env,
    clear_index,
    index_pks,
    manage,
    script,
)

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 4
PER_WRITER = 6

WRITER = """
import time, uuid
from pathlib import Path
from sources.models import Source
go = Path({go!r})
while not go.exists():
    time.sleep(0.005)
made = []
for i in range({count}):
    made.append(Source.objects.create(
        title="Concurrent writer {tag} article %d zebracorn" % i,
        slug="concurrent-{tag}-%d-%s" % (i, uuid.uuid4().hex[:6]),
        text="Written by process {tag}, number %d. zebracorn" % i,
        raw_text="x", source_file="concurrent/{tag}.txt", position=i,
        fingerprint=uuid.uuid4().hex,
    ))
# An edit and a delete under contention too: neither may be lost.
made[1].title = "Edited by writer {tag} quagmirefix"
made[1].save()
made[0].delete()
print("ok", flush=True)
"""


def search_total(q=""):
    """Articles found, every version of a reprinted one counted (collapse=0): these tests
    count documents in the index. (Collapsed totals count stories: they may fall when a
    new article turns out to be a version of two and makes them one.)"""
    from sources.search import SearchQuery, search

    params = QueryDict(q, mutable=True)
    params["collapse"] = "0"
    return search(SearchQuery.from_params(params), per_page=10).total


def test_writers_in_several_processes_lose_nothing(tmp_path):
    clear_index()
    go = tmp_path / "go"
    procs = [
        script(WRITER.format(go=str(go), count=PER_WRITER, tag=f"w{n}")) for n in range(WRITERS)
    ]
    go.touch()  # all start at once
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert out.strip() == "ok"

    in_db = set(Source.objects.values_list("pk", flat=True))
    assert len(in_db) == WRITERS * (PER_WRITER - 1)
    assert index_pks() == in_db  # every save indexed, every delete removed
    assert search_total("q=zebracorn") == WRITERS * (PER_WRITER - 1)
    assert search_total("q=quagmirefix") == WRITERS


class Readers:
    """Threads searching all the time; each records the totals it saw, in order."""

    QUERIES = ("", "q=Kyrgyzstan", "q=terrorism&sort=newest", "country=Kazakhstan")

    def __init__(self, threads=3):
        self.stop = threading.Event()
        self.errors = []
        self.totals = {q: [] for q in self.QUERIES}
        self.lock = threading.Lock()
        self.count = 0
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(threads)]

    def run(self, n):
        seen = {q: [] for q in self.QUERIES}
        try:
            while not self.stop.is_set():
                for q in self.QUERIES:
                    seen[q].append(search_total(q))
                    with self.lock:
                        self.count += 1
        except Exception as exc:  # noqa: BLE001 - any error is the finding
            self.errors.append(repr(exc))
        finally:
            db_connections.close_all()
            with self.lock:
                for q in self.QUERIES:
                    self.totals[q].append(seen[q])

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=300)

    def reads(self):
        with self.lock:
            return self.count

    def wait_for_reads(self, more):
        """Let the readers go on for `more` further searches (or until one failed)."""
        target = self.reads() + more
        while self.reads() < target and not self.errors and any(
            t.is_alive() for t in self.threads
        ):
            time.sleep(0.05)


def monotone(run):
    return all(a <= b for a, b in zip(run, run[1:]))


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    """The seeds plus a generated corpus, so that an import takes a while."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [PYTHON, str(ROOT / "bench" / "generate.py"), "--docs", "150", "--out", str(out / "gen"),
         "--jobs", "1", "--quiet"],
        cwd=ROOT, check=True, timeout=600,
    )
    return out


def test_search_during_import_never_fails_and_counts_only_grow(corpus_dir):
    clear_index()
    with Readers() as readers:
        manage("import_sources", str(ROOT / "seeds"), str(corpus_dir / "gen"))
        # Keep reading a little after the import finished.
        readers.wait_for_reads(40)
    assert readers.errors == []
    for q, runs in readers.totals.items():
        for run in runs:
            assert monotone(run), (q, run)
    final = search_total()
    assert final == Source.objects.published().count() > 0
    assert readers.totals[""][0][-1] == final


@pytest.fixture
def imported(corpus_dir):
    clear_index()
    manage("import_sources", str(ROOT / "seeds"), str(corpus_dir / "gen"))
    total = Source.objects.published().count()
    assert search_total() == total > 0
    return total


def test_search_during_index_build_sees_consistent_counts(imported):
    before = {q: search_total(q) for q in Readers.QUERIES}
    with Readers() as readers:
        manage("index", "build")
        readers.wait_for_reads(40)
    assert readers.errors == []
    for q, runs in readers.totals.items():
        for run in runs:
            # A reader never sees the index empty or half built.
            assert set(run) <= {before[q]}, (q, sorted(set(run)))
    assert {q: search_total(q) for q in Readers.QUERIES} == before


def test_search_during_index_repair_counts_only_grow(imported):
    from .serving import backend

    removed = list(Source.objects.published().values_list("pk", flat=True)[:40])
    for pk in removed:
        backend().remove(f"sources.source.{pk}")
    assert search_total() == imported - len(removed)
    with Readers() as readers:
        proc = manage("index", "repair")
        assert "Consistent" in proc.stdout
        readers.wait_for_reads(40)
    assert readers.errors == []
    for q, runs in readers.totals.items():
        for run in runs:
            assert monotone(run), (q, run)
    assert search_total() == imported


HOLDER = """
import time
from pathlib import Path
from haystack import connections
backend = connections["default"].get_backend()
backend.setup()
writer = backend.index.writer()
print("locked", flush=True)
release = Path({release!r})
while not release.exists():
    time.sleep(0.01)
writer.commit()
print("released", flush=True)
"""


def start_holder(release):
    holder = script(HOLDER.format(release=str(release)))
    line = holder.stdout.readline()
    assert line.strip() == "locked", holder.stderr.read()
    return holder


def test_a_writer_killed_while_holding_the_lock_does_not_block_the_next(tmp_path):
    clear_index()
    holder = start_holder(tmp_path / "never")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    index_dir = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    assert any("WRITELOCK" in p.name for p in index_dir.iterdir())  # the lock file is left
    source = make_source("Written after a crash")
    assert source.pk in index_pks()
    source.delete()
    assert source.pk not in index_pks()


def test_writes_wait_for_the_lock_and_are_not_lost(tmp_path):
    clear_index()
    keep = make_source("Kept article")
    doomed = make_source("Article to delete")
    assert index_pks() == {keep.pk, doomed.pk}

    release = tmp_path / "release"
    holder = start_holder(release)
    outcome = {}

    def write():
        try:
            outcome["new"] = make_source("Saved while the index was locked")
            Source.objects.get(pk=doomed.pk).delete()
            keep.title = "Kept article, edited while locked"
            keep.save()
            outcome["ok"] = True
        except Exception as exc:  # noqa: BLE001
            outcome["error"] = repr(exc)
        finally:
            db_connections.close_all()

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(timeout=1.0)
    # The save is waiting for the lock, not failing.
    assert writer.is_alive() and "error" not in outcome
    release.touch()
    assert holder.stdout.readline().strip() == "released"
    holder.wait(timeout=120)
    writer.join(timeout=300)
    assert outcome.get("ok"), outcome
    assert index_pks() == {keep.pk, outcome["new"].pk}
    assert search_total("q=edited") == 1


def test_an_import_killed_half_way_leaves_nothing_half_stored(corpus_dir):
    clear_index()
    proc = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "import_sources", "--jobs", "0", str(corpus_dir / "gen")],
        cwd=ROOT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while Source.objects.count() < 20 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored = Source.objects.count()
    assert 0 < stored < 150, "the import was not killed half-way"

    # Every Source stored before the kill is complete (its article, countries,
    # organisations and years in one transaction): the second run finds nothing to update.
    out = manage("import_sources", str(corpus_dir / "gen")).stdout
    assert f"{stored} unchanged" in out and "0 updated" in out and "0 failed" in out, out
    assert Source.objects.count() == 150

    # The killed run never reached its index batch: the re-run indexed what it had stored.
    assert search_total() == Source.objects.published().count() == 150
    assert manage("index", "check").returncode == 0
