"""sources/ingest/headings.py: which paragraphs of a cleaned text are section headings."""

from sources.ingest.headings import heading_flags

BODY = "The committee met on Monday and agreed a new budget for the schools of the region."


def test_a_short_line_between_body_paragraphs_is_a_heading():
    assert heading_flags([BODY, "Money for the mountains", BODY]) == [False, True, False]


def test_lines_above_the_body_are_never_headings():
    """A byline or a dateline line before the story begins is not a section."""
    assert heading_flags(["By Frud Bezhan", "12 March 2017", BODY, BODY]) == [False, False, False, False]


def test_a_short_sentence_or_a_line_before_a_short_one_is_not_a_heading():
    assert heading_flags([BODY, "He left.", BODY]) == [False, False, False]
    assert heading_flags([BODY, "Tags", "Politics"]) == [False, False, False]
    assert heading_flags([BODY, "the lower-case line", BODY]) == [False, False, False]


def test_the_last_paragraph_is_never_a_heading():
    assert heading_flags([BODY, "Read more"]) == [False, False]
