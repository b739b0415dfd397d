"""Publication dates as articles write them: date lines and timestamps, a "date" prefix, a
dated dateline, a byline's date, and a date in the page's address.

The rule throughout: a date is only taken when it has a year, and only from a place that
states when the article appeared (a line of its own at the top, a dateline, a byline, the
address). A day and month without a year stay unknown; dates inside sentences, captions
and "updated" stamps are never the publication date.
"""

from __future__ import annotations

import datetime
import functools
import re

from dateutil import parser as date_parser

#: Russian month names as the region's sites print them ("03 фев 2022", "5 февраля 2021"),
#: each given to dateutil as its English month.
RUSSIAN_MONTHS = {
    form: english
    for english, forms in (
        ("Jan", "янв январь января"), ("Feb", "фев февраль февраля"), ("Mar", "мар март марта"),
        ("Apr", "апр апрель апреля"), ("May", "май мая"), ("Jun", "июн июнь июня"),
        ("Jul", "июл июль июля"), ("Aug", "авг август августа"), ("Sep", "сен сент сентябрь сентября"),
        ("Oct", "окт октябрь октября"), ("Nov", "ноя нояб ноябрь ноября"), ("Dec", "дек декабрь декабря"),
    )
    for form in forms.split()
}
RUSSIAN_MONTH = rf"(?i:(?:{'|'.join(sorted(RUSSIAN_MONTHS, key=len, reverse=True))})(?![а-яё])\.?)"
MONTH_WORD = rf"(?:[A-Z][a-z]{{2,8}}\.?|{RUSSIAN_MONTH})"
WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:[a-z]{0,5}day)?\.?"
ORDINAL = r"(?:st|nd|rd|th)?"
DATE_SHAPES = (
    rf"\d{{1,2}}{ORDINAL}\s+{MONTH_WORD},?\s+\d{{4}}"  # 28 September 2017, 8 February, 2022
    rf"|{MONTH_WORD}\s+\d{{1,2}}{ORDINAL},?\s+\d{{4}}"  # March 12, 2017
    rf"|{MONTH_WORD},?\s+\d{{4}}"  # March 2017
    r"|\d{4}-\d{2}-\d{2}"  # 2017-03-12
    r"|\d{1,2}\.\d{1,2}\.\d{4}"  # 30.10.2017 (day first, as everywhere dots are used)
)
DATE_IN_TEXT = re.compile(rf"(?<!\w)(?:{DATE_SHAPES})(?!\w)")
DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

#: A time after a date: "17:49", "10.26 EDT", "03:18 PM BdST", "| 06:41 AM UTC", "10:02:00".
TIME = (
    r"(?:\s*(?:,|\||@|at|-|–)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*\(?[A-Za-z]{2,5}(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\)?)?)"
)
#: What may stand before a date on a line of its own ("Published:", "• publish:", "This
#: article is from"); "updated" labels mark a date that is not the publication's.
LABEL = (
    r"(?:(?P<label>published|publish|posted|date|dated|last updated|updated|modified|"
    r"this (?:article|story|page) (?:is|was) (?:from|published on|posted on)|from)\s*(?:on)?\s*[:\-]?\s*)?"
)
TIMESTAMP_LINE = re.compile(
    rf"^[•·*>\-–\s]*{LABEL}(?:{WEEKDAY},?\s+)?(?P<date>{DATE_SHAPES})(?:\s*г\.?)?{TIME}?"
    rf"(?P<rest>\s*(?:updated|modified)\b.*)?\.?$",
    re.I,
)
UPDATE_LABELS = {"last updated", "updated", "modified"}
#: A stamp is a short line: longer ones are prose, and are not read as stamps at all.
STAMP_MAX_CHARS = 160
#: A date line without a year ("Sunday, 22 December", "Oct 15", "Oct", "15:20"): chrome
#: above the headline, never a date and never the headline.
YEARLESS_DATE_LINE = re.compile(
    rf"^(?:{WEEKDAY},?\s*)?(?:\d{{1,2}}{ORDINAL}\s+{MONTH_WORD}|{MONTH_WORD}(?:\s+\d{{1,2}}{ORDINAL})?)"
    rf"{TIME}?$|^{WEEKDAY}$|^\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?$",
    re.I,
)
MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}


def parse_date(text: str) -> tuple[datetime.date, str] | None:
    """Parse a date string with dateutil; return (date, precision) or None.

    Parsing twice with different defaults tells which parts the string really
    contained: a part that follows the default was not in the text.
    """
    text = re.sub(RUSSIAN_MONTH, lambda month: RUSSIAN_MONTHS[month.group().rstrip(".").casefold()], text)
    dotted = DOTTED.match(text.strip())
    if dotted:
        day, month, year = dotted.groups()
        text = f"{year}-{int(month):02d}-{int(day):02d}"
    parsed = _parse_with_two_defaults(text)
    if parsed is None:
        return None
    first, second = parsed
    if first.year != second.year or not plausible_year(first.year):
        return None
    if first.month != second.month:
        return first.date().replace(month=1, day=1), "year"
    if first.day != second.day:
        return first.date().replace(day=1), "month"
    return first.date(), "day"


@functools.lru_cache(maxsize=4096)
def _parse_with_two_defaults(text: str) -> tuple[datetime.datetime, datetime.datetime] | None:
    """dateutil's reading of a date string under two defaults (see parse_date), or None,
    remembered: dateutil takes ~0.1 ms a string, and an archive's date strings recur (one
    day's articles, one site's format). Exact: the reading depends on the string alone
    (the defaults are fixed; the current date is not read), and datetimes are immutable."""
    try:
        first = date_parser.parse(text, default=datetime.datetime(1904, 1, 1))
        second = date_parser.parse(text, default=datetime.datetime(1908, 2, 2))
    except (ValueError, OverflowError):
        return None
    return first, second


def plausible_year(year: int) -> bool:
    return 1800 <= year <= datetime.date.today().year + 1


def parse_date_line(line: str) -> tuple[datetime.date, str] | None:
    """A line that is nothing but a publication timestamp with a year ("March 12, 2017",
    "7 Sep 2017 17:49", "PUBLISHED : Tuesday, 04 April, 2017", "• publish: 22 August 2015").
    A line that only says when the page was updated gives no date."""
    stamp = timestamp_line(line)
    if stamp is None or stamp[1]:
        return None
    return stamp[0]


def timestamp_line(line: str) -> tuple[tuple[datetime.date, str] | None, bool] | None:
    """(date or None, is an update stamp) when the line is nothing but a timestamp."""
    if len(line) > STAMP_MAX_CHARS:
        return None
    match = TIMESTAMP_LINE.match(" ".join(line.split()))
    if not match:
        return None
    label = (match.group("label") or "").casefold()
    return parse_date(match.group("date")), label in UPDATE_LABELS


def is_yearless_date_line(line: str) -> bool:
    if len(line) > STAMP_MAX_CHARS:
        return False
    return bool(YEARLESS_DATE_LINE.match(line.strip())) and _names_a_month_or_time(line)


def _names_a_month_or_time(line: str) -> bool:
    words = re.findall(r"[A-Za-z]+", line)
    return any(word.casefold() in MONTHS for word in words) or bool(re.search(r"\d[:.]\d{2}", line)) or (
        len(words) == 1 and re.fullmatch(WEEKDAY, words[0], re.I) is not None
    )


# --- a date that opens the text ---------------------------------------------------------

DATE_PREFIX = re.compile(rf"^\s*date\s*:?\s*(?P<date>\d{{4}}-\d{{2}}-\d{{2}}){TIME}?\s+(?P<rest>\S.*)$", re.I | re.S)


def split_date_prefix(paragraph: str) -> tuple[tuple[datetime.date, str] | None, str] | None:
    """'date 2019-11-06 Militants attack ...' -> (that date, 'Militants attack ...'): a page
    template wrote the date in front of the first line."""
    match = DATE_PREFIX.match(paragraph)
    if not match:
        return None
    return parse_date(match.group("date")), match.group("rest").strip()


#: "ANDIJAN, Uzbekistan, 14 May 2005 — ", "DUSHANBE (UrduPoint News / Sputnik - 06th
#: November, 2019) The ...", "Bishkek, (Pakistan Point News – 30th August, 2016) : A car".
DATED_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’\-]*(?: [A-Z][A-Za-z.'’\-]*){0,3}),?\s*"
    r"(?P<extra>[^()—–\n]{0,40}?)\s*"
    r"(?:\((?P<agency>[^()\n]{0,70})\)\s*(?:[:—–]|--|-)?|\s(?:[:—–]|--|-))\s"
)


def date_in_dateline(paragraph: str) -> tuple[datetime.date, str] | None:
    """The date a dateline gives, in its place part or in its brackets."""
    match = DATED_DATELINE.match(paragraph)
    if not match or not (match.group("place").isupper() or match.group("agency") is not None):
        return None
    for part in (match.group("extra"), match.group("agency")):
        found = DATE_IN_TEXT.search(part or "")
        if found:
            dated = parse_date(found.group())
            if dated and dated[1] == "day":
                return dated
    return None


# --- the address ----------------------------------------------------------------------

YEAR_IN_PATH = r"(?P<year>(?:19|20)\d\d)"
ADDRESS_DATES = [
    # /2016/08/30/, 2022-01-06, -2024-07-05-, /2005/may/13/
    re.compile(rf"(?<![\d])({YEAR_IN_PATH})[/\-_](?P<month>\d{{1,2}}|[a-z]{{3,9}})[/\-_](?P<day>\d{{1,2}})(?![\d])", re.I),
    # /2016/0830/
    re.compile(rf"/{YEAR_IN_PATH}/(?P<month>\d\d)(?P<day>\d\d)/"),
    # /2007/8/ or /2017/10/: a month's folder
    re.compile(rf"/{YEAR_IN_PATH}/(?P<month>\d{{1,2}})/(?!\d)"),
]


def date_in_address(url: str) -> tuple[datetime.date, str] | None:
    """The date a page's address gives: year, month and day, or year and month. htmldate's
    URL rule reads only a full Y/M/D; news sites also file by month folder and month name."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url or "", flags=re.I)
    for pattern in ADDRESS_DATES:
        for match in pattern.finditer(path):
            dated = _address_parts(match)
            if dated:
                return dated
    return None


def _address_parts(match: re.Match) -> tuple[datetime.date, str] | None:
    year, month = int(match.group("year")), match.group("month")
    month_number = int(month) if month.isdigit() else MONTHS.get(month.casefold())
    day = match.groupdict().get("day")
    if not month_number or not plausible_year(year):
        return None
    try:
        if day is None:
            return datetime.date(year, month_number, 1), "month"
        return datetime.date(year, month_number, int(day)), "day"
    except ValueError:
        return None
