"""What stands above a headline and is not one: a site's section or tagline, a date stamp
without a year, an "updated" stamp, and a topic label in front of the headline.

The cleaner (line_rules.py) removes page chrome wherever it stands; these are the lines
that are only chrome in the header, above the headline, where extract.py reads them.
"""

from __future__ import annotations

import functools
import re

import pycountry

from .dates_in_text import is_yearless_date_line

#: Words of section names and taglines ("World News", "Business & Economy", "Latest News
#: And Gossip", "The Economist explains", "World Today").
SECTION_WORDS = {
    "news", "latest", "breaking", "top", "world", "local", "national", "international",
    "today", "business", "economy", "finance", "markets", "politics", "society", "culture",
    "gossip", "features", "feature", "opinion", "analysis", "comment", "blog", "blogs",
    "explains", "explained", "explainer", "briefing", "digest", "headlines", "stories",
    "library", "encyclopedia", "wire", "asia", "europe", "region", "regions", "live",
}
FUNCTION_WORDS = {"and", "&", "the", "of", "in", "for", "a", "from", "on"}
SECTION_MAX_WORDS = 4
#: "Last Updated: 07/27/2016", ". Updated 10:02": a stamp whose date is not the article's.
UPDATE_STAMP = re.compile(r"^\W*(?:last\s+)?(?:updated|modified)\s*:?\s*[\d/.:\-\s]*(?:[ap]\.?m\.?)?\W*$", re.I)


def is_header_chrome(paragraph: str) -> bool:
    """A line above the headline that is never the headline and gives no date."""
    return is_yearless_date_line(paragraph) or bool(UPDATE_STAMP.match(paragraph))


def is_section_label(paragraph: str) -> bool:
    """A section name or a site's tagline above the headline: a few words, no sentence
    punctuation, each capitalised or a section word, at least one of them a section word
    ("World News", "Business & Economy", "The Economist explains"), or a one- or two-word
    capitalised name ("Asia", "World Library")."""
    words = paragraph.split()
    if not 1 <= len(words) <= SECTION_MAX_WORDS or re.search(r"[^\w\s&\-’']", paragraph):
        return False
    lowered = [word.casefold() for word in words]
    capitalised = all(word[0].isupper() or low in SECTION_WORDS or low in FUNCTION_WORDS
                      for word, low in zip(words, lowered))
    if not capitalised:
        return False
    return len(words) <= 2 or any(low in SECTION_WORDS for low in lowered)


def outlet_in_label(label: str) -> str:
    """The site a tagline names ("The Economist explains" -> "The Economist"); "" for a
    section name made of section words only ("Latest News And Gossip")."""
    words = label.split()
    while words and words[-1].casefold() in SECTION_WORDS | FUNCTION_WORDS:
        words.pop()
    while words and words[0].casefold() in SECTION_WORDS:
        words.pop(0)
    named = [word for word in words if word.casefold() not in SECTION_WORDS | FUNCTION_WORDS]
    return " ".join(words) if named else ""


def is_topic_label(cue: str) -> bool:
    """A country named in front of a headline ("Kyrgyzstan: Bomb Attack On ..."): the
    headline's topic, not the outlet that published it."""
    return cue.casefold() in _country_names()


@functools.lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    names = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                names.add(value.casefold())
    return frozenset(names)
