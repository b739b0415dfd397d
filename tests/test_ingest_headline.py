"""The headline of a real page: taken after the page's chrome, never a chrome, stamp or
label line; the first-sentence fallback not cut at an abbreviation (issue 18)."""

import datetime

import pytest

from sources.ingest.clean import clean
from sources.ingest.extract import extract
from sources.ingest.gazetteer import load_default_gazetteer
from sources.ingest.headline import is_section_label, is_topic_label, outlet_in_label
from sources.ingest.line_rules import classify_line
from sources.ingest.pipeline import process

BODY = (
    "The border guards of the republic reported on Tuesday that a group of smugglers had been "
    "stopped near the river crossing after a long chase through the night.\n\n"
    "Officials said the investigation would continue and more arrests were expected."
)


def read(text: str):
    cleaned = clean(text)
    return extract(cleaned.text, removed=cleaned.removed)


@pytest.mark.parametrize(
    "chrome",
    [
        "Accessibility links\n\nBreaking News",
        "USD 89.10\nEUR 97.55\nRUB 1.02",
        "EN  RU  KG",
        "Home / Central Asia / Smugglers stopped at the river crossing",
        "Get the latest stories as we publish them — straight to your browser",
        "Flag as Inappropriate\nEmail this Article",
        "Latest News And Views",
        "Business & Economy",
        "The Bulletin explains",
        "Monday, 14 March\nworld",
        "Oct\n15",
        ". Last Updated: 03/11/2019",
    ],
)
def test_page_chrome_above_the_headline_is_never_the_title(chrome):
    meta = read(f"{chrome}\n\nSmugglers stopped at the river crossing\n\n{BODY}")
    assert meta.title == "Smugglers stopped at the river crossing"
    assert not meta.title_from_body
    assert meta.published is None  # a stamp without a year, or an update stamp, dates nothing
    assert meta.body.startswith("The border guards")


@pytest.mark.parametrize(
    "stamp, date",
    [
        ("7 Sep 2017 17:49", datetime.date(2017, 9, 7)),
        ("2015-05-14 10:02:00", datetime.date(2015, 5, 14)),
        ("31 Jul 2018 | 06:41 AM UTC", datetime.date(2018, 7, 31)),
        ("This article is from Oct 06, 2014", datetime.date(2014, 10, 6)),
        ("• publish: 22 August 2015", datetime.date(2015, 8, 22)),
        ("PUBLISHED : Tuesday, 04 April, 2017", datetime.date(2017, 4, 4)),
        ("From Oct 06, 2014", datetime.date(2014, 10, 6)),
        ("Fri 13 May 2005 10.26 EDT", datetime.date(2005, 5, 13)),
    ],
)
def test_a_timestamp_line_is_not_the_title_and_gives_its_date(stamp, date):
    meta = read(f"{stamp}\n\nSmugglers stopped at the river crossing\n\n{BODY}")
    assert meta.title == "Smugglers stopped at the river crossing"
    assert (meta.published, meta.date_precision) == (date, "day")
    assert stamp not in meta.body


def test_a_date_prefix_is_cut_from_the_headline_and_dates_the_article():
    meta = read(f" date 2016-09-06 Smugglers stopped at the river crossing\n\n{BODY}")
    assert meta.title == "Smugglers stopped at the river crossing"
    assert meta.published == datetime.date(2016, 9, 6)


def test_a_date_prefix_before_the_body_leaves_the_body():
    meta = read(" date 2016-09-06 KHOROG -- The border guards of the republic reported on Tuesday "
                "that smugglers had been stopped.\n\nOfficials said more arrests were expected.")
    assert meta.published == datetime.date(2016, 9, 6)
    assert meta.body.startswith("KHOROG -- The border guards")
    assert meta.dateline == "Khorog"


def test_a_byline_under_the_headline_is_not_glued_to_it():
    meta = read("Smugglers in the valley, a growing threat - I\nby Anna Example on 3 Nov 2019 2 Comments\n\n" + BODY)
    assert meta.title == "Smugglers in the valley, a growing threat - I"
    assert meta.author == "Anna Example"
    assert meta.published == datetime.date(2019, 11, 3)


@pytest.mark.parametrize("label", ["EXPLAINER", "Explained", "Factbox"])
def test_a_story_label_is_not_an_outlet(label):
    meta = read(f"{label}: What the border agreement changes\n\n{BODY}")
    assert meta.title == f"{label}: What the border agreement changes"
    assert meta.outlet == ""


def test_a_country_in_front_of_the_headline_is_its_topic_not_its_outlet():
    meta = read(f"Tajikistan: Smugglers Stopped At The River Crossing\n\n{BODY}")
    assert meta.title == "Tajikistan: Smugglers Stopped At The River Crossing"
    assert meta.outlet == ""
    assert is_topic_label("Kyrgyzstan") and not is_topic_label("RFERL")


def test_an_outlet_line_under_the_headline_names_the_outlet_and_the_date_below_is_read():
    meta = read(f"Smugglers stopped at the river crossing\n\nDaily Border Times\n\nMay 13, 2005\n\n{BODY}")
    assert meta.title == "Smugglers stopped at the river crossing"
    assert meta.outlet == "Daily Border Times"
    assert meta.published == datetime.date(2005, 5, 13)


def test_the_first_sentence_is_not_cut_at_a_month_abbreviation():
    meta = read("On Aug. 28, the ministry said the party could not continue its activities. "
                "Its offices were closed.\n\nMore paragraphs follow here.")
    assert meta.title_from_body
    assert meta.title == "On Aug. 28, the ministry said the party could not continue its activities"


@pytest.mark.parametrize("line", ["USD 84.80", "EUR 101.16 | RUB 1.14", "RU UA EN", "EN | RU | KG"])
def test_tickers_and_language_switches_are_chrome_anywhere(line):
    assert classify_line(line) in {"ticker", "language-switch"}


@pytest.mark.parametrize("line", ["USA 2020", "UN OK", "IS IS", "We met in Osh", "BBC 2"])
def test_lines_like_tickers_that_are_not(line):
    assert classify_line(line) is None


def test_a_breadcrumb_is_chrome_but_a_menu_bar_stays_navigation():
    assert classify_line("Home / Asia and Pacific / The CSTO and its deployment in Kazakhstan") == "breadcrumb"
    assert classify_line("Home | World | Opinion | Contact") == "navigation"


def test_short_headlines_are_not_section_labels():
    assert is_section_label("World News") and is_section_label("Latest News And Gossip")
    assert not is_section_label("Kyrgyzstan Joins Eurasian Union")  # capitalised, no section word
    assert not is_section_label("Tajik Islamic Party Banned, Given Deadline")


def test_the_stamps_removed_above_the_headline_are_recorded():
    articles = process(f"Monday, 14 March\n\nSmugglers stopped at the river crossing\n\n{BODY}",
                       load_default_gazetteer())
    assert ("Monday, 14 March", "header-stamp") in [(r.line, r.rule) for r in articles[0].removed]


def test_a_tagline_that_names_the_site_gives_the_outlet():
    meta = read(f"The Bulletin explains\n\nSmugglers stopped at the river crossing\n\n{BODY}")
    assert meta.outlet == "The Bulletin"
    assert outlet_in_label("Latest News And Gossip") == "" and outlet_in_label("Business & Economy") == ""


@pytest.mark.parametrize("line", ["- Source: Valley Wire", "Source: Valley Wire", "• Via: Valley Wire"])
def test_a_source_line_above_the_headline_names_the_outlet(line):
    meta = read(f"{line}\n\nSmugglers stopped at the river crossing\n\n{BODY}")
    assert meta.title == "Smugglers stopped at the river crossing"
    assert meta.outlet == "Valley Wire"
