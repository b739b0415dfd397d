"""Strip web-page debris from one article's text and say what was removed and why.

Every rule is a pattern or a line classifier, never a list of the seeds' exact
lines, and every removal is recorded as a `Removal(line, rule)` so curators can
audit (and reverse) what the cleaner did. The output keeps one paragraph per
block, separated by exactly one blank line.

This module holds the flow, whitespace, sections and the markers cut out of lines that
stay; whole-line rules are in line_rules.py and repeated paragraphs in repeats.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .line_rules import classify_line, is_photo_caption, looks_like_wiki
from .repeats import drop_repeats


@dataclass(frozen=True)
class Removal:
    line: str  # the whole line removed, or the fragment cut out of a line that stays
    rule: str  # short stable rule name, e.g. "spam", "navigation", "citation-marker"


@dataclass
class Cleaned:
    text: str
    removed: list[Removal] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


# Rules that cut a fragment out of a line that stays, rather than removing the line.
INLINE_RULES = {"wiki-edit-marker", "citation-marker", "spliced-caption", "spliced-advert", "empty-brackets"}  # the last: extract.py
# Rules that remove a later copy of a line whose first copy stays.
REPETITION_RULES = {"repeated-paragraph", "repeated-caption"}


def clean(text: str) -> Cleaned:
    lines = _rewrap(_normalise_lines(text))
    is_wiki = looks_like_wiki(lines)
    paragraphs = [_Paragraph(line) for line in lines if line]

    references = _take_references(paragraphs, is_wiki=is_wiki)
    for index, paragraph in enumerate(paragraphs):
        if paragraph.rule is None:
            paragraph.rule = classify_line(paragraph.bare, is_wiki=is_wiki, position=index)
    _drop_empty_sections(paragraphs)
    _strip_inline_markers(paragraphs)
    drop_repeats(paragraphs)

    kept = [p.text for p in paragraphs if p.rule is None and p.text]
    removed = [r for p in paragraphs for r in p.removals()]
    return Cleaned(text="\n\n".join(kept), removed=removed, references=references)


class _Paragraph:
    """One block of text and what the cleaner decided about it."""

    def __init__(self, line: str):
        self.original = line
        # A wiki section heading. The cheap test first: the marker can only end the line.
        self.is_heading = line.rstrip().endswith("]") and bool(EDIT_MARKER_AT_END.search(line))
        self.bare = EDIT_MARKER_AT_END.sub("", line).strip() if self.is_heading else line
        self.text = line
        self.rule: str | None = None
        self.inline: list[Removal] = []

    def removals(self) -> list[Removal]:
        if self.rule is not None:
            return [Removal(self.original, self.rule)]
        return self.inline


# --- whitespace -------------------------------------------------------------

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
CONTROL_CHARACTERS = "\x00-\x08\x0e-\x1f\x7f-\x9f"  # tabs etc. are spaces
#: Both removed in one pass: they are removed, not replaced, so one set's removal
#: cannot make or unmake a character of the other.
ZERO_WIDTH_OR_CONTROL = re.compile(f"[{ZERO_WIDTH}{CONTROL_CHARACTERS}]")


def _normalise_lines(text: str) -> list[str]:
    """Unicode-normalised lines with single spaces, no trailing spaces; blank lines are ""."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters never belong in article text (the pattern does not match "\n").
    text = ZERO_WIDTH_OR_CONTROL.sub("", text)
    return [line if _is_single_spaced(line) else " ".join(line.split()) for line in text.split("\n")]


def _single_spaced(line: str) -> str:
    """Every run of whitespace (NBSP included) as one space, none at the ends.

    str.split() splits at exactly the characters regex \\s matches (both use
    str.isspace), and it is several times faster than a substitution."""
    return " ".join(line.split())


def _is_single_spaced(line: str) -> bool:
    """Whether _single_spaced(line) == line, without making it: most lines already are.
    The only whitespace character str.isprintable() accepts is the space (checked over
    all of Unicode), so a printable line is single-spaced when no space is doubled or
    at an end."""
    return line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " "


CLOSING_PUNCTUATION_AT_END = re.compile(r"[.!?:;\"”’)\]]$")
#: "by Jane Doe on 28 Oct 2018" under a headline is a line of its own, not the headline's end.
BYLINE_START = re.compile(r"^by [A-Z]")


def _rewrap(lines: list[str]) -> list[str]:
    """Rejoin prose that was hard-wrapped: a long line without closing punctuation
    followed directly by a line starting in lower case is one sentence."""
    joined: list[str] = []
    for line in lines:
        previous = joined[-1] if joined else ""
        if (
            line
            and previous
            and len(previous) >= 40
            and not CLOSING_PUNCTUATION_AT_END.search(previous)
            and line[0].islower()
            and not BYLINE_START.match(line)
        ):
            joined[-1] = f"{previous} {line}"
        else:
            joined.append(line)
    return joined


# --- markers cut out of lines that stay ------------------------------------

EDIT_MARKER_AT_END = re.compile(r"\s*\[\s*edit(?: source)?\s*\]\s*$", re.I)
CITATION_MARKER = re.compile(
    r"\[(?:\d{1,3}(?:[a-z])?|citation needed|clarification needed|dubious(?: – discuss)?|"
    r"when\?|who\?|by whom\?|note \d+|nb \d+)\]",
    re.I,
)

# --- sections ---------------------------------------------------------------

REFERENCE_HEADINGS = re.compile(
    r"^(references|notes|footnotes|citations|notes and references|sources and notes)$", re.I
)
TRAILING_SECTIONS = re.compile(
    r"^(see also|external links|further reading|literature|bibliography|related articles|"
    r"related|links|notes|references)$",
    re.I,
)


def _take_references(paragraphs: list[_Paragraph], *, is_wiki: bool) -> list[str]:
    """Move a "References" section out of the body; its entries are kept as references.
    The section ends at the next heading or at page furniture ("Retrieved from ...")."""
    references: list[str] = []
    in_section = False
    for paragraph in paragraphs:
        if REFERENCE_HEADINGS.match(paragraph.bare):
            in_section = True
            paragraph.rule = "references"
            continue
        if in_section and (
            paragraph.is_heading
            or TRAILING_SECTIONS.match(paragraph.bare)
            or classify_line(paragraph.bare, is_wiki=is_wiki, position=99) is not None
        ):
            in_section = False
        if in_section:
            paragraph.rule = "references"
            entry = _reference_entry(paragraph.bare)
            if entry:
                references.append(entry)
    return references


def _reference_entry(line: str) -> str:
    """'3. 3.0 3.1 Title Publisher' -> 'Title Publisher' (numbering and back-links dropped)."""
    line = re.sub(r"^(\d+[.)]|[*•^↑-])\s*", "", line)
    line = re.sub(r"^(\d+\.\d+\s+)+", "", line)
    line = re.sub(r"^\^(\s*[a-z]\b)*\s*", "", line)
    return line.strip()


def _drop_empty_sections(paragraphs: list[_Paragraph]) -> None:
    """Section headings with nothing under them (only a list intro ending in ':' at most)."""
    changed = True
    while changed:
        changed = False
        live = [p for p in paragraphs if p.rule is None]
        for index, paragraph in enumerate(live):
            is_marked = paragraph.is_heading
            if not (is_marked or TRAILING_SECTIONS.match(paragraph.bare)):
                continue
            content = []
            for following in live[index + 1:]:
                if following.is_heading or TRAILING_SECTIONS.match(following.bare):
                    break
                content.append(following)
            if all(c.bare.endswith(":") for c in content):
                rule = "wiki-empty-section" if is_marked else "empty-section"
                # An unmarked "See also" only counts when it is really a trailing stub.
                if not is_marked and content:
                    continue
                paragraph.rule = rule
                for c in content:
                    c.rule = rule
                changed = True
                break


SPACE_BEFORE_PUNCTUATION = re.compile(r" +([,.;:])")
# What SPACE_BEFORE_PUNCTUATION needs; testing for these is far cheaper than substituting.
SPACES_BEFORE_PUNCTUATION = (" ,", " .", " ;", " :")


#: A caption run into the paragraph under it, without a space: "... Image via YouTube. Some
#: rights reserved.The affair was ...". Looked for in the paragraph's opening only.
SENTENCE_GLUED_TO_NEXT = re.compile(r"[.!?](?=[A-Z“\"‘])")
SPLICED_CAPTION_MAX_CHARS = 400


def _cut_spliced_caption(text: str, inline: list[Removal]) -> str:
    glued = SENTENCE_GLUED_TO_NEXT.search(text, 0, SPLICED_CAPTION_MAX_CHARS)
    if glued is None or not is_photo_caption(text[: glued.end()]):
        return text
    inline.append(Removal(text[: glued.end()], "spliced-caption"))
    return text[glued.end():]


#: An advert's label left inside a paragraph, between two sentences, by a page that put
#: the advert there ("... he said. ADVERTISEMENT Continue reading below The talks ...").
SPLICED_ADVERT = re.compile(
    r"(?<=[.!?\"”’])\s+(?:"
    r"(?:ADVERTISEMENT|Advertisement|SPONSORED|Sponsored content)"
    r"(?:\s*[-–:|]?\s*(?:Continue reading(?: the main story| below)?|(?:Story|Article) continues below))?"
    r"|(?:Story|Article) continues below(?: (?:this )?(?:advertisement|ad))?"
    r")(?=\s+[\"“‘(]?[A-Z])"
)


#: Every match of SPLICED_ADVERT (case-sensitive) holds one of these.
SPLICED_ADVERT_WORDS = ("ADVERTISEMENT", "Advertisement", "SPONSORED", "Sponsored content", "continues below")


def _cut_spliced_adverts(text: str, inline: list[Removal]) -> str:
    if not any(word in text for word in SPLICED_ADVERT_WORDS):
        return text  # the pattern, tried at each position, is far slower than these tests

    def cut(advert):
        inline.append(Removal(advert.group().strip(), "spliced-advert"))
        return ""

    return SPLICED_ADVERT.sub(cut, text)


def _strip_inline_markers(paragraphs: list[_Paragraph]) -> None:
    for paragraph in paragraphs:
        if paragraph.rule is not None:
            continue
        text = paragraph.original
        if paragraph.is_heading:
            marker = EDIT_MARKER_AT_END.search(text).group().strip()
            paragraph.inline.append(Removal(marker, "wiki-edit-marker"))
            text = paragraph.bare
        text = _cut_spliced_caption(text, paragraph.inline)
        text = _cut_spliced_adverts(text, paragraph.inline)
        markers = CITATION_MARKER.findall(text)
        paragraph.inline += [Removal(marker, "citation-marker") for marker in markers]
        if markers:
            text = CITATION_MARKER.sub("", text)
        if any(pair in text for pair in SPACES_BEFORE_PUNCTUATION):
            text = SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
        # A paragraph nothing was cut from is its line, which _normalise_lines and _rewrap
        # left single-spaced: the same text, and the same string for casefolded_words' cache.
        paragraph.text = text if text is paragraph.original else _single_spaced(text)
