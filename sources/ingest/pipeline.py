"""From the text of one uploaded file to the articles it contains.

Order: split the raw page first, then clean each segment. Splitting first keeps
each article's raw text exactly as read (for re-extraction and fingerprints),
and keeps repetition detection inside one article: a sentence shared by two
different articles on an archive page is not debris of either.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from .clean import Cleaned, Removal, classify_line, clean
from .country_weight import read_countries
from .state_bodies import resolve_organisations
from .entities import find_entities
from .extract import extract
from .gazetteer import Gazetteer
from .html_page import Page, read_page
from .language import detect_language
from .people import find_people
from .reprints import Fingerprint
from .read import is_page
from .split import split

#: Rules of classify_line that judge a text file's layout, not an extracted page's article:
#: a lone address there is a link the author wrote out.
TEXT_LAYOUT_RULES = {"bare-url"}
#: The rule of a recorded line in which the reader replaced undecodable bytes by U+FFFD.
UNDECODABLE = "undecodable-bytes"


@dataclass
class Article:
    position: int
    title: str
    title_is_derived: bool  # no headline: the title is the body's first sentence
    outlet: str
    author: str
    dateline: str
    published: datetime.date | None
    date_precision: str
    language: str
    text: str  # clean body, paragraphs separated by "\n\n"
    raw_text: str  # the raw segment as read
    removed: list[Removal] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    countries: dict[str, int] = field(default_factory=dict)
    passing_countries: set[str] = field(default_factory=set)  # named in passing (country_weight)
    organisations: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)  # name -> mentions
    years: dict[int, int] = field(default_factory=dict)
    fingerprint: str = ""
    # The text's shingles, made here (in the import's parse workers) so that the process
    # storing the articles need not read their texts back to find versions.
    shingles: Fingerprint | None = None
    original_url: str = ""  # where the page was published or captured (http(s) only)
    captured_at: datetime.datetime | None = None  # when a web archive captured the page


def process(text: str, gazetteer: Gazetteer, *, original_url: str = "") -> list[Article]:
    """The articles of one text file; `original_url`: where the text was published, when
    known (a page's address)."""
    articles = []
    for segment in split(text):
        article = _process_segment(segment.text, gazetteer, position=len(articles), original_url=original_url)
        if article is not None:
            articles.append(article)
    return articles


def reextract(raw_text: str, gazetteer: Gazetteer, *, file_name: str = "") -> list[Article]:
    """Run the pipeline again on an article's stored raw text (after rules changed);
    `file_name`: the file it was read from, which says whether it is a web page."""
    if is_page(raw_text, file_name):
        return process_page(read_page(raw_text), gazetteer)
    return process(raw_text, gazetteer)


def process_page(page: Page, gazetteer: Gazetteer, *, captured_at=None) -> list[Article]:
    """One web page's article: the body the extractor found, cleaned; the metadata the
    page declares, else what the text says. The raw text kept is the page itself."""
    cleaned = clean_page_text(page.text)
    if not cleaned.text:
        return []
    declared = page.metadata
    meta = extract(cleaned.text, removed=cleaned.removed, original_url=declared.original_url)
    title_is_derived = not declared.title and meta.title_from_body
    title = declared.title or meta.title
    searched = meta.body if title_is_derived else f"{title}\n\n{meta.body}"
    entities = find_entities(searched, gazetteer)
    countries = read_countries(searched, entities.hits, headline_end=0 if title_is_derived else len(title),
                               dateline=meta.dateline, gazetteer=gazetteer)
    if declared.published:
        published, precision = declared.published, declared.date_precision
    else:
        published, precision = meta.published, meta.date_precision
    return [Article(
        position=0,
        title=title,
        title_is_derived=title_is_derived,
        outlet=declared.site_name or meta.outlet,
        author=declared.author or meta.author,
        dateline=meta.dateline,
        published=published,
        date_precision=precision,
        language=detect_language(meta.body, declared.language),
        text=meta.body,
        raw_text=page.html,
        removed=cleaned.removed + _undecodable_lines(page.text),
        countries=countries.counts,
        passing_countries=countries.passing,
        organisations=resolve_organisations(searched, entities.hits, countries.scores, countries.about, gazetteer),
        people=find_people(searched, gazetteer),
        years=meta.years,
        # The article's text, not the page: a capture with other ads is the same article.
        fingerprint=fingerprint(page.text),
        shingles=Fingerprint.of(meta.body),
        original_url=declared.original_url,
        captured_at=captured_at,
    )]


def clean_page_text(text: str) -> Cleaned:
    """The archive's line rules over an extracted article. Not clean() as a whole: its
    repetition and wiki rules read a text file's layout, and on a page the extractor kept
    only the article's blocks, where a repeated paragraph is the author's (a recipe's
    steps, an interview's recurring question)."""
    kept, removed = [], []
    for position, paragraph in enumerate(text.split("\n\n")):
        rule = classify_line(paragraph, position=position)
        if rule is None or rule in TEXT_LAYOUT_RULES:
            kept.append(paragraph)
        else:
            removed.append(Removal(paragraph, rule))
    return Cleaned(text="\n\n".join(kept), removed=removed)


def _process_segment(raw: str, gazetteer: Gazetteer, *, position: int, original_url: str = "") -> Article | None:
    cleaned = clean(raw)
    if not cleaned.text:
        return None  # nothing but debris
    meta = extract(cleaned.text, removed=cleaned.removed, original_url=original_url)
    if not (meta.title or meta.body):
        return None  # only a date or a signature: nothing to read
    # Entities are counted in the headline and the body; a fallback title is the body's
    # own first sentence and would be counted twice.
    searched = meta.body if meta.title_from_body else f"{meta.title}\n\n{meta.body}"
    entities = find_entities(searched, gazetteer)
    countries = read_countries(searched, entities.hits, headline_end=0 if meta.title_from_body else len(meta.title),
                               dateline=meta.dateline, gazetteer=gazetteer)
    return Article(
        position=position,
        title=meta.title,
        title_is_derived=meta.title_from_body,
        outlet=meta.outlet,
        author=meta.author,
        dateline=meta.dateline,
        published=meta.published,
        date_precision=meta.date_precision,
        language=detect_language(meta.body),
        text=meta.body,
        raw_text=raw,
        removed=cleaned.removed + meta.removed + _undecodable_lines(raw),
        references=cleaned.references,
        countries=countries.counts,
        passing_countries=countries.passing,
        organisations=resolve_organisations(searched, entities.hits, countries.scores, countries.about, gazetteer),
        people=find_people(searched, gazetteer),
        years=meta.years,
        fingerprint=fingerprint(raw),
        shingles=Fingerprint.of(meta.body),
        original_url=original_url,
    )


def _undecodable_lines(raw: str) -> list[Removal]:
    """The lines that hold replaced bytes: kept in the text, and recorded so that a curator
    sees what was lost (and the import summary counts it)."""
    if "\ufffd" not in raw:
        return []  # the usual case: no line to split out
    return [Removal(line, UNDECODABLE) for line in raw.split("\n") if "\ufffd" in line]


def undecodable_count(article: Article) -> int:
    return sum(removal.line.count("\ufffd") for removal in article.removed if removal.rule == UNDECODABLE)


def fingerprint(raw_text: str) -> str:
    """Same article under another file name, re-wrapped or re-cased: same fingerprint."""
    normalised = " ".join(raw_text.split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
