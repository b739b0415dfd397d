"""Strip web-page debris from one article's text and say what was removed and why.

Every rule is a pattern or a line classifier, never a list of the seeds' exact
lines, and every removal is recorded as a `Removal(line, rule)` so curators can
audit (and reverse) what the cleaner did. The output keeps one paragraph per
block, separated by exactly one blank line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field


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
INLINE_RULES = {"wiki-edit-marker", "citation-marker"}
# Rules that remove a later copy of a line whose first copy stays.
REPETITION_RULES = {"repeated-paragraph", "repeated-caption"}


def clean(text: str) -> Cleaned:
    lines = _rewrap(_normalise_lines(text))
    is_wiki = _looks_like_wiki(lines)
    paragraphs = [_Paragraph(line) for line in lines if line]

    references = _take_references(paragraphs, is_wiki=is_wiki)
    for index, paragraph in enumerate(paragraphs):
        if paragraph.rule is None:
            paragraph.rule = classify_line(paragraph.bare, is_wiki=is_wiki, position=index)
    _drop_empty_sections(paragraphs)
    _strip_inline_markers(paragraphs)
    _drop_repeats(paragraphs)

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

ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # tabs etc. are spaces


def _normalise_lines(text: str) -> list[str]:
    """Unicode-normalised lines with single spaces, no trailing spaces; blank lines are ""."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ZERO_WIDTH.sub("", text)
    # Control characters never belong in article text (the pattern does not match "\n").
    text = CONTROL_CHARACTERS.sub("", text)
    return [_single_spaced(line) for line in text.split("\n")]


def _single_spaced(line: str) -> str:
    """Every run of whitespace (NBSP included) as one space, none at the ends.

    str.split() splits at exactly the characters regex \\s matches (both use
    str.isspace), and it is several times faster than a substitution."""
    return " ".join(line.split())


CLOSING_PUNCTUATION_AT_END = re.compile(r"[.!?:;\"”’)\]]$")


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
        ):
            joined[-1] = f"{previous} {line}"
        else:
            joined.append(line)
    return joined


# --- line classifiers -------------------------------------------------------

EDIT_MARKER_AT_END = re.compile(r"\s*\[\s*edit(?: source)?\s*\]\s*$", re.I)
CITATION_MARKER = re.compile(
    r"\[(?:\d{1,3}(?:[a-z])?|citation needed|clarification needed|dubious(?: – discuss)?|"
    r"when\?|who\?|by whom\?|note \d+|nb \d+)\]",
    re.I,
)

SPAM_WORDS = {
    "casino", "casinos", "bahis", "bet", "bets", "betting", "poker", "slot", "slots",
    "jackpot", "roulette", "rulet", "iddaa", "kumar", "bonus", "bonusu", "freespin",
    "viagra", "cialis", "levitra", "pharmacy", "pills", "porn", "xxx", "escort", "escorts",
    "bozdurma", "paysafe", "astropay", "papara", "payday", "loans", "replica", "cheap",
    "backlinks", "seo", "deneme", "giris", "giriş", "hack", "cheats", "tramadol", "xanax",
    "valium", "phentermine", "kamagra", "oxycodone",
}

NAVIGATION_PHRASES = {
    "home", "homepage", "about", "about us", "contact", "contact us", "advanced search",
    "search", "site search", "menu", "main menu", "navigation", "sitemap", "site map",
    "log in", "login", "log out", "logout", "sign in", "sign out", "sign up", "register",
    "subscribe", "subscribe now", "newsletter", "privacy", "privacy policy",
    "privacy notice", "cookie policy", "cookies", "terms", "terms of use",
    "terms of service", "terms and conditions", "share", "share this",
    "share this article", "share this story", "share this post", "tweet", "email", "print",
    "print this article", "follow us", "skip to content", "skip to main content",
    "back to top", "top", "next", "previous", "next article", "previous article",
    "next post", "previous post", "older posts", "newer posts", "read more",
    "continue reading", "more", "comments", "leave a comment", "leave a reply",
    "post a comment", "no comments", "related", "related articles", "related posts",
    "related stories", "you may also like", "recommended", "most popular", "most read",
    "trending", "tags", "categories", "archives", "advertisement", "advertise",
    "advertise with us", "careers", "faq", "help", "rss", "rss feed", "donate",
    "support us", "facebook", "twitter", "instagram", "linkedin", "youtube", "whatsapp",
    "telegram", "reddit", "pinterest", "click to enlarge", "photo gallery", "watch video",
    "editor's picks", "latest news", "breaking news", "world", "opinion", "multimedia",
    "like this", "loading", "news", "politics", "business", "sport", "sports", "culture",
}
NAVIGATION_PATTERNS = [
    re.compile(r"^click here\b", re.I),
    re.compile(r"^skip to\b", re.I),
    re.compile(r"^(follow|like) us (on|at)\b", re.I),
    re.compile(r"^share (this|on|via)\b", re.I),
    re.compile(r"^(sign up|subscribe) (for|to) (our|the)\b", re.I),
    re.compile(r"^(posted|filed) (in|under)\b", re.I),
    re.compile(r"^(tags?|categories|topics)\s*:", re.I),
    re.compile(r"^\d+ comments?$", re.I),
    re.compile(r"^(print|email|e-mail) this (article|story|page)\b", re.I),
    re.compile(r"^follow @?[\w.]+ on (twitter|facebook|instagram|telegram|x)\b", re.I),
    re.compile(r"^click to (share|print|email|enlarge|open)\b", re.I),
    re.compile(r"^print friendly\b", re.I),
    re.compile(r"\b(please )?enable javascript\b|\bjavascript (is )?(disabled|required)\b", re.I),
]
MENU_SEPARATORS = re.compile(r"\s*(?:\||•|·|»|›|/)\s*")

ACCOUNT_WORDS = re.compile(
    r"\b(account|log ?in|logged in|sign ?in|sign ?up|register|registration|password|"
    r"subscriber|subscription|members? only)\b",
    re.I,
)
ACCOUNT_PROMPT = re.compile(
    r"\bclick here\b|^(if|already|forgot|create|please|you must|you need|log|sign|register|"
    r"subscribe|not a|become|members)\b",
    re.I,
)

#: The header of a blog's tag, category or author archive page ("Tag Archives: ISIS").
#: Also used by extract.py, which must never take such a line for a headline.
ARCHIVE_HEADER = re.compile(
    r"^(tag archives?|category archives?|author archives?|tagged|archives? for|category|tag)"
    r"\s*:\s*\S.{0,60}$|^posts tagged\s+\S.{0,60}$",
    re.I,
)

LINE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("wiki-notice", re.compile(
        r"\bplease (do not|don'?t|don’t) edit\b|^this (article|page|section) "
        r"(is a stub|needs|has multiple issues|may need|requires)\b", re.I)),
    ("wiki-jump", re.compile(r"^jump to:?\s*(navigation|search|content)\b", re.I)),
    ("wiki-template", re.compile(r"^Template:\S.{0,80}$")),
    ("wiki-main-article", re.compile(
        r"^(main articles?|further information|see also|for more information)\s*:\s*\S.{0,150}$", re.I)),
    ("wiki-attribution", re.compile(
        r"^this (article|page) (contains|uses|incorporates|is based on) (content|material|text) from\b"
        r"|\bGNU (FDL|Free Documentation License)\b|^text is available under the Creative Commons"
        r"|^retrieved from\b|^categor(y|ies) ?:|^this page was last (edited|modified)\b", re.I)),
    ("archive-header", ARCHIVE_HEADER),
    ("related-link", re.compile(
        r"^(read more|read also|also read|related|related story|related article|recommended|"
        r"more on this|watch|listen)\s*[:»›|\-–—]\s*\S.{0,200}$", re.I)),
    ("cookie", re.compile(
        r"\b(we use cookies|this (web)?site uses cookies|accept (all )?cookies|cookie settings)\b", re.I)),
    ("source-link", re.compile(
        r"^(source link|source|original source|view original|read the original( article)?|"
        r"link to (the )?(source|original)|via)\s*:?$", re.I)),
    ("image-counter", re.compile(r"^(image|photo|picture|slide)?\s*\d{1,3}\s*(/|of)\s*\d{1,3}$", re.I)),
    ("page-number", re.compile(r"^(page\s*)?\d{1,3}$", re.I)),
    ("continuation", re.compile(
        r"^[(\[-]*\s*(to be continued|continued on page \d+|continued|ends?|the end)\s*[)\]-]*\.?$", re.I)),
    ("comment-form", re.compile(
        r"^your email address will not be published|^required fields are marked|^cancel reply$"
        r"|^notify me of (new|follow-up) (comments|posts)|^comments are closed|^post comment$", re.I)),
    ("disclaimer", re.compile(
        r"^the views expressed (in this (article|piece|column)|here(in)?) are\b", re.I)),
    ("bare-url", re.compile(r"^(https?://|www\.)\S+$", re.I)),
]

# Two patterns, not one alternation: one that only has to be tried at the start of the
# line, and one whose every branch starts with a literal character, which re then skips
# to instead of trying the pattern at every position.
WIKI_SIGNALS_AT_START = re.compile(r"jump to:?\s*navigation|Template:\S", re.I)
WIKI_SIGNALS_AT_END = re.compile(r"\[\s*edit\s*\]\s*$|, the free encyclopedia$", re.I)
WIKI_FROM = re.compile(r"^From [A-Z][\w\-]+(?: [A-Z][\w\-]+)?(, the free encyclopedia)?$")


# Necessary conditions for the unanchored LINE_PATTERNS, on the lower-cased line.
LINE_PATTERN_HINTS = {
    "wiki-notice": lambda lower: "edit" in lower or lower.startswith("this "),
    "wiki-attribution": lambda lower: (
        "gnu " in lower or lower.startswith(("this ", "text is available", "retrieved from", "categor"))
    ),
    "cookie": lambda lower: "cookie" in lower,
}
# Non-ASCII letters that re.IGNORECASE matches to ASCII letters (İ ı ſ K: i, i, s, k).
IGNORECASE_ASCII_LOOKALIKES = re.compile("[\u0130\u0131\u017f\u212a]")
LETTER_OR_DIGIT = re.compile(r"[^\W_]")
WORD_OR_NUMBER = re.compile(r"[^\W\d_]+|\d+")
SENTENCE_PUNCTUATION = re.compile(r"[.!?;:,\"“”]")
MENU_TEXT_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
COPYRIGHT_START = re.compile(r"^(©|\(c\)|copyright\b)", re.I)
RIGHTS_RESERVED_AT_END = re.compile(r"\ball rights reserved\.?$", re.I)


def _looks_like_wiki(lines: list[str]) -> bool:
    return any(WIKI_SIGNALS_AT_START.match(line) or WIKI_SIGNALS_AT_END.search(line) for line in lines if line)


def classify_line(line: str, *, is_wiki: bool = False, position: int = 0) -> str | None:
    """Name of the rule that makes this whole line noise, or None for a line to keep."""
    if not line:
        return None
    if is_spam(line):
        return "spam"
    if is_wiki and position < 6 and WIKI_FROM.match(line):
        return "wiki-from"
    # The three patterns that scan the whole line are skipped when the line lacks the
    # words they need (a cheap test on the lower-cased line, exact for case-insensitive
    # ASCII words unless one of the few letters re.IGNORECASE equates with an ASCII letter
    # is present).
    lower = line.lower() if line.isascii() or not IGNORECASE_ASCII_LOOKALIKES.search(line) else None
    for rule, pattern in LINE_PATTERNS:
        hint = LINE_PATTERN_HINTS.get(rule)
        if hint is not None and lower is not None and not hint(lower):
            continue
        if pattern.search(line):
            return rule
    if is_navigation(line):
        return "navigation"
    if is_account_prompt(line):
        return "account"
    if not LETTER_OR_DIGIT.search(line):
        return "symbols"
    if _is_short_copyright(line):
        return "copyright"
    return None


@functools.lru_cache(maxsize=2048)
def _words(line: str) -> tuple[str, ...]:
    """The line's words and numbers, casefolded (cached: each paragraph is asked for them
    up to three times, by the spam test, the repetition key and the pull-quote test)."""
    return tuple(WORD_OR_NUMBER.findall(line.casefold()))


def is_spam(line: str) -> bool:
    """Keyword stuffing and ad lines: spam vocabulary or heavy word repetition without sentences."""
    words = _words(line)
    if not words:
        return False
    hits = sum(map(SPAM_WORDS.__contains__, words))
    if SENTENCE_PUNCTUATION.search(line):
        # A sentence that is mostly spam vocabulary ("Buy cheap viagra, cialis online!").
        return hits >= 3 and hits >= len(words) / 2
    is_lowercase = not any(ch.isupper() for ch in line)
    if hits >= 2 or (hits == 1 and is_lowercase and len(words) <= 6):
        return True
    repetitive = len(set(words)) / len(words) <= 0.5
    return is_lowercase and len(words) >= 6 and repetitive


def _word_count_at_most(line: str, limit: int) -> bool:
    """len(line.split()) <= limit, without splitting a long paragraph to the end."""
    return len(line.split(maxsplit=limit)) <= limit


def _normalise_menu_text(line: str) -> str:
    line = line.casefold().replace("’", "'")
    return MENU_TEXT_EDGES.sub("", line).strip()


def is_navigation(line: str) -> bool:
    """A short menu-like line: a known menu item, or several of them separated by | • » /."""
    if len(line) > 80 or len(line.split()) > 12:
        return False
    if any(pattern.search(line) for pattern in NAVIGATION_PATTERNS):
        return True
    normalised = _normalise_menu_text(line)
    if normalised in NAVIGATION_PHRASES:
        return True
    # A menu bar: several short items, at least half of them known menu items.
    parts = [_normalise_menu_text(part) for part in MENU_SEPARATORS.split(line)]
    parts = [part for part in parts if part]
    known = sum(1 for part in parts if part in NAVIGATION_PHRASES)
    all_short = all(len(part.split()) <= 3 for part in parts)
    return len(parts) >= 2 and all_short and known * 2 >= len(parts)


def is_account_prompt(line: str) -> bool:
    """Log-in / register / subscribe prompts, as opposed to sentences that mention an account."""
    return (
        _word_count_at_most(line, 25)
        and bool(ACCOUNT_WORDS.search(line))
        and bool(ACCOUNT_PROMPT.search(line))
    )


def _is_short_copyright(line: str) -> bool:
    if not _word_count_at_most(line, 15):
        return False
    return bool(COPYRIGHT_START.match(line) or RIGHTS_RESERVED_AT_END.search(line))


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


def _strip_inline_markers(paragraphs: list[_Paragraph]) -> None:
    for paragraph in paragraphs:
        if paragraph.rule is not None:
            continue
        text = paragraph.original
        if paragraph.is_heading:
            marker = EDIT_MARKER_AT_END.search(text).group().strip()
            paragraph.inline.append(Removal(marker, "wiki-edit-marker"))
            text = paragraph.bare
        markers = CITATION_MARKER.findall(text)
        paragraph.inline += [Removal(marker, "citation-marker") for marker in markers]
        if markers:
            text = CITATION_MARKER.sub("", text)
        if any(pair in text for pair in SPACES_BEFORE_PUNCTUATION):
            text = SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
        paragraph.text = _single_spaced(text)


# --- repetition -------------------------------------------------------------

CAPTION_CUES = re.compile(
    r"\b(photo|image|picture|screen ?grab|screenshot|caption|credit|courtesy|getty|flickr|"
    r"shutterstock|rights reserved|file photo|pictured)\b|\[[A-Z][\w .]{1,30}\]$",
    re.I,
)
PULL_QUOTE_MAX_WORDS = 60
PULL_QUOTE_MIN_WORDS = 8


def _repetition_key(text: str) -> str:
    return " ".join(_words(text))


def _repeat_rule(text: str) -> str:
    is_caption = len(text.split()) <= 60 and CAPTION_CUES.search(text)
    return "repeated-caption" if is_caption else "repeated-paragraph"


def _drop_repeats(paragraphs: list[_Paragraph]) -> None:
    """Later copies of a paragraph, and pull quotes whose words reappear in a longer paragraph."""
    seen: set[str] = set()
    for paragraph in paragraphs:
        if paragraph.rule is not None:
            continue
        if len(_words(paragraph.text)) < 3:  # the words of the key
            continue
        key = _repetition_key(paragraph.text)
        if key in seen:
            paragraph.rule = _repeat_rule(paragraph.text)
        seen.add(key)
    _drop_pull_quotes(paragraphs)


def _bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:]))


def _drop_pull_quotes(paragraphs: list[_Paragraph]) -> None:
    live = [p for p in paragraphs if p.rule is None]
    header_zone = _header_zone_size(live)
    word_lists = [_words(p.text) for p in live]
    bigram_sets = [_bigrams(words) for words in word_lists]
    postings = None
    for index, paragraph in enumerate(live):
        words = word_lists[index]
        if not PULL_QUOTE_MIN_WORDS <= len(words) <= PULL_QUOTE_MAX_WORDS:
            continue
        if index < header_zone and not CAPTION_CUES.search(paragraph.text):
            continue
        if len(live) <= FEW_PARAGRAPHS and not _shares_enough_with_a_longer(index, word_lists, bigram_sets):
            continue
        if postings is None:
            postings = _postings(bigram_sets)
        source = _longer_paragraph_containing(index, word_lists, bigram_sets, postings)
        if source is not None and live[source].rule is None:
            paragraph.rule = _repeat_rule(paragraph.text)


# Up to this many paragraphs, comparing a paragraph with every longer one directly is
# cheaper than indexing all word pairs; the index is then built only for a paragraph that
# does share enough with a longer one (a real pull quote, rare).
FEW_PARAGRAPHS = 50


def _shares_enough_with_a_longer(index, word_lists, bigram_sets) -> bool:
    """Whether some longer paragraph has 75% of this one's word pairs: without one,
    _longer_paragraph_containing finds nothing (it checks each answer exactly so)."""
    mine = bigram_sets[index]
    needed = 0.75 * len(mine)
    length = len(word_lists[index])
    return any(
        len(words) > length and len(mine & bigram_sets[other]) >= needed
        for other, words in enumerate(word_lists)
    )


def _postings(bigram_sets) -> dict[tuple[str, str], list[int]]:
    """Word pair -> the paragraphs (indexes) that have it."""
    postings: dict[tuple[str, str], list[int]] = {}
    for index, bigrams in enumerate(bigram_sets):
        for bigram in bigrams:
            postings.setdefault(bigram, []).append(index)
    return postings


COMMON_BIGRAM_POSTINGS = 200


def _longer_paragraph_containing(index, word_lists, bigram_sets, postings) -> int | None:
    """A longer paragraph sharing at least 75% of this paragraph's word pairs, if any.

    Candidates are counted through an index of word pairs so that long pages stay
    fast; pairs too common to index ("of the") are left out of the count and the
    threshold is lowered by as many, then survivors are checked exactly."""
    mine = bigram_sets[index]
    needed = 0.75 * len(mine)
    shared: dict[int, int] = {}
    skipped = 0
    for bigram in mine:
        posting = postings[bigram]
        if len(posting) > COMMON_BIGRAM_POSTINGS:
            skipped += 1
            continue
        for other in posting:
            if other != index and len(word_lists[other]) > len(word_lists[index]):
                shared[other] = shared.get(other, 0) + 1
    for other, count in sorted(shared.items(), key=lambda item: -item[1]):
        if count + skipped < needed:
            break
        if len(mine & bigram_sets[other]) >= needed:
            return other
    return None


SENTENCE_END = re.compile(r"[.!?][”\"’)]?$")


def _header_zone_size(live: list[_Paragraph]) -> int:
    """Paragraphs before the first real body paragraph (headline, dek, byline) are never
    treated as pull quotes, even when the body repeats the headline's words. The body
    starts at the first sentence-sized paragraph that ends like a sentence."""
    for index, paragraph in enumerate(live):
        if len(paragraph.text.split()) >= 12 and SENTENCE_END.search(paragraph.text):
            return index
    return len(live)
