"""Split a page that strings several articles together (a tag archive) into articles.

A normal page is one article. A page is treated as an archive only on strong
evidence: an archive header ("Tag Archives: ISIS", "Category: X", "Posts tagged X")
or at least two "Outlet: “Headline”" lines. Within an archive a new article
starts at an "Outlet: Headline" line, or after a line that ends an article
(a date line such as "10 Dec 2016", or an outlet signature such as "Iran News").
Segments keep the raw text, so each article's raw_text is exactly what was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .extract import ARCHIVE_HEADER, is_outlet_signature, parse_date_line, split_outlet_header


@dataclass
class Segment:
    position: int
    text: str  # the raw text of one article


# A trailing piece without a single sentence-sized line is page footer, not an article.
MIN_ARTICLE_LINE_WORDS = 8


def split(text: str) -> list[Segment]:
    lines = text.split("\n")
    if not _is_archive(lines):
        stripped = text.strip("\n")
        return [Segment(0, stripped)] if stripped.strip() else []
    pieces = _cut_archive(lines)
    pieces = _merge_footer(pieces)
    return [Segment(position, "\n".join(piece).strip("\n")) for position, piece in enumerate(pieces)]


def _is_archive(lines: list[str]) -> bool:
    first_lines = [line.strip() for line in lines if line.strip()][:5]
    if any(ARCHIVE_HEADER.match(line) for line in first_lines):
        return True
    quoted_headers = [line for line in lines if _is_quoted_outlet_header(line.strip())]
    return len(quoted_headers) >= 2


def _is_quoted_outlet_header(line: str) -> bool:
    return bool(split_outlet_header(line)) and bool(re.search(r":\s*[“\"«].*[”\"»]$", line))


def _header_key(line: str) -> str:
    """'AlJazeera: “X”' and 'Aljazeera:X' are the same header."""
    return re.sub(r"[\W_]+", "", line.casefold())


def _cut_archive(lines: list[str]) -> list[list[str]]:
    pieces: list[list[str]] = []
    current: list[str] = []
    current_header_key = None
    after_end_marker = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            current.append(line)
            continue
        if ARCHIVE_HEADER.match(stripped) and not _has_content(current):
            continue  # the archive's own header belongs to no article
        is_header = split_outlet_header(stripped) is not None
        if is_header and _header_key(stripped) == current_header_key and not _has_body(current):
            current.append(line)  # the same header repeated under itself
            continue
        starts_article = is_header or (after_end_marker and not _ends_article(stripped))
        if starts_article and _has_content(current):
            pieces.append(current)
            current = []
            current_header_key = None
        if is_header and current_header_key is None:
            current_header_key = _header_key(stripped)
        current.append(line)
        after_end_marker = _ends_article(stripped)
    if _has_content(current):
        pieces.append(current)
    return pieces


def _has_content(piece: list[str]) -> bool:
    return any(line.strip() for line in piece)


def _has_body(piece: list[str]) -> bool:
    """Anything beyond header lines: at least one line that is not an outlet header."""
    return any(line.strip() and split_outlet_header(line.strip()) is None for line in piece)


def _ends_article(line: str) -> bool:
    return bool(parse_date_line(line)) or is_outlet_signature(line)


def _merge_footer(pieces: list[list[str]]) -> list[list[str]]:
    """A last piece with no sentence-sized line (menus, "About Us") stays with the article above."""
    if len(pieces) >= 2 and not any(
        len(line.split()) >= MIN_ARTICLE_LINE_WORDS for line in pieces[-1]
    ):
        pieces[-2] = pieces[-2] + pieces[-1]
        pieces.pop()
    return pieces
