"""split(): one segment for a normal page, one per article for a tag archive."""

from pathlib import Path

import pytest

from sources.ingest.split import Segment, split

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(number: int) -> str:
    return next(SEEDS.glob(f"{number:03d}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize("number", [0, 1, 2, 4])
def test_normal_pages_are_one_segment(number):
    text = seed(number)
    segments = split(text)
    assert segments == [Segment(0, text.strip("\n"))]


def test_tag_archive_seed_gives_six_articles_in_order():
    segments = split(seed(3))
    assert [s.position for s in segments] == [0, 1, 2, 3, 4, 5]
    starts = [s.text.split("\n")[0] for s in segments]
    assert starts[0] == "“Iran warns Central Asia may be Daesh’s next\u00a0target”"
    assert starts[1].startswith("When security forces revealed the suspect")
    assert starts[2] == "ODR: “Meet Tajikistan’s embattled Islamists”"
    assert starts[3].startswith("Moderndiplomacy: “A reverse side of struggle against ISIS")
    assert starts[4] == "RFERL: Tajikistan’s Deadly\u00a0Export"
    assert starts[5] == "AlJazeera: “Tajikistan: The success story that\u00a0failed”"


def test_tag_archive_segments_end_with_their_signatures():
    segments = split(seed(3))
    assert segments[0].text.endswith("Iran News")
    assert segments[2].text.endswith("28 September 2017")
    assert segments[4].text.endswith("Frud Bezhan\n\nMarch 12, 2017")
    assert segments[5].text.endswith("10 Dec 2016")
    # The repeated Al Jazeera header stays inside the Al Jazeera article.
    assert "Aljazeera:Tajikistan: The success story that failed" in segments[5].text


def test_archive_header_belongs_to_no_article():
    assert all("Tag Archives" not in s.text for s in split(seed(3)))


def test_segments_keep_the_raw_text():
    text = seed(3)
    for segment in split(text):
        assert segment.text in text


ARCHIVE = """Category: Central Asia

Reuters: “Kazakhstan holds snap election”

Kazakhstan voted on Sunday in an election the president called to renew his mandate early.

5 June 2019

BBC: “Kyrgyz parliament elects speaker”

Kyrgyzstan's parliament elected a new speaker on Tuesday after weeks of negotiations between parties.

About Us
Contact
"""


def test_made_up_category_archive():
    segments = split(ARCHIVE)
    assert len(segments) == 2
    assert segments[0].text.startswith("Reuters: “Kazakhstan holds snap election”")
    assert segments[0].text.endswith("5 June 2019")
    assert segments[1].text.startswith("BBC: “Kyrgyz parliament elects speaker”")
    # Page footer after the last article stays with it rather than becoming an article.
    assert segments[1].text.endswith("About Us\nContact")


def test_two_quoted_outlet_headers_make_an_archive_without_a_header():
    text = (
        "Reuters: “First story”\n\nBody of the first story, long enough to be a sentence.\n\n"
        "AP: “Second story”\n\nBody of the second story, long enough to be a sentence.\n"
    )
    assert len(split(text)) == 2


def test_one_colon_headline_does_not_split_a_normal_article():
    text = (
        "Tajikistan: the success story that failed\n\n"
        "The article starts here and goes on for a while.\n\n"
        "Analysis: what comes next\n\nMore text follows.\n\nMarch 3, 2017\n\nA postscript line."
    )
    assert split(text) == [Segment(0, text)]


def test_empty_text_has_no_segments():
    assert split("") == []
    assert split("\n \n") == []
