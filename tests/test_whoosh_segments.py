"""Many Sources indexed at once by worker processes writing new segments
(engine/segments.py), as an import's index batch and `index build` do.

The workers are forked and read the committed database: transactional tests.
"""

import multiprocessing
import os
import tempfile

import pytest
from django.utils import timezone
from haystack import connections

from sources import search as svc
from sources import indexing, signals
from sources.indexing import SourceFeed
from engine import segments as whoosh_segments
from sources.models import Source
from tests.fixtures_search import make_tricky

pytestmark = pytest.mark.django_db(transaction=True)


def spec(i, word):
    return dict(
        title=f"Report {i} about {word}",
        outlet="Reuters",
        author="",
        published=None,
        date_precision="unknown",
        text=f"Security forces met {word} officials. Item {i}.",
        countries=["Syria"] if i % 2 else ["Iraq"],
        organisations=["Islamic State"] if i % 3 == 0 else [],
        years=[2010 + i % 3],
    )


def total(q):
    return svc.search(svc.SearchQuery(q=q)).total


def stored_ids(backend):
    backend.drop_searcher()
    return sorted(int(f["django_id"]) for f in backend.searcher().reader().all_stored_fields())


@pytest.fixture
def sources(fresh_index):
    made = [make_tricky(f"seg{i}", spec(i, "wombat"), slug=f"seg-{i}") for i in range(12)]
    signals.reindex_sources([s.pk for s in made], many=False)
    assert total('"about wombat"') == 12
    return made


def test_many_pks_replace_their_older_copies_and_drop_unpublished(sources, fresh_index, monkeypatch):
    monkeypatch.setattr(indexing, "INDEX_MANY_MIN", 5)
    renamed, unpublished = sources[:3], sources[3:5]
    Source.objects.filter(pk__in=[s.pk for s in renamed]).update(title="Report about a quokka")
    Source.objects.filter(pk__in=[s.pk for s in unpublished]).update(is_published=False)
    segments_before = len(fresh_index.index.refresh()._read_toc().segments)

    signals.reindex_sources([s.pk for s in sources])

    toc = fresh_index.index.refresh()._read_toc()
    assert len(toc.segments) > segments_before  # written by the workers, not one writer
    assert stored_ids(fresh_index) == sorted(s.pk for s in sources[:3] + sources[5:])
    assert total("quokka") == 3
    assert total('"about wombat"') == 7  # the old titles are gone
    assert total("wombat") == 10


def test_saves_while_the_workers_run_win(sources, fresh_index, monkeypatch):
    """A curator's save indexed while the workers ran is kept over the workers' copy;
    an unpublish is caught up after the swap."""
    monkeypatch.setattr(indexing, "INDEX_MANY_MIN", 5)
    edited, withdrawn = sources[0], sources[1]
    run_workers = whoosh_segments._run_workers

    def workers_then_saves(tasks, progress):
        built = run_workers(tasks, progress)
        Source.objects.filter(pk=edited.pk).update(title="Report about a numbat")
        signals.reindex_sources([edited.pk], many=False)  # a save: its own segment
        Source.objects.filter(pk=withdrawn.pk).update(is_published=False, updated=timezone.now())
        signals.reindex_sources([withdrawn.pk], many=False)  # removes the old copy only
        return built

    monkeypatch.setattr(whoosh_segments, "_run_workers", workers_then_saves)
    signals.reindex_sources([s.pk for s in sources])

    assert stored_ids(fresh_index) == sorted(s.pk for s in sources if s.pk != withdrawn.pk)
    assert total('"about numbat"') == 1
    assert total('"about wombat"') == 10


def test_progress_counts_every_pk(sources, fresh_index, monkeypatch):
    monkeypatch.setattr(indexing, "INDEX_MANY_MIN", 5)
    done = []
    signals.reindex_sources([s.pk for s in sources], progress=done.append)
    assert sum(done) == len(sources)


def test_a_worker_past_its_memory_limit_starts_another_segment(sources, fresh_index, monkeypatch):
    monkeypatch.setattr(whoosh_segments, "CHUNK", 3)
    written, kept = whoosh_segments.index_in_segments(
        "default", fresh_index._unified_index().get_index(Source), [s.pk for s in sources],
        SourceFeed("default"), replace=True, workers=2, limitmb=0,
    )
    assert (written, kept) == (12, 0)
    toc = fresh_index.index.refresh()._read_toc()
    assert len(toc.segments) == 4  # 2 workers x 6 pks, a segment per 3
    assert stored_ids(fresh_index) == sorted(s.pk for s in sources)
    assert total('"about wombat"') == 12


def test_an_index_in_memory_is_left_to_the_batch_path(sources):
    from engine.backend import ArchiveWhooshSearchBackend

    in_memory = ArchiveWhooshSearchBackend("default", STORAGE="ram", PATH="unused")
    index = in_memory._unified_index().get_index(Source)
    assert in_memory.index_many(index, [s.pk for s in sources], SourceFeed("default")) is False


def _start_build_and_die(index_folder):
    build_dir = tempfile.mkdtemp(prefix=whoosh_segments.BUILD_PREFIX, dir=index_folder)
    whoosh_segments._hold(build_dir)
    open(os.path.join(build_dir, "_MAIN_1.seg"), "w").close()
    os._exit(0)  # as a killed build: nothing cleaned up


def _start_build_and_wait(index_folder, started, finish):
    build_dir = tempfile.mkdtemp(prefix=whoosh_segments.BUILD_PREFIX, dir=index_folder)
    whoosh_segments._hold(build_dir)
    started.set()
    finish.wait(30)


def build_folders(folder):
    return sorted(name for name in os.listdir(folder) if name.startswith(whoosh_segments.BUILD_PREFIX))


def test_a_dead_builds_folder_is_removed_and_a_running_ones_kept(tmp_path):
    fork = multiprocessing.get_context("fork")
    dead = fork.Process(target=_start_build_and_die, args=(str(tmp_path),))
    dead.start()
    dead.join()
    left_over = build_folders(tmp_path)
    assert len(left_over) == 1

    started, finish = fork.Event(), fork.Event()
    running = fork.Process(target=_start_build_and_wait, args=(str(tmp_path), started, finish))
    running.start()
    try:
        assert started.wait(30)
        assert whoosh_segments.remove_abandoned_builds(str(tmp_path)) == 1
        remaining = build_folders(tmp_path)
        assert len(remaining) == 1 and remaining != left_over
    finally:
        finish.set()
        running.join()
    assert whoosh_segments.remove_abandoned_builds(str(tmp_path)) == 1  # its owner is gone now
    assert build_folders(tmp_path) == []


def test_an_index_batch_clears_what_a_killed_build_left(sources, fresh_index, monkeypatch):
    monkeypatch.setattr(indexing, "INDEX_MANY_MIN", 5)
    folder = fresh_index.storage.folder
    dead = multiprocessing.get_context("fork").Process(target=_start_build_and_die, args=(folder,))
    dead.start()
    dead.join()
    assert len(build_folders(folder)) == 1

    signals.reindex_sources([s.pk for s in sources])

    assert build_folders(folder) == []
    assert total('"about wombat"') == 12


def test_workers_pools_fit_the_machines_memory():
    assert whoosh_segments.default_limitmb(2, memory_mb=24 * 1024) == whoosh_segments.DEFAULT_LIMITMB
    small = whoosh_segments.default_limitmb(4, memory_mb=4096)
    assert 4 * small * whoosh_segments.WORKER_MB_PER_LIMITMB <= 4096 * 2 / 3
    assert small > 400
    assert whoosh_segments.default_limitmb(8, memory_mb=512) == 64
    assert whoosh_segments.default_limitmb(2) <= whoosh_segments.DEFAULT_LIMITMB


def test_a_stock_haystack_backend_gets_update_and_remove(sources, monkeypatch):
    """Without the declared extension interface the app uses haystack's API only
    (however many pks: no index_many, no apply_batches)."""
    from haystack.backends.simple_backend import SimpleSearchBackend

    from engine.extensions import ArchiveEngineExtension

    class Stock(SimpleSearchBackend):
        """haystack's simple backend, recording what it is asked to write."""

        updated, removed = [], []

        def update(self, index, iterable, commit=True):
            self.updated.extend(obj.pk for obj in iterable)

        def remove(self, obj_or_string, commit=True):
            self.removed.append(obj_or_string)

    monkeypatch.setattr(indexing, "INDEX_MANY_MIN", 5)
    monkeypatch.setattr(indexing, "BATCH_SIZE", 5)
    stock = Stock("default")
    ours = connections["default"].get_backend()
    assert not isinstance(stock, ArchiveEngineExtension)
    assert isinstance(ours, ArchiveEngineExtension)
    Source.objects.filter(pk=sources[0].pk).update(is_published=False)
    index = ours._unified_index().get_index(Source)
    indexing._index_pks(stock, index, "default", {s.pk for s in sources}, None, True)
    assert sorted(stock.updated) == sorted(s.pk for s in sources[1:])
    assert stock.removed == ["sources.source.%d" % sources[0].pk]


def test_schema_matches_tells_an_index_written_with_another_schema(tmp_path):
    from whoosh.fields import ID as WHOOSH_ID, Schema

    from engine.backend import ArchiveWhooshSearchBackend

    backend = ArchiveWhooshSearchBackend("default", PATH=str(tmp_path / "index"))
    assert backend.schema_matches() is True  # setup() created it with the code's schema
    backend.storage.create_index(Schema(title=WHOOSH_ID(stored=True)))
    assert backend.schema_matches() is False
