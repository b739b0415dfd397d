"""Repetition: later copies of a paragraph, and pull quotes and captions whose words
reappear in a longer paragraph of the same article.

Works on clean.py's paragraphs: each has ``text`` and ``rule`` (None while it is kept);
a repeat gets the rule "repeated-paragraph" or "repeated-caption".
"""

from __future__ import annotations

import re

from .line_rules import casefolded_words


CAPTION_CUES = re.compile(
    r"\b(photo|image|picture|screen ?grab|screenshot|caption|credit|courtesy|getty|flickr|"
    r"shutterstock|rights reserved|file photo|pictured)\b|\[[A-Z][\w .]{1,30}\]$",
    re.I,
)
PULL_QUOTE_MAX_WORDS = 60
PULL_QUOTE_MIN_WORDS = 8


def _repeat_rule(text: str) -> str:
    is_caption = len(text.split()) <= 60 and CAPTION_CUES.search(text)
    return "repeated-caption" if is_caption else "repeated-paragraph"


def drop_repeats(paragraphs: list[_Paragraph]) -> None:
    """Later copies of a paragraph, and pull quotes whose words reappear in a longer paragraph."""
    # A paragraph's key is its casefolded words. The tuple of them, not the words joined by
    # spaces: no word holds a space, so two tuples are equal exactly when their joins are.
    seen: set[tuple[str, ...]] = set()
    for paragraph in paragraphs:
        if paragraph.rule is not None:
            continue
        key = casefolded_words(paragraph.text)
        if len(key) < 3:
            continue
        if key in seen:
            paragraph.rule = _repeat_rule(paragraph.text)
        seen.add(key)
    _drop_pull_quotes(paragraphs)


def _bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:]))


def _drop_pull_quotes(paragraphs: list[_Paragraph]) -> None:
    live = [p for p in paragraphs if p.rule is None]
    header_zone = _header_zone_size(live)
    word_lists = [casefolded_words(p.text) for p in live]
    bigram_sets = [_bigrams(words) for words in word_lists]
    postings = None
    for index, paragraph in enumerate(live):
        words = word_lists[index]
        if not PULL_QUOTE_MIN_WORDS <= len(words) <= PULL_QUOTE_MAX_WORDS:
            continue
        if index < header_zone and not CAPTION_CUES.search(paragraph.text):
            continue
        if len(live) <= FEW_PARAGRAPHS:
            source = _longer_paragraph_sharing_most(index, word_lists, bigram_sets)
        else:
            if postings is None:
                postings = _postings(bigram_sets)
            source = _longer_paragraph_containing(index, word_lists, bigram_sets, postings)
        if source is not None and live[source].rule is None:
            paragraph.rule = _repeat_rule(paragraph.text)


# Up to this many paragraphs, comparing a paragraph with every longer one directly is
# cheaper than indexing all word pairs.
FEW_PARAGRAPHS = 50


def _longer_paragraph_sharing_most(index, word_lists, bigram_sets) -> int | None:
    """_longer_paragraph_containing's answer, found by comparing with each longer paragraph
    (with no more paragraphs than COMMON_BIGRAM_POSTINGS, no pair is too common for its
    index, so it counts exactly the shared pairs): the longer paragraph sharing the most,
    if at least 75%, the earliest of those sharing as many."""
    mine = bigram_sets[index]
    length = len(word_lists[index])
    longer = [other for other, words in enumerate(word_lists) if len(words) > length]
    if not longer:
        return None
    best = max(longer, key=lambda other: (len(mine & bigram_sets[other]), -other))
    return best if len(mine & bigram_sets[best]) >= 0.75 * len(mine) else None


def _postings(bigram_sets) -> dict[tuple[str, str], list[int]]:
    """Word pair -> the paragraphs (indexes) that have it."""
    postings: dict[tuple[str, str], list[int]] = {}
    for index, bigrams in enumerate(bigram_sets):
        for bigram in bigrams:
            postings.setdefault(bigram, []).append(index)
    return postings


COMMON_BIGRAM_POSTINGS = 200
assert FEW_PARAGRAPHS <= COMMON_BIGRAM_POSTINGS  # what _longer_paragraph_sharing_most needs


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
    # The most shared first; between as many, the earliest paragraph (not the order the
    # set of pairs happened to count them in, which changes with the process's hash seed).
    for other, count in sorted(shared.items(), key=lambda item: (-item[1], item[0])):
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
