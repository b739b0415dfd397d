"""Section headings inside an article's text: a short line that titles the paragraphs after it.

The cleaned text keeps one paragraph per block and no markup, so a heading is known by its
shape: short, not ending like a sentence, after the article's body has begun and followed by
a paragraph of prose. Bylines and datelines above the body are never headings.
"""

from __future__ import annotations

import re

HEADING_MAX_WORDS = 10
HEADING_MAX_CHARS = 90
#: A body paragraph: at least this many words, ending like a sentence.
BODY_MIN_WORDS = 12
ENDS_LIKE_A_SENTENCE = re.compile(r"[.!?:;,…][”\"’)\]]*$")


def heading_flags(paragraphs: list[str]) -> list[bool]:
    """For each paragraph, whether it is a section heading."""
    flags = []
    body_begun = False
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        flags.append(body_begun and _titles(paragraph, following))
        body_begun = body_begun or _is_body(paragraph)
    return flags


def _is_body(paragraph: str) -> bool:
    return len(paragraph.split(maxsplit=BODY_MIN_WORDS)) >= BODY_MIN_WORDS and bool(
        ENDS_LIKE_A_SENTENCE.search(paragraph)
    )


def _titles(paragraph: str, following: str) -> bool:
    return (
        len(paragraph) <= HEADING_MAX_CHARS
        and len(paragraph.split()) <= HEADING_MAX_WORDS
        and (paragraph[:1].isupper() or paragraph[:1].isdigit())
        and not ENDS_LIKE_A_SENTENCE.search(paragraph)
        and _is_body(following)
    )
