"""Read and process many files on every core, results in the files' order.

The pipeline is pure Python (no database), so files are parsed in worker processes and
only the storing stays in the calling process. Each worker receives the gazetteer once
(pool initializer) and builds its entity index once. At most a few chunks per worker are
in flight, so a slow consumer (the database) holds memory for a bounded number of
articles, not for the whole import.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque

from .entities import prepare
from .gazetteer import Gazetteer
from .html_page import Page
from .pipeline import Article, process, process_page
from .read import ReadError, is_web_archive, read_document
from .web_archive import ArchiveLoadFailed, parse_web_archive

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


def default_processes(file_count: int) -> int:
    """Worker processes for an import of `file_count` files (0: parse in this process)."""
    cpus = available_cpus()
    if cpus < 2 or file_count < MIN_FILES_FOR_POOL:
        return 0
    return cpus


# --- worker side --------------------------------------------------------------

_worker_gazetteer: Gazetteer | None = None
_worker_max_bytes = 0


def _init_worker(gazetteer: Gazetteer, max_bytes: int) -> None:
    global _worker_gazetteer, _worker_max_bytes
    _worker_gazetteer, _worker_max_bytes = gazetteer, max_bytes
    prepare(gazetteer)  # the entity index, once per worker (inherited when forked)
    # What exists now (modules, the index, all the parent had) lives as long as the worker:
    # frozen, the garbage collector's passes skip it and only walk what parsing allocates.
    gc.freeze()


def _parse_chunk(paths):
    return [parse_file(path, _worker_gazetteer, _worker_max_bytes) for path in paths]


# --- caller side --------------------------------------------------------------

def _context():
    # fork: workers start at once and inherit the imported modules; elsewhere the
    # platform's default (this module imports nothing that needs Django).
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def parse_files(paths, gazetteer: Gazetteer, max_bytes: int, processes: int | None = None):
    """Yield (path, articles, reason) for every path, in order.

    `processes`: worker processes; None chooses from the CPUs and the number of files,
    0 parses in this process."""
    paths = list(paths)
    if processes is None:
        processes = default_processes(len(paths))
    if processes <= 0:
        for path in paths:
            yield (path, *parse_file(path, gazetteer, max_bytes))
        return
    chunks = [paths[i:i + CHUNK_SIZE] for i in range(0, len(paths), CHUNK_SIZE)]
    context = _context()
    if context.get_start_method() == "fork":
        prepare(gazetteer)  # once, here: forked workers inherit the index instead of each building it
    pool = context.Pool(processes, initializer=_init_worker, initargs=(gazetteer, max_bytes))
    try:
        pending = deque()
        next_chunk = 0
        limit = processes * CHUNKS_IN_FLIGHT_PER_WORKER
        while next_chunk < len(chunks) or pending:
            while next_chunk < len(chunks) and len(pending) < limit:
                pending.append((chunks[next_chunk], pool.apply_async(_parse_chunk, (chunks[next_chunk],))))
                next_chunk += 1
            chunk, result = pending.popleft()
            for path, (articles, reason) in zip(chunk, result.get()):
                yield path, articles, reason
        pool.close()
    finally:
        pool.terminate()
        pool.join()
