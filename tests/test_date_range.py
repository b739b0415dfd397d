"""sources/date_range.py: what a typed date bound and a stored date's precision mean."""

import datetime

import pytest

from sources.date_range import DateRange, InvalidDateRange, parse_bound, parse_range, period

D = datetime.date


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("2015", D(2015, 1, 1), D(2015, 12, 31)),
        ("2016-02", D(2016, 2, 1), D(2016, 2, 29)),  # a leap year's February
        ("2015-2", D(2015, 2, 1), D(2015, 2, 28)),
        ("2015-06-14", D(2015, 6, 14), D(2015, 6, 14)),
        (" 2015 ", D(2015, 1, 1), D(2015, 12, 31)),
    ],
)
def test_a_bound_is_the_first_or_last_day_of_what_was_typed(text, first, last):
    assert parse_bound(text, last_day=False) == first
    assert parse_bound(text, last_day=True) == last


def test_nothing_typed_is_no_bound():
    assert parse_bound("", last_day=False) is None
    assert parse_range("", "") == DateRange()
    assert not parse_range("", "").is_set


@pytest.mark.parametrize(
    "text, message",
    [
        ("abc", "is not a date"),
        ("15", "is not a date"),
        ("2015-13", "month must be 01 to 12"),
        ("2015-00", "month must be 01 to 12"),
        ("2015-02-30", "that month has 28 days"),
        ("2015-06-00", "that month has 30 days"),
        ("0000", "years start at 0001"),
        ("2015/06/14", "is not a date"),
        ("2015-06-14T10:00", "is not a date"),
        ("٢٠١٥", "is not a date"),  # digits of another script are not years here
    ],
)
def test_a_bad_bound_says_what_is_wrong(text, message):
    with pytest.raises(InvalidDateRange, match=message):
        parse_bound(text, last_day=False)


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidDateRange, match="ends before it starts"):
        parse_range("2017", "2016-12")
    assert parse_range("2017-03", "2017").start == D(2017, 3, 1)


def test_undated_articles_are_included_only_when_asked():
    assert parse_range("2015", "", "include").include_undated
    assert not parse_range("2015", "").include_undated
    with pytest.raises(InvalidDateRange, match="only “include”"):
        parse_range("2015", "", "yes")


@pytest.mark.parametrize(
    "published, precision, expected",
    [
        (D(2017, 3, 2), "day", (D(2017, 3, 2), D(2017, 3, 2))),
        (D(2017, 2, 1), "month", (D(2017, 2, 1), D(2017, 2, 28))),
        (D(2017, 1, 1), "year", (D(2017, 1, 1), D(2017, 12, 31))),
        (D(2010, 1, 1), "unknown", None),  # a placeholder date is no date
        (None, "day", None),
    ],
)
def test_the_period_a_stored_date_is_known_to(published, precision, expected):
    assert period(published, precision) == expected
