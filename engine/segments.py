"""Indexing many objects at once: worker processes write new Whoosh segments without the
write lock, and one commit swaps them in.

Used by `manage.py index build` (the whole index) and by a large index batch (an import's):

* the pks are split into contiguous ranges, one per worker process (forked); a worker
  asks the app's feed for its documents, prepared (``feed.prepare(pks)``), and writes
  them with its own unlocked writer (engine/writing.py) into one new segment, or
  several when its posting pool passes ``limitmb`` (as whoosh.multiproc does, without
  merging them again);
* the parent then takes the index's write lock once and writes ONE table of contents
  with the new segments: searches see the old index until that instant, then the new
  one, never an empty or half-indexed one;
* documents indexed while the workers ran (a curator's save) win over the workers'
  copies, which are deleted; with ``replace`` the old segments go, otherwise the older
  copies of every pk asked for are deleted from them;
* what changed after the workers read it is re-indexed or removed right after the
  swap by the app (``feed.after_swap``: the engine knows nothing of the app's models).

What the feed is: engine/extensions.py (DocumentFeed). Whoosh-only: it writes segments.
"""

import fcntl
import gc
import logging
import multiprocessing
import os
import shutil
import tempfile
import traceback

from django.utils import timezone
from haystack import connections
from haystack.constants import DJANGO_ID, ID
from haystack.utils import get_identifier
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.reading import SegmentReader
from whoosh.util import random_name

from .extensions import WorkerFailed
from .writing import ArchiveSegmentWriter

logger = logging.getLogger(__name__)

#: Documents asked of the feed at a time.
CHUNK = 500
#: Memory for each worker's posting pool before it starts another segment (~30 KB per
#: 600-word article: ~35,000 articles). At 100,000 articles: 4 segments, 331 articles/s;
#: with 2048, 2 segments but 284/s (the larger sorts cost more per posting), and
#: searches no faster within this machine's noise. Less on a small machine (below).
DEFAULT_LIMITMB = 1024
#: A worker's resident memory per MB of pool limit (1.4 GB at 1024: the documents
#: being prepared, the sort at commit).
WORKER_MB_PER_LIMITMB = 1.4


def default_limitmb(workers, memory_mb=None):
    """DEFAULT_LIMITMB, or less where ``workers`` such processes would take more than
    two thirds of the machine's memory (at least 64: smaller pools make many segments)."""
    if memory_mb is None:
        memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    fitting = int(memory_mb * 2 / 3 / workers / WORKER_MB_PER_LIMITMB)
    return max(64, min(DEFAULT_LIMITMB, fitting))


def index_in_segments(alias, index, pks, feed, replace=False, workers=None, limitmb=None, progress=None):
    """Index the objects ``pks`` of ``index``'s model (the documents ``feed`` prepares
    for them) into new segments and swap them in; returns (documents written, documents
    kept from saves meanwhile). ``progress(n)`` is called as the workers go."""
    backend = connections[alias].get_backend()
    backend.setup()
    workers = workers or os.cpu_count() or 1
    if limitmb is None:
        limitmb = default_limitmb(workers)
    started_at = timezone.now()
    before = {s.segid for s in backend.index.refresh()._read_toc().segments}
    remove_abandoned_builds(backend.storage.folder)
    # The workers write into a folder of their own: any commit in the index's folder
    # (a curator's save) deletes the segment files its table of contents does not list.
    build_dir = tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=backend.storage.folder)
    owner = _hold(build_dir)
    try:
        FileStorage(build_dir).create_index(backend.schema, indexname=backend.index.indexname)
        ranges = _split(sorted(pks), workers)
        feed.before_fork()
        segments, written = _run_workers(
            [(alias, feed, build_dir, chunk, limitmb) for chunk in ranges], progress
        )
        model = index.get_model()
        identifiers = [get_identifier(model(pk=pk)) for pk in pks]
        kept = _swap(backend, build_dir, segments, before, replace, identifiers)
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
        os.close(owner)
    catch_up(backend, feed, started_at)
    backend.drop_searcher()
    return written, kept


# --- the build folders -----------------------------------------------------------------

BUILD_PREFIX = "build-"
OWNER_LOCK = "owner.lock"


def _hold(build_dir):
    """Lock the build folder for as long as this process lives (the kernel drops the
    lock when it dies, however it dies); returns the descriptor to close when done."""
    # Locked under another name first: a lock file that exists is always held or orphaned.
    unlocked = os.path.join(build_dir, OWNER_LOCK + ".new")
    fd = os.open(unlocked, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.rename(unlocked, os.path.join(build_dir, OWNER_LOCK))
    return fd


def remove_abandoned_builds(index_folder):
    """Delete the build folders of builds that died (killed, out of memory, power cut):
    those whose owner lock nobody holds. Returns how many were removed."""
    removed = 0
    for name in os.listdir(index_folder):
        if not name.startswith(BUILD_PREFIX):
            continue
        try:
            fd = os.open(os.path.join(index_folder, name, OWNER_LOCK), os.O_RDWR)
        except (FileNotFoundError, NotADirectoryError):
            continue  # being set up, or just finished
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # its build is running
        finally:
            os.close(fd)
        shutil.rmtree(os.path.join(index_folder, name), ignore_errors=True)
        logger.warning("Removed %s, left by an index build that did not finish.", name)
        removed += 1
    return removed


def _split(pks, parts):
    size = -(-len(pks) // parts) if pks else 0
    return [pks[i : i + size] for i in range(0, len(pks), size)] if size else []


# --- the workers ------------------------------------------------------------------------

_done = None  # pks done by all workers, shared with the parent


def _run_workers(tasks, progress):
    global _done
    if not tasks:
        return [], 0
    context = multiprocessing.get_context("fork")
    _done = context.Value("q", 0)
    reported = 0
    with context.Pool(len(tasks)) as pool:
        pending = pool.map_async(_build_segments, tasks, chunksize=1)
        while True:
            pending.wait(0.5)
            if progress is not None and _done.value > reported:
                progress(_done.value - reported)
                reported = _done.value
            if pending.ready():
                break
        built = pending.get()
    segments = [segment for worker_segments, _ in built for segment in worker_segments]
    return segments, sum(count for _, count in built)


def _build_segments(task):
    try:
        return _write_segments(*task)
    except Exception:
        # Whoosh's exceptions do not always survive pickling back to the parent.
        raise WorkerFailed("an indexing worker failed:\n" + traceback.format_exc()) from None


def _write_segments(alias, feed, build_dir, pks, limitmb):
    """In a worker process: index these pks of one model into new segments."""
    backend = connections[alias].get_backend()
    backend.setup()
    # A storage whose temporary folders are this process's own: a Whoosh writer deletes
    # "<index>.tmp" when it finishes, which would pull the files from under the others.
    ix = _WorkerStorage(build_dir).open_index(backend.index.indexname)
    segments, count, writer = [], 0, None
    # Each chunk's model instances leave reference cycles (~60 objects per Source).
    # Collected once per chunk, without walking what the process held before (frozen),
    # instead of by gc's thresholds: ten full collections per 5,000 Sources, each
    # walking everything the worker holds.
    gc.disable()
    gc.freeze()
    try:
        for start in range(0, len(pks), CHUNK):
            gc.collect()
            docs = backend.whoosh_docs(feed.prepare(pks[start : start + CHUNK]))
            if writer is None and docs:
                writer = _new_writer(ix, backend)
            for doc in docs:
                writer.add_document(**doc)
            count += len(docs)
            with _done.get_lock():
                _done.value += len(pks[start : start + CHUNK])
            if writer is not None and writer.pool.memory_bytes() > limitmb * 2**20:
                segments.append(_finish(writer))
                writer = None
        if writer is not None:
            segments.append(_finish(writer))
            writer = None
    except BaseException:
        if writer is not None:
            writer.cancel()
        raise
    finally:
        gc.unfreeze()
        gc.enable()
    return segments, count


def _new_writer(ix, backend):
    writer = ArchiveSegmentWriter(ix, _lk=False)
    writer.schema = backend.schema  # the code's schema, also when the index's differs
    return writer


def _finish(writer):
    segment = writer._finalize_segment()
    writer._finish()
    return segment


class _WorkerStorage(FileStorage):
    def temp_storage(self, name=None):
        return super().temp_storage("build-%d-%s" % (os.getpid(), name or random_name()))


# --- the swap ---------------------------------------------------------------------------

def _swap(backend, build_dir, segments, before, replace, identifiers):
    """ONE table-of-contents commit under the write lock: the new segments (their files
    moved in from ``build_dir``), the segments written since the workers started (their
    documents win over the workers' copies), and, unless ``replace``, the older segments
    without the older copies of ``identifiers``. Returns the number of documents kept
    from those newer segments."""
    writer = backend._acquire_writer()
    try:
        _move_files(build_dir, writer.storage.folder, segments)
        since = [s for s in writer.segments if s.segid not in before]
        older = [] if replace else [s for s in writer.segments if s.segid in before]
        newer = set()
        for segment in since:
            newer.update(_identifiers_in(writer.storage, writer.schema, segment))
        _delete(writer.storage, backend.schema, segments, newer)
        _delete(writer.storage, writer.schema, older, identifiers)
        final = older + segments + since
        writer._close_segment()
        TOC(backend.schema, final, writer.generation).write(writer.storage, writer.indexname)
        clean_files(writer.storage, writer.indexname, writer.generation, final)
    finally:
        writer._finish()
    backend.index = backend.index.refresh()
    return sum(s.doc_count() for s in since)


def _move_files(source_dir, target_dir, segments):
    prefixes = tuple(segment.segment_id() + "." for segment in segments)
    for name in os.listdir(source_dir):
        if name.startswith(prefixes):
            os.replace(os.path.join(source_dir, name), os.path.join(target_dir, name))


def _identifiers_in(storage, schema, segment):
    reader = SegmentReader(storage, schema, segment)
    try:
        return {fields[ID] for docnum, fields in reader.iter_docs() if ID in fields}
    finally:
        reader.close()


def _delete(storage, schema, segments, identifiers):
    """Mark the documents with these identifiers deleted in these segments."""
    if not identifiers:
        return
    for segment in segments:
        reader = SegmentReader(storage, schema, segment)
        try:
            for identifier in identifiers:
                if (ID, identifier) in reader:
                    for docnum in reader.postings(ID, identifier).all_ids():
                        segment.delete_document(docnum)
        finally:
            reader.close()


def catch_up(backend, feed, started_at):
    """Hand the app what the index holds now, for what changed since ``started_at``
    (saved, unpublished or deleted while the workers ran): ``feed.after_swap``."""
    backend.drop_searcher()
    indexed = {fields.get(DJANGO_ID) for fields in backend.searcher().reader().all_stored_fields()}
    indexed.discard(None)
    feed.after_swap(started_at, indexed)
