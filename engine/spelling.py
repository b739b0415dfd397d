"""The archive's vocabulary, the "spell" field (a WORDS field of each document's distinct
unstemmed words, engine/fields.py): did-you-mean corrects the query's unknown or rare
words from it, and the search asks it which spellings of a name the archive holds."""

import re

from django.utils.encoding import force_str

#: A word in at most this many documents may still be a typo of a commoner word.
RARE_WORD_DOCS = 2


def suggest(searcher, query_string, spell_field, reserved_words=()):
    """Correct the words of the query that the index does not know; None if none."""
    words = re.findall(r"[^\W\d_]+", force_str(query_string))
    if not words or spell_field not in searcher.schema.names():
        return None
    changed = False
    out = []
    for word in words:
        if word in reserved_words:
            continue
        lower = word.lower()
        best = _correction(searcher, spell_field, lower)
        out.append(best or lower)
        changed = changed or bool(best)
    return " ".join(out) if changed else None


def _correction(searcher, spell_field, lower):
    """The commonest of the nearest known words, when ``lower`` looks like a typo."""
    known = searcher.doc_frequency(spell_field, lower)
    if len(lower) < 3 or known > RARE_WORD_DOCS:
        return None
    best = None
    # The nearest words first; among equally near ones, the most common.
    for maxdist in (1, 2):
        near = set(searcher.reader().terms_within(spell_field, lower, maxdist, prefix=1))
        near.discard(lower)
        if near:
            best = max(sorted(near), key=lambda w: searcher.doc_frequency(spell_field, w))
            break
    if best and known and searcher.doc_frequency(spell_field, best) < 3 * known:
        return None  # a rare word, but not a typo of a much commoner one
    return best


def known_words(searcher, spell_field, words):
    """The words of ``words`` that a live document holds (postings skip deleted ones)."""
    reader = searcher.reader()
    return {w for w in set(words) if (spell_field, w) in reader and searcher.postings(spell_field, w).is_active()}
