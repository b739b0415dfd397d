"""Boilerplate kinds of real pages (issue 18): a media-status notice, size pickers, lists of
related links, paywall prompts. General rules, each with the sentences it must keep."""

import pytest

from sources.ingest.clean import clean
from sources.ingest.line_rules import classify_line


@pytest.mark.parametrize(
    "line, rule",
    [
        ("This material was created and distributed by a foreign mass media outlet performing the "
         "functions of a foreign agent.", "media-status"),
        ("This message is from an outlet recognised as extremist and banned in Russia.", "media-status"),
        ("The present material is produced by an undesirable organisation.", "media-status"),
        ("XS SM MD LG", "size-picker"),
        ("A- A A+", "size-picker"),
        ("S | M | L | XL", "size-picker"),
        ("Text size", "size-picker"),
        ("Font size: Small Large", "size-picker"),
        ("Daesh-related: Life sentences for recruiters in the valley", "related-link"),
        ("More on this topic: Border talks stall again", "related-link"),
        ("To continue reading, subscribe to the Valley Herald", "paywall"),
        ("Subscribe now to continue reading this story", "paywall"),
        ("This article is for subscribers only", "paywall"),
        ("You have reached your limit of free articles this month", "paywall"),
        ("Unlock this article and all our reporting", "paywall"),
        ("Version 1 | Version 2 | Version 3", "navigation"),  # a site keeping each version
        ("Version 1 Version 2 Change Log", "navigation"),
    ],
)
def test_boilerplate_lines(line, rule):
    assert classify_line(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        # The law and the outlets are the story here, not a notice about this text.
        "Parliament passed a law requiring media that receive foreign funding to register as foreign agents.",
        "The outlet said it would challenge its designation as a foreign agent in court.",
        "Officials said the material found in the flat was extremist.",
        "M L King Street was closed.",
        "A small shop sells shirts in sizes S, M and L.",
        "Related reading lists were removed from the school curriculum last year, officials said.",
        "Subscribers to the local cable network lost access on Monday.",
        "You have reached the border post, the guard told the travellers.",
        "The minister (@minister on Twitter) wrote on March 3, 2017 that talks would resume.",
        # An embedded tweet is a quote with its attribution: the public extraction benchmark's
        # readers keep both, and so does the archive.
        "The bridge is open again pic.twitter.com/AbC123xyz",
        "— Valley Reporter (@valleyreporter) March 3, 2017",
    ],
)
def test_article_sentences_that_look_like_boilerplate_stay(line):
    assert classify_line(line) is None


def test_the_cleaner_removes_them_and_records_why():
    text = (
        "Border talks resume\n\nXS SM MD LG\n\nThe two delegations met in the valley on Monday.\n\n"
        "This material was created by a foreign mass media outlet performing the functions of a foreign agent.\n\n"
        "Talks will continue next week.\n\nTo continue reading, subscribe to the Valley Herald"
    )
    cleaned = clean(text)
    assert cleaned.text == "Border talks resume\n\nThe two delegations met in the valley on Monday.\n\nTalks will continue next week."
    assert [r.rule for r in cleaned.removed] == ["size-picker", "media-status", "paywall"]


def test_an_advert_spliced_into_a_paragraph_is_cut_out_and_the_paragraph_kept():
    text = ("Talks resume in Dushanbe\n\nThe minister said the talks would resume on Monday. "
            "ADVERTISEMENT Continue reading the main story The opposition said it would attend. "
            "Story continues below advertisement \u201cWe are ready,\u201d its leader said.\n\n"
            "The Advertisement Council met in version 2 of the plan. Advertisement rules changed.")
    cleaned = clean(text)
    assert cleaned.text.split("\n\n")[1] == (
        "The minister said the talks would resume on Monday. The opposition said it would attend. "
        "\u201cWe are ready,\u201d its leader said."
    )
    assert cleaned.text.split("\n\n")[2] == "The Advertisement Council met in version 2 of the plan. Advertisement rules changed."
    assert [(r.line, r.rule) for r in cleaned.removed] == [
        ("ADVERTISEMENT Continue reading the main story", "spliced-advert"),
        ("Story continues below advertisement", "spliced-advert"),
    ]
