"""A saved web page: its article text and what the page says about the article.

The body is found by trafilatura (the best-scoring open-source extractor on the article
extraction benchmark, see bench/extraction.py), in its precision mode: a page's furniture
(menus, share bars, related links, comments) costs more than the odd lost line. The
metadata is read from what the page declares for machines (JSON-LD, meta tags, <time>,
<link rel=canonical>), never guessed from the text; the pipeline falls back to the text
only where the page declares nothing.

Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura

from .extract import parse_date

#: Where a page's own charset declaration is looked for (the HTML spec's pre-scan: 1024).
DECLARATION_WINDOW = 4096
DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I
)
# Below this many characters, a JSON-LD articleBody longer than the extracted text is the
# article: pages that render their body by script hold it only there.
SHORT_EXTRACT = 500
ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]|\s*$)")
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})(?:[/-](\d{1,2}))?(?=[/_-])")
DATE_META_NAMES = (
    "article:published_time", "og:published_time", "datepublished", "citation_publication_date",
    "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date", "date", "pubdate",
    "publishdate", "publish-date", "sailthru.date", "parsely-pub-date",
)
# Never the article, whatever else the extractor falls back on when it finds none.
FURNITURE_XPATH = ["//nav", "//footer"]
# The date is read here (_declared_metadata), with its precision; trafilatura's own search
# through the whole page's text is time spent on a value not used.
CHEAP_DATE_SEARCH = {"extensive_search": False, "original_date": True}
#: The longest author or outlet the archive stores (the Source's columns).
ONE_LINE_MAX = 200
LANGUAGE_CODE = re.compile(r"^([a-z]{2,3})(?:[-_]|$)", re.I)


@dataclass
class PageMetadata:
    title: str = ""
    author: str = ""  # several authors: "A, B"
    published: datetime.date | None = None
    date_precision: str = "unknown"  # "day" | "month" | "year" | "unknown"
    site_name: str = ""
    language: str = ""  # ISO 639 code from the page's declaration, "" when undeclared
    original_url: str = ""  # http(s) only


@dataclass
class Page:
    text: str  # the article body, paragraphs separated by "\n\n"; "" when none found
    html: str  # the page as decoded, kept as the article's raw text
    metadata: PageMetadata = field(default_factory=PageMetadata)


def declared_charset(data: bytes) -> str | None:
    """The codec a page declares in <meta charset>, http-equiv or its XML declaration,
    when Python knows it; None otherwise."""
    match = DECLARED_CHARSET.search(data[:DECLARATION_WINDOW])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def read_page(html: str, *, url: str = "") -> Page:
    """The article in a decoded page. `url`: where the page was captured (a web archive's
    record), preferred to what the page says its address is."""
    tree = _parse(html)
    if tree is None:
        return Page("", html)
    structured = _json_ld(tree)
    declared = _declared_metadata(tree, structured)
    document = trafilatura.bare_extraction(
        tree, url=url or None, favor_precision=True, include_comments=False, with_metadata=True,
        prune_xpath=FURNITURE_XPATH, date_extraction_params=CHEAP_DATE_SEARCH,
    )
    text = _paragraphs(document.text if document is not None else "")
    body = _json_ld_body(structured)
    if len(text) < SHORT_EXTRACT and len(body) > len(text):
        text = body
    metadata = _metadata(declared, document, url)
    return Page(text=text, html=html, metadata=metadata)


def _parse(html: str):
    # An XML declaration with an encoding makes lxml refuse a str: the text is decoded already.
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html, count=1)
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def _paragraphs(text: str) -> str:
    """One paragraph per line from trafilatura, as the pipeline's "\\n\\n"-separated text."""
    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFC", text or "").split("\n"))
    return "\n\n".join(line for line in lines if line)


# --- metadata -------------------------------------------------------------------------

def _metadata(declared: dict, document, url: str) -> PageMetadata:
    meta = PageMetadata(language=declared["language"], author=declared["author"])
    if document is not None:
        meta.title = " ".join((document.title or "").split())
        meta.author = meta.author or ", ".join(name.strip() for name in (document.author or "").split(";") if name.strip())
        meta.site_name = _fit(" ".join((document.sitename or "").split()))
    meta.author = _fit(meta.author)
    meta.original_url = _http_url(url) or declared["url"] or _http_url(getattr(document, "url", "") or "")
    dated = declared["date"] or _date_in_url(meta.original_url)
    if dated:
        meta.published, meta.date_precision = dated
    return meta


def _fit(value: str) -> str:
    """A one-line value cut at a word to what the archive stores (a page can list dozens
    of authors; PostgreSQL refuses what does not fit the column)."""
    if len(value) <= ONE_LINE_MAX:
        return value
    return value[: ONE_LINE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;") + "…"


def _declared_metadata(tree, structured: list[dict]) -> dict:
    """What the page states in its markup: its address, date and language."""
    return {
        "url": _canonical_url(tree),
        "date": _structured_date(structured) or _meta_date(tree) or _time_date(tree),
        "language": _language(tree),
        "author": _structured_authors(structured),
    }


def _json_ld(tree) -> list[dict]:
    """Every JSON-LD object of the page (top level and inside @graph)."""
    objects = []
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                objects.append(item)
                objects += [node for node in item.get("@graph", []) if isinstance(node, dict)]
    return objects


def _json_ld_body(structured: list[dict]) -> str:
    bodies = [item.get("articleBody") for item in structured]
    longest = max((body for body in bodies if isinstance(body, str)), key=len, default="")
    # articleBody is plain text, but some sites put HTML in it.
    if "<" in longest:
        longest = "\n".join(lxml.html.fragment_fromstring(longest, create_parent="div").itertext())
    return _paragraphs(longest)


def _structured_authors(structured: list[dict]) -> str:
    """The article's authors as its JSON-LD names them (trafilatura drops a long list)."""
    for item in structured:
        kinds = item.get("@type")
        if not any(str(kind).endswith(("Article", "Posting", "Report")) for kind in (kinds if isinstance(kinds, list) else [kinds])):
            continue
        authors = item.get("author")
        names = [a.get("name") if isinstance(a, dict) else a for a in (authors if isinstance(authors, list) else [authors])]
        names = [" ".join(name.split()) for name in names if isinstance(name, str) and name.strip()]
        if names:
            return ", ".join(dict.fromkeys(names))
    return ""


def _structured_date(structured: list[dict]):
    for item in structured:
        value = item.get("datePublished") or item.get("dateCreated")
        if isinstance(value, str) and (dated := _date(value)):
            return dated
    return None


def _meta_date(tree):
    for element in tree.iterfind(".//meta[@content]"):
        name = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
        if name in DATE_META_NAMES and (dated := _date(element.get("content"))):
            return dated
    return None


def _time_date(tree):
    for element in tree.iterfind(".//time[@datetime]"):
        if (dated := _date(element.get("datetime"))):
            return dated
    return None


def _date(value: str):
    """(date, precision) of a machine-readable date: ISO 8601 first ("2019-11" is a month),
    then the archive's own date reading."""
    match = ISO_DATE.match(value or "")
    if match:
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            return datetime.date(year, month or 1, day or 1), "day" if day else "month" if month else "year"
        except ValueError:
            return None
    return parse_date(value) if value and len(value) < 60 else None


def _date_in_url(url: str):
    match = URL_DATE.search(urlsplit(url).path) if url else None
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        return datetime.date(year, month, day or 1), "day" if day else "month"
    except ValueError:
        return None


def _canonical_url(tree) -> str:
    for xpath in (".//link[@rel='canonical']", ".//meta[@property='og:url']"):
        for element in tree.iterfind(xpath):
            url = _http_url(element.get("href") or element.get("content") or "")
            if url:
                return url
    return ""


def _http_url(url: str) -> str:
    """The address when it is an absolute http(s) URL (it is shown as a link: never a
    javascript: or data: one), else ""."""
    url = url.strip()
    parts = urlsplit(url)
    return url if parts.scheme.lower() in {"http", "https"} and parts.netloc and len(url) <= 2000 else ""


def _language(tree) -> str:
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    candidates += [m.get("content") for m in tree.iterfind(".//meta[@http-equiv]")
                   if m.get("http-equiv", "").lower() == "content-language"]
    candidates += [m.get("content") for m in tree.iterfind(".//meta[@property='og:locale']")]
    for value in candidates:
        match = LANGUAGE_CODE.match((value or "").strip())
        if match:
            return match.group(1).lower()
    return ""
