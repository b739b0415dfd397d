"""extract(): headline, outlet, author, dateline, published date and years."""

import datetime
from pathlib import Path

import pytest

from sources.ingest.clean import clean
from sources.ingest.extract import count_years, extract, fallback_title, parse_date, parse_date_line
from sources.ingest.split import split

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(number: int) -> str:
    return next(SEEDS.glob(f"{number:03d}_*.txt")).read_text(encoding="utf-8")


def extract_cleaned(raw: str):
    cleaned = clean(raw)
    return extract(cleaned.text, removed=cleaned.removed)


# --- seeds ------------------------------------------------------------------

def test_seed_000_tca_article():
    meta = extract_cleaned(seed(0))
    assert meta.title == "Are the governments of Central Asia’s post-Soviet republics taking effective action to root out…"
    assert meta.title_from_body
    assert meta.outlet == "TCA"
    assert meta.dateline == "London"
    assert meta.author == ""
    assert meta.published is None and meta.date_precision == "unknown"
    assert meta.years == {2015: 1, 2016: 1}
    assert meta.body.startswith("LONDON (TCA) — Are the governments")


def test_seed_001_section_line_is_not_the_headline():
    meta = extract_cleaned(seed(1))
    assert meta.title == "The risk of a caliphate reappears in Central Asia"
    assert meta.dateline == "Moscow"
    assert meta.outlet == ""
    assert meta.published is None
    assert meta.years == {}
    assert meta.body.startswith("Several Islamist organizations are strengthening")
    assert "\n\nAsia\n\n" not in meta.body and not meta.body.startswith("Asia")
    # The template's empty agency slot is cut from the text and recorded.
    assert "Moscow () –" not in meta.body
    assert "Moscow – The Kyrgyz Ministry of the Interior warns" in meta.body
    assert [(r.line, r.rule) for r in meta.removed] == [("()", "empty-brackets")]


def test_seed_002_wiki_page():
    meta = extract_cleaned(seed(2))
    assert meta.title == "Terrorism in Kazakhstan"
    assert meta.outlet == "Anarchopedia"
    assert meta.published is None
    assert meta.body.startswith("Terrorism in Kazakhstan plays an increasingly important role")
    assert meta.years == {2000: 1, 2002: 1, 2004: 8, 2005: 6, 2006: 13}


def test_seed_004_never_guesses_a_date_from_a_day_without_year():
    meta = extract_cleaned(seed(4))
    assert meta.title == "Tajikistan Boasts of Big, Huge, Wins Over Terrorism"
    assert meta.published is None and meta.date_precision == "unknown"
    assert meta.years == {2015: 1, 2016: 1}
    assert "press conference on January 20" in meta.body


EXPECTED_003 = [
    # title, outlet, author, dateline, published
    ("Iran warns Central Asia may be Daesh’s next target", "Iran News", "", "Tehran", None),
    ("When security forces revealed the suspect in an attack on the St Petersburg metro that killed 14…", "", "", "", None),
    ("Meet Tajikistan’s embattled Islamists", "openDemocracy", "", "", datetime.date(2017, 9, 28)),
    ("A reverse side of struggle against ISIS in Central Asia", "Modern Diplomacy", "", "", None),
    ("Tajikistan’s Deadly Export", "RFE/RL", "Frud Bezhan", "", datetime.date(2017, 3, 12)),
    ("Tajikistan: The success story that failed", "Al Jazeera", "Massoumeh Torfeh", "", datetime.date(2016, 12, 10)),
]


@pytest.mark.parametrize("position", range(6))
def test_seed_003_articles(position):
    segment = split(seed(3))[position]
    meta = extract_cleaned(segment.text)
    title, outlet, author, dateline, published = EXPECTED_003[position]
    assert (meta.title, meta.outlet, meta.author, meta.dateline, meta.published) == (
        title, outlet, author, dateline, published,
    )
    assert meta.date_precision == ("day" if published else "unknown")


def test_seed_003_metadata_lines_leave_the_body():
    segments = split(seed(3))
    iran = extract_cleaned(segments[0].text)
    assert iran.body.startswith("TEHRAN – The defeat of Daesh")
    assert not iran.body.endswith("Iran News")
    rferl = extract_cleaned(segments[4].text)
    assert "Frud Bezhan" not in rferl.body and "March 12, 2017" not in rferl.body
    aljazeera = extract_cleaned(segments[5].text)
    # The author's bio is content and stays in the body.
    assert "Massoumeh Torfeh is the former director" in aljazeera.body
    assert not aljazeera.body.startswith("Aljazeera")


def test_seed_003_years_of_the_rferl_piece():
    meta = extract_cleaned(split(seed(3))[4].text)
    # "1992-97" counts both years; "27 Tajiks", "6,500", "2,500" are not years.
    assert meta.years[1992] == 1 and meta.years[1997] == 1
    assert meta.years[2017] == 1  # the date line itself
    assert set(meta.years) == {1992, 1997, 2015, 2016, 2017}


# --- made-up articles ---------------------------------------------------------------

def test_byline_with_date():
    text = "Kazakhstan tightens rules on religion\n\nBy Joanna Lillis, 14 March 2017\n\nALMATY — The government said on Monday that new rules would apply."
    meta = extract(text)
    assert meta.title == "Kazakhstan tightens rules on religion"
    assert meta.author == "Joanna Lillis"
    assert meta.published == datetime.date(2017, 3, 14)
    assert meta.date_precision == "day"
    assert meta.dateline == "Almaty"
    assert meta.body == "ALMATY — The government said on Monday that new rules would apply."


def test_published_line_under_the_headline():
    meta = extract("Headline here\n\nPublished: March 3, 2017\n\nBody text follows in a full sentence.")
    assert meta.published == datetime.date(2017, 3, 3)
    assert meta.body == "Body text follows in a full sentence."


def test_month_only_date_has_month_precision():
    meta = extract("Headline here\n\nBody text follows in a full sentence.\n\nMarch 2017")
    assert meta.published == datetime.date(2017, 3, 1)
    assert meta.date_precision == "month"


def test_dates_in_the_body_are_not_the_article_date():
    meta = extract(
        "Headline here\n\nOn January 20 the minister spoke. The law of 12 May 2005 was amended in 2016."
        "\n\nAnother paragraph about 15,000 militants."
    )
    assert meta.published is None
    assert meta.date_precision == "unknown"
    assert meta.years == {2005: 1, 2016: 1}


def test_agency_dateline_gives_outlet():
    meta = extract("Headline here\n\nKABUL, Afghanistan (AP) — Gunmen attacked a hospital on Wednesday.")
    assert meta.dateline == "Kabul"
    assert meta.outlet == "Associated Press"


def test_title_case_dash_line_is_not_a_dateline():
    meta = extract("Headline\n\nTajikistan – Indefinite autocracy takes hold, critics say.")
    assert meta.dateline == ""


def test_outlet_header_without_quotes():
    meta = extract("RFERL: Tajikistan’s Deadly Export\n\nBody text in a sentence.")
    assert (meta.outlet, meta.title) == ("RFE/RL", "Tajikistan’s Deadly Export")


def test_quoted_headline_loses_quotes():
    assert extract("“Iran warns Central Asia”\n\nBody text in a sentence.").title == "Iran warns Central Asia"


def test_author_bio_line():
    meta = extract("Headline\n\nBody text in a sentence.\n\nJane Doe is a senior fellow at the Example Institute.")
    assert meta.author == "Jane Doe"


def test_bio_of_a_politician_is_not_an_author():
    meta = extract("Headline\n\nBody text in a sentence.\n\nEmomali Rahmon is the president of Tajikistan.")
    assert meta.author == ""


def test_fallback_title_is_cut_at_a_word_boundary():
    body = "The " + "very " * 40 + "long sentence ends here. Second sentence."
    title = fallback_title(body)
    assert title.endswith("…")
    assert len(title) <= 101
    assert not title[:-1].endswith(" ")
    assert fallback_title("Short first sentence. Second one.") == "Short first sentence"


def test_fallback_title_does_not_split_at_abbreviations():
    assert fallback_title("Gen. Smith visited St. Petersburg. Then he left.") == "Gen. Smith visited St. Petersburg"


def test_one_paragraph_article_uses_fallback_title():
    meta = extract("Only one paragraph here without a headline.")
    assert meta.title == "Only one paragraph here without a headline"
    assert meta.body == "Only one paragraph here without a headline."


def test_empty_text():
    meta = extract("")
    assert meta.title == "" and meta.body == "" and meta.years == {}


# --- dates ------------------------------------------------------------------

@pytest.mark.parametrize(
    "line, expected",
    [
        ("March 12, 2017", (datetime.date(2017, 3, 12), "day")),
        ("10 Dec 2016", (datetime.date(2016, 12, 10), "day")),
        ("28 September 2017", (datetime.date(2017, 9, 28), "day")),
        ("Tuesday, 3rd May 2016", (datetime.date(2016, 5, 3), "day")),
        ("2017-03-12", (datetime.date(2017, 3, 12), "day")),
        ("Posted on June 2, 2016", (datetime.date(2016, 6, 2), "day")),
        ("March 2017", (datetime.date(2017, 3, 1), "month")),
        ("January 20", None),
        ("Frud Bezhan", None),
        ("Iran 2017", None),
        ("Protocol 32-20", None),
        ("March 12, 2017 the minister said", None),
    ],
)
def test_parse_date_line(line, expected):
    assert parse_date_line(line) == expected


def test_parse_date_rejects_implausible_years():
    assert parse_date("12 March 1492") is None


# --- years ------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("up to 15,000 militants", {}),
        ("around 1,100 Tajik citizens and 12,400 leaflets", {}),
        ("a 2,000-strong force", {}),
        ("Protocol 32-20 arose online", {}),
        ("a Boeing 737 from Moscow", {}),
        ("the 1990s and the 2000s", {}),
        ("the 1992-97 civil war", {1992: 1, 1997: 1}),
        ("between 1992 and 1997, again in 1997", {1992: 1, 1997: 2}),
        ("from 1998–2000", {1998: 1, 2000: 1}),
        ("in 2015. In 2015, again", {2015: 2}),
        ("1,500 IRPT activists; 2017", {2017: 1}),
        ("8.2% of the vote", {}),
        ("a $2016 bill", {}),
        ("about 2000 people fled", {}),
        ("in 1066 and in 2999", {}),
        # What may not stand right before a year: a word character, "/", a decimal point.
        ("2015 began; a2016, 1/2017, 1.2018 and 3,2019 are not years; (2020) is", {2015: 1, 2020: 1}),
    ],
)
def test_count_years(text, expected):
    assert count_years(text) == expected


def test_a_dateline_with_an_agency_keeps_its_brackets_and_gives_the_outlet():
    meta = extract("Title of the report\n\nLONDON (TCA) — The talks in Dushanbe ended on Monday without an agreement.")
    assert meta.dateline == "London" and meta.outlet == "TCA"
    assert "LONDON (TCA) — The talks" in meta.body
    assert meta.removed == []
