"""A publication-date range typed by a journalist: ``published_from`` / ``published_to``.

Each bound is a year, a month or a day (2015, 2015-06, 2015-06-14): "from" means the first
day of that period, "to" its last day, so ``from=2015&to=2015`` is the whole of 2015.
An article is in the range when the whole period its date is known to (its day, month
or year: `period`) lies inside it: one dated only "2017" is in 2016-2018, not in
2017-06 to 2017-12. Undated articles cannot be placed in a range: they are left out unless asked for
(``undated=include``), and the page says how many that leaves out.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

_BOUND = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")
INCLUDE_UNDATED = "include"


class InvalidDateRange(ValueError):
    """str(exc) is a user-facing message."""


@dataclass(frozen=True)
class DateRange:
    start: datetime.date | None = None
    end: datetime.date | None = None
    include_undated: bool = False

    @property
    def is_set(self) -> bool:
        return self.start is not None or self.end is not None


def parse_bound(text: str, *, last_day: bool) -> datetime.date | None:
    """The first (or last) day of the year, month or day typed; None for nothing typed."""
    text = (text or "").strip()
    if not text:
        return None
    match = _BOUND.fullmatch(text)
    if match is None:
        raise InvalidDateRange(f"“{text[:40]}” is not a date: use 2015, 2015-06 or 2015-06-14.")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if year < 1:
        raise InvalidDateRange(f"“{text[:40]}” is not a date: years start at 0001.")
    if month is not None and not 1 <= month <= 12:
        raise InvalidDateRange(f"“{text[:40]}” is not a date: the month must be 01 to 12.")
    if month is None:
        return datetime.date(year, 12, 31) if last_day else datetime.date(year, 1, 1)
    days_in_month = calendar.monthrange(year, month)[1]
    if day is None:
        return datetime.date(year, month, days_in_month if last_day else 1)
    if not 1 <= day <= days_in_month:
        raise InvalidDateRange(f"“{text[:40]}” is not a date: that month has {days_in_month} days.")
    return datetime.date(year, month, day)


def parse_range(published_from: str, published_to: str, undated: str = "") -> DateRange:
    start = parse_bound(published_from, last_day=False)
    end = parse_bound(published_to, last_day=True)
    if start and end and start > end:
        raise InvalidDateRange("The range ends before it starts: swap the two dates.")
    undated = (undated or "").strip().lower()
    if undated not in ("", INCLUDE_UNDATED):
        raise InvalidDateRange("undated= takes only “include”.")
    return DateRange(start, end, include_undated=undated == INCLUDE_UNDATED)


def period(published: datetime.date | None, precision: str) -> tuple[datetime.date, datetime.date] | None:
    """(first day, last day) of what a publication date says, by its precision; None
    when the date is unknown."""
    if published is None or precision not in ("day", "month", "year"):
        return None
    if precision == "day":
        return published, published
    if precision == "month":
        last = calendar.monthrange(published.year, published.month)[1]
        return published.replace(day=1), published.replace(day=last)
    return datetime.date(published.year, 1, 1), datetime.date(published.year, 12, 31)
