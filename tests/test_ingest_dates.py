"""Publication dates in the forms real pages write them, and in the page's address; never
an invented date (issue 18)."""

import datetime

import pytest

from sources.ingest.clean import clean
from sources.ingest.dates_in_text import date_in_address, date_in_dateline, parse_date, parse_date_line
from sources.ingest.extract import extract
from sources.ingest.gazetteer import load_default_gazetteer
from sources.ingest.pipeline import process

BODY = ("Officials in the capital said on Monday that the new customs rules would take effect "
        "at the start of next month.\n\nTraders said they had not been consulted.")


def read(text: str, url: str = ""):
    cleaned = clean(text)
    return extract(cleaned.text, removed=cleaned.removed, original_url=url)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("7 Sep 2017", (datetime.date(2017, 9, 7), "day")),
        ("30.10.2017", (datetime.date(2017, 10, 30), "day")),
        ("05.03.2017", (datetime.date(2017, 3, 5), "day")),  # dots: day first
        ("14.09.2021", (datetime.date(2021, 9, 14), "day")),
        ("2015-05-14 10:02:00", (datetime.date(2015, 5, 14), "day")),
        ("8 February, 2022", (datetime.date(2022, 2, 8), "day")),
        ("Sunday, May 15, 2005", (datetime.date(2005, 5, 15), "day")),
        ("date 2016-09-06", (datetime.date(2016, 9, 6), "day")),
        ("Published: 06 Nov 2019 03:18 PM BdST Updated: 06 Nov 2019 03:18 PM BdST", (datetime.date(2019, 11, 6), "day")),
        ("March 2017", (datetime.date(2017, 3, 1), "month")),
        # Russian months, as the region's sites print them (short, nominative, genitive).
        ("03 фев 2022, 10:31", (datetime.date(2022, 2, 3), "day")),
        ("5 Февраля 2021", (datetime.date(2021, 2, 5), "day")),
        ("17 мая 2019 г.", (datetime.date(2019, 5, 17), "day")),
        ("Сентябрь 2020", (datetime.date(2020, 9, 1), "month")),
    ],
)
def test_date_lines(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    ["Last Updated: 27 July 2016", "Updated: March 3, 2017 10:15", "Sunday, 22 December", "Oct 15",
     "The vote was held on 7 Sep 2017 in the capital", "31.02.2017",
     "Маршрут 2020", "3 февраля", "Обновлено: 3 фев 2022"],
)
def test_lines_that_give_no_publication_date(line):
    assert parse_date_line(line) is None


def test_a_day_and_month_without_a_year_stays_unknown():
    meta = read(f"Customs rules change\n\nTuesday, 14 March\n\n{BODY}")
    assert meta.title == "Customs rules change"
    assert meta.published is None and meta.date_precision == "unknown"


def test_an_update_stamp_is_not_the_publication_date():
    meta = read(f"Customs rules change\n\nLast Updated: 27 July 2016\n\n{BODY}")
    assert meta.published is None


@pytest.mark.parametrize(
    "opening, expected",
    [
        ("KHUJAND, Tajikistan, 14 May 2005 — Officials said", datetime.date(2005, 5, 14)),
        ("OSH (Valley Wire / Agency - 06th November, 2019) Officials said", datetime.date(2019, 11, 6)),
        ("Osh, (Valley Point News – 30th August, 2016) : Officials said", datetime.date(2016, 8, 30)),
    ],
)
def test_a_dated_dateline_dates_the_article(opening, expected):
    meta = read(f"Customs rules change\n\n{opening} the rules would change.\n\nTraders disagreed.")
    assert meta.published == expected


@pytest.mark.parametrize(
    "opening",
    ["MOSCOW, May 14 -- Officials said", "Effective 12 August 2015, the new rules apply",
     "Osh, Jan. 10, (Valley Wire) – Officials said"],
)
def test_openings_without_a_dated_dateline(opening):
    assert date_in_dateline(opening) is None
    assert read(f"Customs rules change\n\n{opening} more.\n\nTraders disagreed.").published is None


@pytest.mark.parametrize(
    "byline, expected",
    [
        ("By Jane Doe Valley News September 02, 2016", datetime.date(2016, 9, 2)),
        ("Edited by Rhod Example / 2015-04-07 02:46:25", datetime.date(2015, 4, 7)),
    ],
)
def test_a_byline_with_a_date(byline, expected):
    meta = read(f"Customs rules change\n\n{byline}\n\n{BODY}")
    assert meta.published == expected
    assert meta.author.startswith(("Jane Doe", "Rhod Example"))


def test_a_date_line_below_a_standfirst_and_a_caption():
    meta = read("Customs rules change\n\nTraders fear the worst as the rules change\n\n"
                "A market in the capital. Photograph: A. Person/Example\n\nFri 13 May 2005 10.26 EDT\n\n" + BODY)
    assert meta.published == datetime.date(2005, 5, 13)
    assert "10.26 EDT" not in meta.body


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://example.org/world/2015/05/28/customs-rules", (datetime.date(2015, 5, 28), "day")),
        ("https://example.org/World/Asia/2016/0830/Customs", (datetime.date(2016, 8, 30), "day")),
        ("https://example.org/world/2005/may/13/1", (datetime.date(2005, 5, 13), "day")),
        ("https://example.org/news/customs-rules-2024-07-05-42565", (datetime.date(2024, 7, 5), "day")),
        ("https://example.org/en/news/2022-01-06/customs/255131", (datetime.date(2022, 1, 6), "day")),
        ("http://example.org/archive/2007/8/article/customs.html", (datetime.date(2007, 8, 1), "month")),
        ("https://example.org/2017/10/customs.html", (datetime.date(2017, 10, 1), "month")),
    ],
)
def test_a_date_in_the_address(url, expected):
    assert date_in_address(url) == expected


@pytest.mark.parametrize(
    "url",
    ["https://example.org/?p=143597", "https://example.org/news/07-04-2015/customs",
     "https://example.org/reports/2005/customs0605/6.htm", "https://example.org/2015/13/40/x",
     "https://example.org/node/20150528"],
)
def test_addresses_without_a_readable_date(url):
    assert date_in_address(url) is None


def test_the_address_counts_only_when_the_text_has_no_date():
    url = "https://example.org/world/2015/05/28/customs-rules"
    assert read(f"Customs rules change\n\n{BODY}", url).published == datetime.date(2015, 5, 28)
    dated = read(f"Customs rules change\n\nMay 29, 2015\n\n{BODY}", url)
    assert dated.published == datetime.date(2015, 5, 29)


def test_the_pipeline_passes_the_address_on():
    articles = process(f"Customs rules change\n\n{BODY}", load_default_gazetteer(),
                       original_url="https://example.org/2017/10/customs.html")
    assert (articles[0].published, articles[0].date_precision) == (datetime.date(2017, 10, 1), "month")
    assert articles[0].original_url == "https://example.org/2017/10/customs.html"


def test_parse_date_never_invents_a_year():
    assert parse_date("14 March") is None
    assert parse_date("30.10.2017") == (datetime.date(2017, 10, 30), "day")


def test_a_russian_date_line_below_the_text_dates_the_article():
    meta = read(f"Customs rules change\n\n{BODY}\n\n03 фев 2022, 10:31")
    assert (meta.published, meta.date_precision) == (datetime.date(2022, 2, 3), "day")


def test_a_date_line_above_a_photo_credit_and_topic_tags_dates_the_article():
    meta = read(f"Customs rules change\n\n{BODY}\n\n03 фев 2022, 10:31\n\nPhoto source: ministry.example\n\ncentral asian trade")
    assert (meta.published, meta.date_precision) == (datetime.date(2022, 2, 3), "day")


def test_a_closing_sentence_below_a_date_line_keeps_it_out_of_reach():
    """Only credits and tags are passed over: a date line with prose below it is the date
    of something the article tells, not its own."""
    body = "\n\n".join(  # the date line lies below the reach of the top's
        [BODY] + [f"Paragraph {n} of the report on the new customs rules and their effect." for n in range(4)]
    )
    meta = read(f"Customs rules change\n\n{body}\n\n03 фев 2022, 10:31\n\nTraders said they would appeal the rules.")
    assert meta.published is None
