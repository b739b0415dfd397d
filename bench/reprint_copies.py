"""Reprints in the bench's synthetic corpus (issue 16): one story in GROUP_EVERY starts a
group of 2-5 versions, the original and its copies on the numbers right after it; each
copy makes one to three of the edits syndication makes (another headline, an outlet line,
a paragraph dropped, quotes straightened, a trailer).

Deterministic like the rest of bench/generate.py: a number's text depends only on (seed,
number). The manifest's `version_of` names the original's number for every member of a
group (the original's own number included), the ground truth of bench/versions_quality.py.
"""

from __future__ import annotations

import random

GROUP_EVERY = 20  # with 2-5 versions each: ~6 % of stories reprinted, ~17 % of articles in a group
MIN_VERSIONS, MAX_VERSIONS = 2, 5

HEADLINES = ["{} in focus", "What we know about {}", "Analysis: {}", "{}: the full story", "Explainer — {}"]
OUTLET_LINES = ["Republished from Asia Wire Service", "By our partners at Steppe Monitor",
                "SOURCE: Caspian Desk", "Syndicated by Pamir Digest"]
TRAILERS = ["This article first appeared in Ferghana Weekly and is republished with permission.",
            "Translated by the Kulob Courier's desk from the original report.",
            "A version of this story ran in the Zarafshon Bulletin's morning edition."]


def group_of(seed: int, number: int) -> tuple[int, int]:
    """(the original's number, the group's size) for a number in a group; (number, 1) otherwise."""
    start = number - number % GROUP_EVERY
    size = random.Random(f"{seed}:versions:{start}").randint(MIN_VERSIONS, MAX_VERSIONS)
    return (start, size) if number - start < size else (number, 1)


def article(generator, number: int) -> tuple[str, dict]:
    """generator.article(number), or a copy of its group's original."""
    original, size = group_of(generator.seed, number)
    if size == 1:
        return generator.article(number)
    text, meta = generator.article(original)
    meta = dict(meta, n=number, version_of=original)
    if number == original:
        return text, meta
    rng = random.Random(f"{generator.seed}:copy:{number}")
    edits = rng.sample(EDITS, rng.randint(1, 3))
    for edit in edits:
        text, meta = edit(text, meta, rng)
    meta["countries"] = [c for c in meta["countries"] if c in text]
    return text, meta


def _headline(text, meta, rng):
    title = rng.choice(HEADLINES).format(meta["title"].rstrip(".").split(",")[0][:60])
    first, rest = text.split("\n", 1)
    return title + "\n" + rest, dict(meta, title=title)


def _outlet_line(text, meta, rng):
    first, rest = text.split("\n", 1)
    return f"{first}\n\n{rng.choice(OUTLET_LINES)}\n{rest}", meta


def _paragraph_dropped(text, meta, rng):
    paragraphs = text.split("\n\n")
    if len(paragraphs) < 6:
        return text, meta
    del paragraphs[rng.randrange(2, len(paragraphs) - 2)]
    return "\n\n".join(paragraphs), meta


def _quotes_straightened(text, meta, rng):
    straight = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-"})
    return text.translate(straight), dict(meta, title=meta["title"].translate(straight))


def _trailer(text, meta, rng):
    return text.rstrip("\n") + "\n\n" + rng.choice(TRAILERS) + "\n", meta


EDITS = [_headline, _outlet_line, _paragraph_dropped, _quotes_straightened, _trailer]
