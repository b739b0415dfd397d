"""A segment's phrase answers, kept on disk as files of the segment.

A phrase's documents are read from its words' stored positions (engine/phrases.py): at
100,000 articles ~1-2 s for phrases of common words ("Islamic State", or the phrases an
alias such as IRPT stands for), paid again by every server process, after every start.
A segment never changes once written (its deletions are masked at query time), so which
of its documents hold a phrase never changes either: the answer is written once, as a
file named like the segment's own, which Whoosh deletes with the segment when a merge
retires it (whoosh.index.clean_files). Only phrases with many candidate documents are
kept: the others are read from positions in a few milliseconds.

The file is the bitset's bytes, nothing else: one of another length (a torn or foreign
file) is ignored and the phrase read again. Writing is best effort: a read-only index,
or storage that cannot rename, just goes without.
"""

import hashlib
import os
import threading

from whoosh.filedb.filestore import ReadOnlyError

#: Phrases whose words are all in at least this many documents of a segment are kept.
MIN_CANDIDATES = 200


def read_through(storage, segment, size, fieldname, words, candidates, compute):
    """The phrase's bitset in this segment: from its file, else ``compute()`` (None when
    it cannot say), written to a file when ``candidates`` (a bitset) are many."""
    name = _file_name(segment, fieldname, words)
    found = _load(storage, name, size)
    if found is None:
        found = compute()
        if found is not None and candidates.bit_count() >= MIN_CANDIDATES:
            _save(storage, name, size, found)
    return found


def _file_name(segment, fieldname, words):
    digest = hashlib.sha1("\x1f".join([fieldname, *words]).encode("utf-8")).hexdigest()[:20]
    return segment.make_filename(f".phrase_{digest}")


def _byte_length(size):
    return (size + 7) // 8


def _load(storage, name, size):
    try:
        if not storage.file_exists(name):
            return None
        stored = storage.open_file(name)
        try:
            data = stored.read()
        finally:
            stored.close()
    except (OSError, NameError):  # gone meanwhile (a merge retired the segment)
        return None
    return int.from_bytes(data, "little") if len(data) == _byte_length(size) else None


def _save(storage, name, size, bits):
    # Written under a name of its own, then renamed: a reader sees the whole file or none.
    temporary = f"{name}.{os.getpid()}_{threading.get_ident()}"
    try:
        written = storage.create_file(temporary)
        try:
            written.write(bits.to_bytes(_byte_length(size), "little"))
        finally:
            written.close()
        storage.rename_file(temporary, name)
    except (OSError, NameError, NotImplementedError, ReadOnlyError):
        try:
            storage.delete_file(temporary)
        except Exception:  # noqa: BLE001 (never created, or storage without deletion)
            pass
