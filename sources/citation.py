"""How to cite an article of the Archive: as a sentence to copy, as BibTeX and RIS files for
reference managers, and as Highwire `citation_*` meta tags (what Zotero reads from a page)."""

from dataclasses import dataclass

from .formatting import date_with_precision, long_date

DERIVED_TITLE_NOTE = "No headline; title taken from the first sentence"
SENTENCE_ENDS = (".", "…", "?", "!")


@dataclass(frozen=True)
class Citation:
    author: str
    outlet: str
    title: str
    title_is_derived: bool
    date: str
    url: str
    accessed: str
    original_url: str = ""

    @property
    def text(self):
        parts = []
        if self.author:
            parts.append(_as_sentence(self.author))
        if self.outlet:
            parts.append(_as_sentence(self.outlet))
        parts.append(f"“{_as_sentence(self.title)}”")
        if self.title_is_derived:
            parts.append(f"[{DERIVED_TITLE_NOTE}.]")
        parts.append(_as_sentence(self.date))
        if self.original_url:
            parts.append(f"Originally at {self.original_url}; archived at")
        parts.append(f"{self.url}.")
        parts.append(f"Accessed {self.accessed}.")
        return " ".join(parts)

    def __str__(self):
        return self.text


def _as_sentence(text):
    """`text` ending with one full stop: none added after "…", "?", "!" or one already there."""
    text = text.strip()
    return text if text.endswith(SENTENCE_ENDS) else f"{text}."


def citation_for(source, request, accessed):
    """The citation of `source`; the address is absolute and uses the current slug."""
    return Citation(
        author=source.author,
        outlet=source.outlet,
        title=source.title,
        title_is_derived=source.title_is_derived,
        date=date_with_precision(source),
        url=request.build_absolute_uri(source.get_absolute_url()),
        accessed=long_date(accessed),
        original_url=source.original_url,
    )


def _one_line(value):
    return " ".join(str(value).split())


def _date_parts(source):
    """(year, month, day) as far as the date's precision knows them, as strings."""
    if not source.published or source.date_precision == source.DatePrecision.UNKNOWN:
        return ()
    date = source.published
    known = {"year": 1, "month": 2, "day": 3}[source.date_precision]
    return (f"{date.year:04d}", f"{date.month:02d}", f"{date.day:02d}")[:known]


def highwire_tags(source, url):
    """(name, content) pairs for `<meta name="citation_…">`; the template escapes them."""
    tags = [("citation_title", source.title)]
    if source.author:
        tags.append(("citation_author", source.author))
    date = _date_parts(source)
    if date:
        tags.append(("citation_publication_date", "/".join(date)))
    if source.outlet:
        tags += [("citation_journal_title", source.outlet), ("citation_publisher", source.outlet)]
    tags += [("citation_public_url", url), ("citation_language", source.language)]
    return [(name, _one_line(content)) for name, content in tags]


# BibTeX: every character TeX treats specially, written so it prints as itself.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "%": r"\%",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def _bibtex_value(text):
    return "".join(BIBTEX_ESCAPES.get(char, char) for char in _one_line(text))


def bibtex(source, url, accessed):
    """One @online entry (biblatex; BibTeX reads it as @misc). UTF-8, values in braces,
    the title in double braces so styles keep its capitals."""
    fields = [("title", "{" + _bibtex_value(source.title) + "}")]
    if source.author:
        fields.append(("author", _bibtex_value(source.author)))
    if source.outlet:
        fields += [("organization", _bibtex_value(source.outlet)), ("journaltitle", _bibtex_value(source.outlet))]
    for name, value in zip(("year", "month", "day"), _date_parts(source)):
        fields.append((name, value))
    fields += [("url", _bibtex_value(url)), ("urldate", accessed.isoformat()), ("langid", source.language)]
    if source.title_is_derived:
        fields.append(("note", DERIVED_TITLE_NOTE))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{source.slug},\n{body}\n}}\n"


def ris(source, url, accessed):
    """One RIS record (type ELEC, web page); a value never spans lines, CRLF as the format says."""
    lines = [("TY", "ELEC"), ("TI", source.title)]
    if source.author:
        lines.append(("AU", source.author))
    if source.outlet:
        lines += [("T2", source.outlet), ("PB", source.outlet)]
    date = _date_parts(source)
    if date:
        lines += [("PY", date[0]), ("DA", "/".join(date))]
    lines += [("UR", url), ("Y2", accessed.isoformat()), ("LA", source.language)]
    if source.title_is_derived:
        lines.append(("N1", DERIVED_TITLE_NOTE))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines)
