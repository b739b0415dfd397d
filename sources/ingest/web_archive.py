"""Web archives (WARC, WARC.gz, WACZ): the archived HTML pages in them, one by one.

Read with warcio. Each archived HTML response (status 200, an HTML content type) is a page,
known by its record's index in the archive (its position) and carrying its target URI and
capture date. Everything else is said, not silently dropped: non-HTML responses, redirects
and other statuses, revisits and later captures of an address already read are skipped
with a reason; a record that cannot be read fails with its offset, and reading resumes at
the next record. A WACZ is a zip holding archive/*.warc(.gz): its WARCs are read in name
order, positions running on across them.

Pure Python, no Django.
"""

from __future__ import annotations

import datetime
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .gazetteer import Gazetteer
from .pipeline import process_page
from .read import ReadError, read_html

CAPTURE_TYPES = {"response", "resource", "revisit"}
HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_MEMBER_START = b"\x1f\x8b\x08"
WARC_RECORD_START = b"WARC/1."
RESYNC_CHUNK = 1024 * 1024
RECORDS_PER_BATCH = 8
# What a broken record raises from warcio or the decompressor underneath it.
UNREADABLE = (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError)


@dataclass
class ArchivedPage:
    position: int  # index of the record in the archive
    url: str  # the record's target URI
    captured_at: datetime.datetime | None
    html: bytes


@dataclass
class RecordNote:
    """A record that is not a page: skipped (with why) or failed (with where)."""

    position: int
    status: str  # "skipped" | "failed"
    reason: str


def read_web_archive(path, *, max_bytes: int) -> Iterator[ArchivedPage | RecordNote]:
    """The pages and notes of the archive at `path`, in the archive's order. `max_bytes`
    caps each page, not the archive."""
    seen: set[str] = set()
    positions = iter(range(1 << 62))
    if str(path).lower().endswith(".wacz"):
        yield from _read_wacz(path, seen, positions, max_bytes)
        return
    # Never through a symbolic link, never waiting on a FIFO (see read.py).
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ArchiveLoadFailed("not a regular file")
        yield from _read_warc(stream, "", seen, positions, max_bytes)


def _read_wacz(path, seen, positions, max_bytes):
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveLoadFailed(f"not a WACZ package: {exc}") from None
    with package:
        names = sorted(
            name for name in package.namelist()
            if name.startswith("archive/") and name.lower().endswith((".warc", ".warc.gz"))
        )
        if not names:
            raise ArchiveLoadFailed("WACZ package holds no archive/*.warc(.gz)")
        for name in names:
            with package.open(name) as stream:
                yield from _read_warc(stream, f"{name} ", seen, positions, max_bytes)


def _read_warc(stream: BinaryIO, where: str, seen, positions, max_bytes):
    """Records from the stream's start; after a record that cannot be read, from the next
    record boundary found after it."""
    start = 0
    while start is not None:
        stream.seek(start)
        records = ArchiveIterator(stream)
        try:
            for record in records:
                item = _page_or_note(record, next(positions), seen, max_bytes)
                if item is not None:
                    yield item
            return
        except UNREADABLE as exc:
            offset = records.offset
            yield RecordNote(next(positions), "failed", f"{where}record at offset {offset} unreadable: {_why(exc)}")
            start = _next_record_start(stream, offset + 1)


def _page_or_note(record, position, seen, max_bytes) -> ArchivedPage | RecordNote | None:
    if record.format != "warc":
        # warcio reads any line of words as an old-style ARC header: here, garbage.
        raise ArchiveLoadFailed("not a WARC record")
    kind = record.rec_type
    if kind not in CAPTURE_TYPES:
        return None  # warcinfo, request, metadata: not captures
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if kind == "revisit":
        return RecordNote(position, "skipped", f"{url}: revisit of an earlier capture")
    status, content_type = _status_and_type(record)
    if status != "200":
        what = "redirect" if status.startswith("3") else "status"
        return RecordNote(position, "skipped", f"{url}: {what} {status}")
    if not content_type.startswith(HTML_TYPES):
        return RecordNote(position, "skipped", f"{url}: not HTML ({content_type or 'no content type'})")
    if url in seen:
        return RecordNote(position, "skipped", f"{url}: captured again (the first capture is kept)")
    html = record.content_stream().read(max_bytes + 1)
    if len(html) > max_bytes:
        return RecordNote(position, "failed", f"{url}: page over the {max_bytes / 1024 / 1024:.1f} MB limit")
    if getattr(record.raw_stream, "limit", 0) > 0:
        # Fewer bytes than the record's Content-Length: the archive ends inside it.
        return RecordNote(position, "failed", f"{url}: record truncated")
    seen.add(url)
    return ArchivedPage(position, url, _capture_date(record), html)


def _status_and_type(record) -> tuple[str, str]:
    """HTTP status and content type of a response; a resource record has no HTTP headers."""
    if record.http_headers is None:
        return "200", (record.rec_headers.get_header("Content-Type") or "").lower()
    status = (record.http_headers.get_statuscode() or "").strip()
    return status, (record.http_headers.get_header("Content-Type") or "").strip().lower()


def _capture_date(record) -> datetime.datetime | None:
    value = record.rec_headers.get_header("WARC-Date") or ""
    try:
        captured = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return captured if captured.tzinfo else captured.replace(tzinfo=datetime.timezone.utc)


def _next_record_start(stream: BinaryIO, offset: int) -> int | None:
    """Offset of the next gzip member or WARC header at or after `offset`, None at the end."""
    stream.seek(0)
    gzipped = stream.read(2) == GZIP_MEMBER_START[:2]
    marker = GZIP_MEMBER_START if gzipped else b"\n" + WARC_RECORD_START
    position = offset
    while True:
        stream.seek(position)
        chunk = stream.read(RESYNC_CHUNK + len(marker))
        if len(chunk) < len(marker):
            return None
        found = chunk.find(marker)
        if found >= 0:
            return position + found + (0 if gzipped else 1)
        position += RESYNC_CHUNK


def _why(exc: Exception) -> str:
    """The error in one short printable line: warcio quotes the record's first line, which
    in a broken record is binary garbage."""
    message = str(exc).split("first line:")[0].strip(" ,:")
    message = "".join(char if char.isprintable() else "?" for char in message)[:120]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class ArchiveArticles(list):
    """A web archive's articles, and in `notes` what became of its other records."""

    def __init__(self, articles=(), notes=()):
        super().__init__(articles)
        self.notes = list(notes)


def parse_web_archive(path, gazetteer: Gazetteer, max_bytes: int) -> ArchiveArticles:
    """The whole archive through the pipeline at once (sources.ingest.parallel parses a
    large one batch by batch instead)."""
    return parse_records(read_web_archive(path, max_bytes=max_bytes), gazetteer, max_bytes)


def record_batches(path, max_bytes: int) -> Iterator[list[ArchivedPage | RecordNote]]:
    """The archive's pages and notes, RECORDS_PER_BATCH at a time: parsed on every core
    and stored batch by batch, a large archive is never held in memory whole."""
    batch = []
    for item in read_web_archive(path, max_bytes=max_bytes):
        batch.append(item)
        if len(batch) == RECORDS_PER_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def parse_records(items, gazetteer: Gazetteer, max_bytes: int) -> ArchiveArticles:
    """Archived HTML pages through the pipeline, one article each at its record's position,
    with its target URI as original address and its capture date; notes passed on."""
    articles = ArchiveArticles()
    for item in items:
        if isinstance(item, RecordNote):
            articles.notes.append(item)
            continue
        try:
            page = read_html(item.html, max_bytes=max_bytes, url=item.url)
        except ReadError as exc:
            articles.notes.append(RecordNote(item.position, "failed", f"{item.url}: {exc}"))
            continue
        for article in process_page(page, gazetteer, captured_at=item.captured_at):
            article.position = item.position
            articles.append(article)
    return articles
