"""Read and process many files on every core, results in the files' order.

The pipeline is pure Python (no database), so files are parsed in worker processes and
only the storing stays in the calling process. Each worker receives the gazetteer once
(pool initializer) and builds its entity index once. At most a few chunks per worker are
in flight, so a slow consumer (the database) holds memory for a bounded number of
articles, not for the whole import.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections import deque

from . import entities, people
from .gazetteer import Gazetteer
from .html_page import Page
from .pipeline import Article, process, process_page
from .read import ReadError, is_web_archive, read_document
from .web_archive import ArchiveLoadFailed, parse_records, parse_web_archive, record_batches

# Fewer files than this are parsed in the calling process: starting workers costs more.
MIN_FILES_FOR_POOL = 50
CHUNK_SIZE = 8  # files per task
CHUNKS_IN_FLIGHT_PER_WORKER = 4


def parse_file(path, gazetteer: Gazetteer, max_bytes: int) -> tuple[list[Article], str | None]:
    """(articles, None), or ([], reason) when the file cannot be imported."""
    try:
        if is_web_archive(os.fspath(path)):
            articles = parse_web_archive(path, gazetteer, max_bytes)
        else:
            document = read_document(path, max_bytes=max_bytes)
            articles = process_page(document, gazetteer) if isinstance(document, Page) else process(document, gazetteer)
    except (ReadError, ArchiveLoadFailed, OSError) as exc:
        return [], str(exc)
    if not articles and not getattr(articles, "notes", None):
        return [], "no article text left after cleaning"
    return articles, None


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def work_count(paths) -> int:
    """Files to parse, a web archive counting as enough files for the pool by itself."""
    return sum(MIN_FILES_FOR_POOL if is_web_archive(os.fspath(path)) else 1 for path in paths)


def default_processes(file_count: int) -> int:
    """Worker processes for an import of `file_count` files (0: parse in this process)."""
    cpus = available_cpus()
    if cpus < 2 or file_count < MIN_FILES_FOR_POOL:
        return 0
    return cpus


# --- worker side --------------------------------------------------------------

_worker_gazetteer: Gazetteer | None = None
_worker_max_bytes = 0


def _prepare(gazetteer: Gazetteer) -> None:
    entities.prepare(gazetteer)
    people.prepare(gazetteer)


def _init_worker(gazetteer: Gazetteer, max_bytes: int) -> None:
    global _worker_gazetteer, _worker_max_bytes
    _worker_gazetteer, _worker_max_bytes = gazetteer, max_bytes
    _prepare(gazetteer)  # the entity indexes, once per worker (inherited when forked)
    # What exists now (modules, the index, all the parent had) lives as long as the worker:
    # frozen, the garbage collector's passes skip it and only walk what parsing allocates.
    gc.freeze()


def _parse_task(task):
    return _run_task(task, _worker_gazetteer, _worker_max_bytes)


# --- tasks: CHUNK_SIZE files, or a batch of one web archive's records ---------------

def _tasks(paths, max_bytes: int):
    files = []
    for path in paths:
        if not is_web_archive(os.fspath(path)):
            files.append(path)
            if len(files) == CHUNK_SIZE:
                yield ("files", files)
                files = []
            continue
        if files:
            yield ("files", files)
            files = []
        yield from _archive_tasks(path, max_bytes)
    if files:
        yield ("files", files)


def _archive_tasks(path, max_bytes: int):
    """The archive's record batches, read here (in order, so duplicates are known), parsed
    by the workers; a failure to read on is the archive's (what was read is kept)."""
    read_any = False
    try:
        for batch in record_batches(path, max_bytes):
            read_any = True
            yield ("records", path, batch)
    except (ArchiveLoadFailed, OSError) as exc:
        yield ("failed", path, str(exc))
        return
    if not read_any:
        yield ("failed", path, "no record in the web archive")


def _run_task(task, gazetteer: Gazetteer, max_bytes: int):
    """[(path, articles, reason)] of one task."""
    kind, *work = task
    if kind == "files":
        return [(path, *parse_file(path, gazetteer, max_bytes)) for path in work[0]]
    path, detail = work
    if kind == "records":
        return [(path, parse_records(detail, gazetteer, max_bytes), None)]
    return [(path, [], detail)]


# --- caller side --------------------------------------------------------------

def _context():
    # fork: workers start at once and inherit the imported modules; elsewhere the
    # platform's default (this module imports nothing that needs Django).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def parse_files(paths, gazetteer: Gazetteer, max_bytes: int, processes: int | None = None):
    """Yield (path, articles, reason) for every path, in order; a web archive's several
    times, once per batch of its records.

    `processes`: worker processes; None chooses from the CPUs and the number of files,
    0 parses in this process."""
    paths = list(paths)
    if processes is None:
        processes = default_processes(work_count(paths))
    tasks = _tasks(paths, max_bytes)
    if processes <= 0:
        for task in tasks:
            yield from _run_task(task, gazetteer, max_bytes)
        return
    context = _context()
    if context.get_start_method() == "fork":
        _prepare(gazetteer)  # once, here: forked workers inherit the indexes instead of each building them
    pool = context.Pool(processes, initializer=_init_worker, initargs=(gazetteer, max_bytes))
    try:
        pending = deque()
        limit = processes * CHUNKS_IN_FLIGHT_PER_WORKER
        while True:
            for task in itertools.islice(tasks, max(0, limit - len(pending))):
                pending.append(pool.apply_async(_parse_task, (task,)))
            if not pending:
                break
            yield from pending.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
