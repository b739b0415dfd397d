"""Search-result snippets: up to 3 fragments of about 200 characters around the matched
terms, as HTML in which only <mark> is markup and everything else is escaped once.

Pure Python, given the raw (unescaped) clean text; no template tag, no index access.
haystack's {% highlight %} only strips tags (so `zebra <svg/onload=alert(1)` came out
unchanged) and gives one window; this replaces it.

Matching follows the index: words match by stem ("bombing" marks "bombings"), phrases
match their words in sequence with stop words skipped ("war on terror"), prefixes
(`milit*`) match the start of a word.
"""

from __future__ import annotations

import bisect
import html
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from bleach.sanitizer import Cleaner

try:  # The same stemmers and stop words as the index (pure-Python functions).
    from whoosh.analysis import STOP_WORDS as _STOP_WORDS
    from whoosh.lang.porter import stem as _porter_stem
    from whoosh.lang.snowball.russian import RussianStemmer

    _russian_stem = RussianStemmer().stem
except ImportError:  # pragma: no cover - another engine without whoosh installed
    def _russian_stem(word):
        return word

    _STOP_WORDS = frozenset(
        "a an and are as at be by can for from have if in is it may not of on or tbd "
        "that the this to us we when will with yet you your".split()
    )

    def _porter_stem(word):
        for suffix in ("ings", "ing", "edly", "ed", "ies", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
        return word


STOP_WORDS = frozenset(_STOP_WORDS)
WORD_RE = re.compile(r"\w+(?:['’.]\w+)*")
FRAGMENT_CHARS = 200
MAX_FRAGMENTS = 3
ELLIPSIS = "…"

_cleaners = threading.local()


def _cleaner() -> Cleaner:
    """This thread's Cleaner (building one per fragment cost more than the cleaning;
    a Cleaner's parser keeps state, so threads do not share one)."""
    cleaner = getattr(_cleaners, "cleaner", None)
    if cleaner is None:
        cleaner = _cleaners.cleaner = Cleaner(tags={"mark"}, attributes={}, strip=True)
    return cleaner


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """As the index stems it: Cyrillic words the Russian way, others the English way."""
    word = word.lower()
    if word and "а" <= word[0] <= "я" or word[:1] == "ё":
        return _russian_stem(word)
    return _porter_stem(word)


def words_of(text: str) -> list[str]:
    return [m.group() for m in WORD_RE.finditer(text or "")]


@dataclass
class Terms:
    """What to mark: words (stemmed), phrases (sequences of words), prefixes."""

    words: set[str] = field(default_factory=set)  # stems
    phrases: list[tuple[str, ...]] = field(default_factory=list)  # stems, stop words removed
    prefixes: set[str] = field(default_factory=set)  # lowercase

    @classmethod
    def build(cls, words=(), phrases=(), prefixes=()) -> "Terms":
        terms = cls()
        for word in words:
            for part in words_of(word):
                if part.lower() not in STOP_WORDS:
                    terms.words.add(stem(part))
        for phrase in phrases:
            parts = tuple(stem(w) for w in words_of(phrase) if w.lower() not in STOP_WORDS)
            if len(parts) == 1:
                terms.words.add(parts[0])
            elif parts:
                terms.phrases.append(parts)
        for prefix in prefixes:
            prefix = prefix.strip("*").lower()
            if prefix:
                terms.prefixes.add(prefix)
        return terms

    def __bool__(self):
        return bool(self.words or self.phrases or self.prefixes)

    def _candidate_prefixes(self):
        # A Porter stem is the word's start with at most its last letter changed
        # ("happi" for "happy"), so a word can only match if it starts with the stem
        # minus one letter: a cheap test before stemming.
        stems = set(self.words)
        for phrase in self.phrases:
            stems.update(phrase)
        return tuple(sorted({s[:-1] if len(s) > 2 else s for s in stems} | self.prefixes))


def find_matches(text: str, terms: Terms) -> list[tuple[int, int]]:
    """(start, end) character spans of matches, sorted, not overlapping."""
    if not text or not terms:
        return []
    lowered = text.lower()
    if terms.phrases or len(lowered) != len(text):
        spans = _every_word_matches(text, terms)
    else:
        spans = _candidate_word_matches(text, lowered, terms)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _every_word_matches(text: str, terms: Terms) -> list[tuple[int, int]]:
    candidates = terms._candidate_prefixes()
    spans = []
    content = []  # (start, end, stem or None) of non-stop words, for phrases
    for m in WORD_RE.finditer(text):
        lower = m.group().lower()
        if lower in STOP_WORDS:
            continue
        s = stem(lower) if lower.startswith(candidates) else None
        content.append((m.start(), m.end(), s))
        if _word_matches(lower, s, terms):
            spans.append((m.start(), m.end()))
    for phrase in terms.phrases:
        n = len(phrase)
        first = phrase[0]
        for i in range(len(content) - n + 1):
            if content[i][2] != first:
                continue
            if all(content[i + k][2] == phrase[k] for k in range(1, n)):
                spans.append((content[i][0], content[i + n - 1][1]))
    return spans


def _candidate_word_matches(text: str, lowered: str, terms: Terms) -> list[tuple[int, int]]:
    """Without phrases only the words that start with a candidate prefix can match: the
    regex engine finds them, instead of a Python step per word (a search page's snippets
    were a sixth of its time). ``lowered`` is text.lower(), of the same length."""
    candidates = terms._candidate_prefixes()
    spans = []
    for at in _candidate_starts(candidates).finditer(lowered):
        m = WORD_RE.match(lowered, at.start())
        lower = m.group() if m else ""
        if lower.startswith(candidates) and lower not in STOP_WORDS and _word_matches(lower, stem(lower), terms):
            spans.append((m.start(), m.end()))
    return spans


@lru_cache(maxsize=256)
def _candidate_starts(candidates: tuple[str, ...]) -> re.Pattern:
    """Where a word (WORD_RE) starting with one of ``candidates`` begins: not inside a
    word, nor after a word's inner apostrophe or full stop ("U.S", "don't")."""
    return re.compile(r"(?<!\w)(?<!\w['’.])(?=%s)" % "|".join(map(re.escape, candidates)))


def _word_matches(lower: str, stemmed: str | None, terms: Terms) -> bool:
    if stemmed is not None and stemmed in terms.words:
        return True
    return bool(terms.prefixes) and lower.startswith(tuple(terms.prefixes))


PARAGRAPH_BREAK = "\n\n"


def _word_start(text: str, pos: int) -> int:
    """The start of the word at or after pos (never inside a word)."""
    if pos <= 0:
        return 0
    if text[pos - 1].isspace():
        return pos
    m = re.compile(r"\s").search(text, pos)
    return m.end() if m else len(text)


def _word_end(text: str, pos: int) -> int:
    """The end of the word at or before pos (never inside a word)."""
    if pos >= len(text):
        return len(text)
    if text[pos].isspace():
        return pos
    i = pos
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _window(text: str, start: int, end: int, size: int) -> tuple[int, int]:
    """A window of about ``size`` characters around [start, end), on word boundaries and
    inside the paragraph that holds the match: a snippet never runs a heading or the end of
    one paragraph into the next."""
    first, last = _paragraph_bounds(text, start, end)
    slack = max(0, size - (end - start))
    lo = max(first, start - slack // 3)
    hi = min(last, end + slack - (start - lo))
    lo = max(first, min(lo, hi - size))
    lo = _word_start(text, lo) if lo > first else first
    if lo > start:  # the match itself begins the window
        lo = start
        while lo > first and not text[lo - 1].isspace():
            lo -= 1
    hi = _word_end(text, hi) if hi < last else last
    if hi < end:
        hi = end
        while hi < last and not text[hi].isspace():
            hi += 1
    return lo, hi


def _paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    first = text.rfind(PARAGRAPH_BREAK, 0, start)
    last = text.find(PARAGRAPH_BREAK, end)
    return (0 if first < 0 else first + len(PARAGRAPH_BREAK)), (len(text) if last < 0 else last)


def _render(text: str, lo: int, hi: int, spans) -> str:
    out = []
    if lo > 0:
        out.append(ELLIPSIS + " ")
    pos = lo
    for start, end in spans:
        if start < lo or end > hi:
            continue
        out.append(html.escape(text[pos:start], quote=False))
        out.append("<mark>" + html.escape(text[start:end], quote=False) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:hi], quote=False))
    if hi < len(text):
        out.append(" " + ELLIPSIS)
    fragment = re.sub(r"\s+", " ", "".join(out)).strip()
    # The final guarantee: whatever happened above, only <mark> survives as markup.
    return _cleaner().clean(fragment)


def mark_all(text: str, terms: Terms) -> str:
    """The whole text as HTML with every match marked (an article page reached from a search)."""
    return _render(text, 0, len(text), find_matches(text, terms))


#: Characters of an article page in which matches are marked (about 15 printed pages).
#: Marking costs ~10 ms per 100,000 characters for a rare word but far more for a prefix
#: that matches every other word: a 5 MB article took seconds, holding a worker meanwhile.
MARK_MAX_CHARS = 100_000


def mark_leading(paragraphs: list[str], terms: Terms, max_chars: int = MARK_MAX_CHARS) -> tuple[list[str], bool]:
    """Every paragraph as HTML, matches marked in the first `max_chars` characters only,
    the rest escaped. Returns (paragraphs, whether some text was left unmarked)."""
    out, budget = [], max_chars
    for text in paragraphs:
        if budget <= 0:
            out.append(html.escape(text, quote=False))
            continue
        if len(text) <= budget:
            out.append(mark_all(text, terms))
        else:
            cut = _word_end(text, budget) or budget
            out.append(mark_all(text[:cut], terms) + html.escape(text[cut:], quote=False))
        budget -= len(text)
    return out, budget < 0


def snippets(
    text: str,
    terms: Terms | None,
    max_fragments: int = MAX_FRAGMENTS,
    size: int = FRAGMENT_CHARS,
) -> list[str]:
    """Up to ``max_fragments`` HTML fragments; the text's opening if nothing matches."""
    text = text or ""
    if not text.strip():
        return []
    spans = find_matches(text, terms) if terms else []
    if not spans:
        lo, hi = _window(text, 0, 0, size)
        return [_render(text, 0, hi, [])]
    starts = [s for s, _ in spans]
    candidates = []
    for i, (start, end) in enumerate(spans):
        lo, hi = _window(text, start, end, size)
        first = bisect.bisect_left(starts, lo)
        last = bisect.bisect_right(starts, hi)
        inside = [(s, e) for s, e in spans[first:last] if e <= hi]
        distinct = len({text[s:e].lower() for s, e in inside})
        candidates.append((-distinct, -len(inside), start, lo, hi))
    candidates.sort()
    chosen = []
    for _, _, _, lo, hi in candidates:
        if any(lo < c_hi and c_lo < hi for c_lo, c_hi in chosen):
            continue
        chosen.append((lo, hi))
        if len(chosen) >= max_fragments:
            break
    chosen.sort()
    return [_render(text, lo, hi, spans) for lo, hi in chosen]
