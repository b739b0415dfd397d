"""Turn uploaded bytes into text, or refuse them with a reason a curator can act on.

Plain text is the normal input; an HTML page is read by sources.ingest.html_page (its
article and metadata), so that curators can import saved web pages too.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat

from charset_normalizer import from_bytes

from .html_page import Page, declared_charset, read_page

MEGABYTE = 1024 * 1024

# Leading bytes of file formats people upload by mistake instead of text.
MAGIC_NUMBERS = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"ID3", "MP3 audio"),
]

# Byte-order marks that announce a Unicode encoding which legitimately contains NUL bytes.
UNICODE_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

# Invisible characters that reorder or hide text (a Right-to-Left Override in a title makes
# "txt.exe" read "exe.txt"): bidi embeddings, overrides, isolates and marks.
BIDI_CONTROL_CHARS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_CONTROLS = re.compile(f"[{BIDI_CONTROL_CHARS}]")
REPLACEMENT_CHARACTER = "\ufffd"

HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)\b", re.I | re.S)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WEB_ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wacz")


class ReadError(Exception):
    """The file cannot be imported; `reason` says why in words a curator understands."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_file(path, *, max_bytes: int) -> str:
    """The text of a file on disk (HTML reduced to paragraphs); see read_document."""
    return read_text(_read_bytes(path, max_bytes), max_bytes=max_bytes, filename=os.fspath(path))


def read_document(path, *, max_bytes: int) -> str | Page:
    """A file on disk as the pipeline takes it: a Page for an HTML page, else its text."""
    data = _read_bytes(path, max_bytes)
    if looks_like_html(data, os.fspath(path)):
        return read_html(data, max_bytes=max_bytes)
    return read_text(data, max_bytes=max_bytes)


def read_html(data: bytes, *, max_bytes: int, url: str = "") -> Page:
    """A web page's article and metadata (sources.ingest.html_page). The page's declared
    charset wins over guessing: a Windows-1251 page says so in <meta charset>."""
    _check_size(len(data), max_bytes)
    _refuse_binary(data)
    charset = None if _unicode_bom_encoding(data) else declared_charset(data)
    try:
        html = data.decode(charset) if charset else _decode(data)
    except UnicodeDecodeError:
        html = _decode(data)
    page = read_page(strip_bidi_controls(html), url=url)
    if not page.text.strip():
        raise ReadError("no article text found in the page")
    return page


def _read_bytes(path, max_bytes: int) -> bytes:
    """A regular file's bytes, its size checked before loading it into memory.

    Never follows a symbolic link and never waits: a FIFO put where a file was listed
    would otherwise block the import forever at open()."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError("symbolic link") from None
        raise ReadError(exc.strerror or type(exc).__name__) from None
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise ReadError("not a regular file")
        _check_size(status.st_size, max_bytes)
        return handle.read(max_bytes + 1)


def read_text(data: bytes, *, max_bytes: int, filename: str | None = None) -> str:
    """Decode uploaded bytes to text with "\\n" newlines; HTML is reduced to paragraphs.

    `filename` is optional and only used to recognise .html/.htm uploads.
    """
    if looks_like_html(data, filename):
        return read_html(data, max_bytes=max_bytes).text
    _check_size(len(data), max_bytes)
    _refuse_binary(data)
    text = strip_bidi_controls(_decode(data))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError("empty file")
    return text


def strip_bidi_controls(text: str) -> str:
    # Almost no text holds one: a search for each (str.__contains__, in C) costs about half
    # the regular expression's pass, which then runs only when there is one to remove.
    if not any(control in text for control in BIDI_CONTROL_CHARS):
        return text
    return BIDI_CONTROLS.sub("", text)


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise ReadError("empty file")
    if size > max_bytes:
        raise ReadError(
            f"file is {size / MEGABYTE:.1f} MB, over the {max_bytes / MEGABYTE:.1f} MB limit"
        )


def _refuse_binary(data: bytes) -> None:
    for magic, kind in MAGIC_NUMBERS:
        if data.startswith(magic):
            raise ReadError(f"binary file ({kind})")
    if _unicode_bom_encoding(data):
        return  # UTF-16/32 text is full of NUL bytes by design
    if b"\x00" in data:
        raise ReadError("binary file (contains NUL bytes)")
    if _control_byte_share(data[:4096]) > 0.05:
        raise ReadError("binary file (too many control characters)")


CONTROL_BYTES = bytes(byte for byte in range(0x20) if byte not in {0x09, 0x0A, 0x0C, 0x0D, 0x1B})


def _control_byte_share(sample: bytes) -> float:
    """Share of bytes that never occur in text (C0 controls other than tab, newlines, form feed)."""
    if not sample:
        return 0.0
    controls = len(sample) - len(sample.translate(None, delete=CONTROL_BYTES))
    return controls / len(sample)


def _unicode_bom_encoding(data: bytes) -> str | None:
    for bom, encoding in UNICODE_BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _decode(data: bytes) -> str:
    bom_encoding = _unicode_bom_encoding(data)
    if bom_encoding:
        try:
            return data.decode(bom_encoding)
        except UnicodeDecodeError:
            raise ReadError(f"file claims to be {bom_encoding.upper()} but is not valid") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    return _decode_mostly_utf8(data) or _decode_legacy(data)


def _decode_mostly_utf8(data: bytes) -> str | None:
    """A UTF-8 file with some bad bytes, each replaced by U+FFFD (which the pipeline
    records on the article); None when nothing in the file is UTF-8 beyond ASCII.

    Read as a code page, `\xff\xfe\xc3\x28` in a UTF-8 file became "ÿþÃ(" and every
    accented letter around it mojibake. One well-formed multi-byte character is taken as
    the sign of UTF-8: legacy text almost never forms one ("é" in Windows-1252 is a single
    byte followed by ASCII, never by the continuation byte UTF-8 requires)."""
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count(REPLACEMENT_CHARACTER)
    well_formed = sum(1 for char in text if char > "\x7f") - bad
    return text if well_formed > 0 else None


def _decode_legacy(data: bytes) -> str:
    """Decode a non-UTF-8 file.

    charset-normalizer is reliable when it recognises a language (Russian in
    cp1251, Polish in cp1250), but on short, mostly-English texts every Latin
    code page scores the same and it picks an arbitrary one (cp1250 turns
    "très" into "trčs"). Our sources are mostly English, where legacy files are
    overwhelmingly Windows-1252, so that is the tie-breaker.
    """
    # Without a BOM and without NUL bytes the file cannot be UTF-16/32, whatever
    # the detector thinks of a short byte string.
    candidates = [m for m in from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))]
    best = candidates[0] if candidates else None
    if best is not None:
        # Several code pages often decode a mostly-English file equally cleanly (mac_latin2
        # turns "café" into "cafť"); among the least chaotic, Windows-1252 wins.
        least_chaos = min(m.chaos for m in candidates)
        for match in candidates:
            if match.chaos <= least_chaos and "cp1252" in match.could_be_from_charset:
                return data.decode("cp1252")
    if best is not None and best.coherence >= 0.2:
        return str(best)
    if _mostly_ascii(data):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    if best is not None:
        return str(best)
    raise ReadError("unknown text encoding")


def _mostly_ascii(data: bytes) -> bool:
    high = sum(1 for byte in data if byte >= 0x80)
    return high <= len(data) * 0.3


def looks_like_html(data: bytes, filename: str | None) -> bool:
    if filename and filename.lower().endswith(HTML_SUFFIXES):
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(HTML_START.match(head))


def is_web_archive(name: str) -> bool:
    return name.lower().endswith(WEB_ARCHIVE_SUFFIXES)


def is_page(raw_text: str, file_name: str) -> bool:
    """Whether a stored raw text is a web page (from a saved page or a web archive)."""
    return is_web_archive(file_name) or looks_like_html(raw_text[:2048].encode(), file_name)
