"""clean(): every rule on the seeds and on made-up web-page noise; real paragraphs survive."""

import sys
import unicodedata
from pathlib import Path

import pytest

from sources.ingest.clean import Removal, clean
from sources.ingest.line_rules import classify_line, is_navigation, is_spam

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(number: int) -> str:
    return next(SEEDS.glob(f"{number:03d}_*.txt")).read_text(encoding="utf-8")


def rules(cleaned) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for removal in cleaned.removed:
        found.setdefault(removal.rule, []).append(removal.line)
    return found


def paragraphs(cleaned) -> list[str]:
    return cleaned.text.split("\n\n")


# --- layout -----------------------------------------------------------------

def test_paragraphs_are_separated_by_exactly_one_blank_line():
    cleaned = clean("\n\n  First   paragraph.\u00a0 Still first.  \n\n\n\n\nSecond\tparagraph. \n\n")
    assert cleaned.text == "First paragraph. Still first.\n\nSecond paragraph."
    assert cleaned.removed == []


def test_every_kind_of_whitespace_becomes_one_space():
    # Any Unicode space, alone or in a run; not the line breaks, nor the control characters
    # that are dropped (of those, tab, vertical tab and form feed are spaces).
    spaces = [
        char for char in map(chr, range(sys.maxunicode + 1))
        if char.isspace() and (unicodedata.category(char) != "Cc" or char in "\t\v\f")
    ]
    words = [f"w{n}" for n in range(len(spaces) + 1)]
    text = "".join(word + space for word, space in zip(words, spaces)) + words[-1] + "".join(spaces) + "end."
    assert clean(f"{text}\n\nSecond.").text == " ".join(words) + " end.\n\nSecond."


def test_hard_wrapped_prose_is_rejoined():
    text = "The ministry said that more than four hundred people were detained\nlast year on suspicion of extremism.\n\nNext paragraph."
    assert paragraphs(clean(text)) == [
        "The ministry said that more than four hundred people were detained last year on suspicion of extremism.",
        "Next paragraph.",
    ]


@pytest.mark.parametrize("number", range(5))
def test_seed_output_is_normalised(number):
    text = clean(seed(number)).text
    assert "\n\n\n" not in text
    assert "\u00a0" not in text
    assert "  " not in text
    assert text == text.strip()
    assert all(line == line.strip() for line in text.split("\n"))


# --- spam -------------------------------------------------------------------

def test_seed_gambling_keyword_line_is_spam():
    cleaned = clean(seed(0))
    assert rules(cleaned)["spam"] == [
        "astropay bozdurma paysafe bozdurma astropay kart bozdurma paysafe kart bozdurma"
    ]
    assert "bozdurma" not in cleaned.text
    assert cleaned.text.startswith("LONDON (TCA) — Are the governments")


@pytest.mark.parametrize(
    "line",
    [
        "buy cheap viagra",
        "casino bonus",
        "Casino Bonus Slots Poker Jackpot",
        "canli bahis siteleri canli bahis iddaa bahis siteleri giris",
        "replica watches replica bags cheap replica",
        "best deneme bonusu veren siteler deneme bonusu",
        "Buy cheap viagra, cialis, levitra online!!!",
        "loans loans payday loans fast payday loans no credit",
        "buy tramadol online",
        "Buy Xanax Valium Tramadol without prescription",
    ],
)
def test_made_up_spam_lines_are_spam(line):
    assert is_spam(line)
    assert classify_line(line) == "spam"


@pytest.mark.parametrize(
    "paragraph",
    [
        "Police raided an illegal casino in Almaty and detained twelve people, the ministry said.",
        "Casino Royale",
        "The betting scandal reached parliament in March.",
        "the risk of a caliphate reappears in Central Asia",
        "Several Islamist organizations are strengthening their positions in southern Afghanistan.",
    ],
)
def test_sentences_that_mention_spam_words_are_not_spam(paragraph):
    assert not is_spam(paragraph)
    assert clean(paragraph).text == paragraph


# --- navigation and accounts ------------------------------------------------------

def test_seed_navigation_and_account_lines():
    found = rules(clean(seed(0)))
    assert found["navigation"] == ["About Us", "Advanced Search"]
    assert found["account"] == ["If you do not already have an account, click here"]


@pytest.mark.parametrize(
    "line",
    [
        "Home", "Contact", "Contact Us", "Log in", "Sign up", "Subscribe", "Privacy Policy",
        "Terms of Use", "Share this", "Follow us", "Follow us on Twitter", "Skip to content",
        "Read more", "Home | World | Opinion | Contact", "» Back to top", "Click here to subscribe",
        "Share on Facebook", "Tags: Tajikistan, IRPT, Islam", "12 Comments", "Print this article",
        "Follow @eurasianet on Twitter", "Click to share on Twitter (Opens in new window)",
        "Print Friendly, PDF & Email", "Like this:", "Loading...", "Advertisement",
        "Please enable JavaScript to view the comments", "Previous Post", "You may also like",
    ],
)
def test_menu_lines_are_navigation(line):
    assert classify_line(line) == "navigation"


@pytest.mark.parametrize(
    "line",
    [
        "If you do not already have an account, click here",
        "Already a subscriber? Log in",
        "Forgot your password?",
        "Create an account to continue reading",
        "You must be logged in to post a comment.",
        "Register now for free access",
    ],
)
def test_account_prompts(line):
    assert classify_line(line) == "account"


@pytest.mark.parametrize(
    "paragraph",
    [
        "Police froze his bank account after he was accused of financing the group, and his lawyer said he would appeal.",
        "Readers who want to know more about us can contact the ministry directly, the spokesman said.",
        "He said he would share this information with the committee and follow up with Moscow.",
        "Home to more than a million people, Osh has long been a centre of trade.",
        "The search for the missing journalists continued on Monday.",
    ],
)
def test_paragraphs_containing_menu_words_survive(paragraph):
    assert not is_navigation(paragraph)
    assert clean(paragraph).text == paragraph


def test_related_links():
    cleaned = clean(seed(3))
    assert rules(cleaned)["related-link"] == ["READ MORE: Tajikistan – Indefinite autocracy takes hold"]
    assert classify_line("Related: Uzbekistan frees prisoners") == "related-link"
    assert classify_line("Read more: the full report") == "related-link"


# --- wiki ---------------------------------------------------------------------

def test_seed_wiki_page_rules():
    cleaned = clean(seed(2))
    found = rules(cleaned)
    assert found["wiki-notice"] == ["Still working to recover. Please don't edit quite yet."]
    assert found["wiki-from"] == ["From Anarchopedia"]
    assert found["wiki-jump"] == ["Jump to: navigation, search"]
    assert found["wiki-template"] == ["Template:Terrorism"]
    assert found["wiki-main-article"] == ["Main article: Hamas", "Main article: Hizb-ut-Tahrir"]
    assert found["wiki-empty-section"] == [
        "Literature[edit]",
        "The following literature advocating terrorism has been confiscated in Kazakhstan:",
        "Further reading[edit]",
        "See also[edit]",
        "External links[edit]",
    ]
    assert found["wiki-attribution"][0].startswith("This article contains content from Wikipedia.")
    assert "[edit]" in found["wiki-edit-marker"]
    assert "[12]" in found["citation-marker"]
    text = cleaned.text
    assert "[edit]" not in text and "[12]" not in text and "[3]" not in text
    assert "Jump to" not in text and "Template:" not in text and "Wikipedia" not in text
    # Headings stay, without their markers; square brackets that are not citations stay.
    assert "\n\nOrganizations\n\n" in text
    assert "we heard that [Hizb ut-Tahrir] had support" in text
    assert "giving refuge to terrorist organizations, an accusation" in text


def test_seed_references_leave_the_body_but_are_kept():
    cleaned = clean(seed(2))
    assert len(cleaned.references) == 27
    assert cleaned.references[0] == "Running A Huge Risk Center for Defense Information"
    assert cleaned.references[2] == "Terrorism and Nationalism: Twin threats to Kazakhstan Eurasia Daily Monitor"
    assert "Running A Huge Risk" not in cleaned.text
    assert "References" not in paragraphs(cleaned)
    assert rules(cleaned)["references"][0] == "References[edit]"


def test_made_up_wiki_page():
    page = (
        "From Wikipedia, the free encyclopedia\n"
        "Jump to navigation\n\n"
        "The Ferghana Valley is shared by three countries.[1][citation needed]\n\n"
        "History[edit]\n\n"
        "Settlement dates back millennia.[2]\n\n"
        "See also[edit]\n\n"
        "Notes[edit]\n\n"
        "1. ^ Smith, Valley Studies\n"
        "2. ^ a b Jones, Silk Road\n\n"
        "Retrieved from \"https://en.wikipedia.org/wiki/Ferghana\"\n"
        "Categories: Valleys | Central Asia\n"
    )
    cleaned = clean(page)
    assert cleaned.text == (
        "The Ferghana Valley is shared by three countries.\n\nHistory\n\nSettlement dates back millennia."
    )
    assert cleaned.references == ["Smith, Valley Studies", "Jones, Silk Road"]
    found = rules(cleaned)
    assert found["wiki-from"] == ["From Wikipedia, the free encyclopedia"]
    assert found["wiki-jump"] == ["Jump to navigation"]
    assert found["citation-marker"] == ["[1]", "[citation needed]", "[2]"]
    assert found["wiki-empty-section"] == ["See also[edit]"]
    assert len(found["wiki-attribution"]) == 2


def test_from_line_on_an_ordinary_page_is_kept():
    text = "From Moscow\n\nThe delegation arrived on Tuesday and met the foreign minister."
    assert clean(text).text == text


# --- small debris -------------------------------------------------------------------

def test_seed_source_link_image_counter_and_symbols():
    assert rules(clean(seed(1)))["source-link"] == ["Source link"]
    found = rules(clean(seed(4)))
    assert found["image-counter"] == ["1 / 1"]
    assert found["symbols"] == ["> <"]


@pytest.mark.parametrize(
    "line, rule",
    [
        ("Source", "source-link"),
        ("View original", "source-link"),
        ("3 of 12", "image-counter"),
        ("Photo 2/10", "image-counter"),
        ("* * *", "symbols"),
        ("—", "symbols"),
        ("<< >>", "symbols"),
        ("(To be continued)", "continuation"),
        ("Continued on page 4", "continuation"),
        ("https://example.com/story/123", "bare-url"),
        ("© 2017 Example Media. All rights reserved.", "copyright"),
        ("We use cookies to improve your experience on our site.", "cookie"),
        ("Tag Archives: ISIS", "archive-header"),
        ("Your email address will not be published. Required fields are marked *", "comment-form"),
        ("Notify me of new comments via email.", "comment-form"),
        ("Comments are closed.", "comment-form"),
        ("Posts tagged Tajikistan", "archive-header"),
    ],
)
def test_debris_lines(line, rule):
    assert classify_line(line) == rule


def test_seed_continuation_line():
    assert rules(clean(seed(0)))["continuation"] == ["(To be continued)"]


# --- repetition ----------------------------------------------------------------------

def test_seed_title_repeated_at_the_end_is_removed_once():
    cleaned = clean(seed(4))
    assert rules(cleaned)["repeated-paragraph"] == ["Tajikistan Boasts of Big, Huge, Wins Over Terrorism"]
    assert paragraphs(cleaned)[0] == "Tajikistan Boasts of Big, Huge, Wins Over Terrorism"
    assert cleaned.text.count("Wins Over Terrorism") == 1


def test_seed_repeated_caption_and_pull_quotes():
    cleaned = clean(seed(3))
    found = rules(cleaned)
    assert "A screen grab of former Tajik Colonel Gulmurod Halimov in an IS propaganda video from 2015." in found["repeated-caption"]
    assert cleaned.text.count("A screen grab of former Tajik Colonel") == 1
    # The pull quote goes; the paragraph it was lifted from stays.
    assert any(line.startswith("It’s understandable why the Tajik authorities are worried. But") for line in found["repeated-paragraph"])
    assert cleaned.text.count("It’s understandable why the Tajik authorities are worried.") == 1
    assert "That said, employing ham-fisted methods" in cleaned.text
    assert "Aljazeera:Tajikistan: The success story that failed" in found["repeated-paragraph"]


def test_made_up_repeats():
    body = "Officials said the border crossing would reopen next week after talks between the two governments."
    text = "\n\n".join([
        "Headline of the story",
        "A border post near Isfara, pictured in 2015.",
        body,
        "A border post near Isfara, pictured in 2015.",
        "Another paragraph that is long enough to count as a real paragraph of the body text here.",
        "Officials said the border crossing would reopen next week",
    ])
    cleaned = clean(text)
    found = rules(cleaned)
    assert found["repeated-caption"] == ["A border post near Isfara, pictured in 2015."]
    assert found["repeated-paragraph"] == ["Officials said the border crossing would reopen next week"]
    assert paragraphs(cleaned) == [
        "Headline of the story",
        "A border post near Isfara, pictured in 2015.",
        body,
        "Another paragraph that is long enough to count as a real paragraph of the body text here.",
    ]


def test_headline_words_repeated_in_the_body_keep_the_headline():
    headline = "Tajikistan bans the Islamic Renaissance Party as a terrorist group"
    body = ("The Supreme Court said on Tuesday that Tajikistan bans the Islamic Renaissance Party "
            "as a terrorist group, a decision critics called political and which the party's exiled "
            "leaders rejected.")
    assert paragraphs(clean(f"{headline}\n\n{body}")) == [headline, body]


# --- a realistic noisy page ----------------------------------------------------------------

NOISY_PAGE = """Skip to content
Home | News | Opinion | Contact
cheap casino bonus slots casino bonus free slots casino
Sign in

Uzbekistan frees jailed journalist

By Jane Doe

TASHKENT — Uzbekistan has released a journalist who spent 18 years in prison, his family said on Wednesday.

The release follows pressure from rights groups, who had long called for his freedom.

Share this:
Twitter
Facebook
READ MORE: Uzbekistan's new president promises reforms
Leave a comment
You must be logged in to post a comment.
© 2017 Example News. All rights reserved.
"""


def test_realistic_noisy_page():
    cleaned = clean(NOISY_PAGE)
    assert paragraphs(cleaned) == [
        "Uzbekistan frees jailed journalist",
        "By Jane Doe",
        "TASHKENT — Uzbekistan has released a journalist who spent 18 years in prison, his family said on Wednesday.",
        "The release follows pressure from rights groups, who had long called for his freedom.",
    ]
    assert {r.rule for r in cleaned.removed} == {
        "navigation", "spam", "related-link", "account", "copyright",
    }
    assert Removal("Skip to content", "navigation") in cleaned.removed


def test_gambling_spam_never_reaches_any_seed_text():
    for number in range(5):
        text = clean(seed(number)).text.casefold()
        for word in ("bozdurma", "paysafe", "astropay", "casino"):
            assert word not in text


@pytest.mark.parametrize("body_paragraphs", [6, 80])
def test_pull_quote_is_found_on_short_and_long_pages(body_paragraphs):
    """Short pages compare paragraphs directly, long ones through an index of word pairs."""
    body = [
        f"Paragraph {n} tells how the commission in district {n} counted {n * 7} ballots "
        f"before officials from region {n} signed the protocol {n} on the same evening."
        for n in range(body_paragraphs)
    ]
    source = "The spokesman said that the vote had been free and fair and that observers agreed with him fully."
    quote = "the vote had been free and fair and that observers agreed"
    cleaned = clean("\n\n".join(["Election results confirmed", *body[:3], source, quote, *body[3:]]))
    assert rules(cleaned)["repeated-paragraph"] == [quote]
    assert source in paragraphs(cleaned) and quote not in paragraphs(cleaned)


# --- captions and credits ----------------------------------------------------------

def test_seed_photo_captions_with_credits_are_removed():
    cleaned = clean(seed(3))
    captions = rules(cleaned)["photo-caption"]
    assert "Central square in Khujand, Tajikistan, 2008. Photo CC BY-NC 2.0: Steve James / Flickr. Some rights reserved." in captions
    assert "Some rights reserved" not in cleaned.text
    assert "Flickr" not in cleaned.text
    # A caption run into the paragraph below it is cut; the paragraph stays.
    (spliced,) = rules(cleaned)["spliced-caption"]
    assert spliced.endswith("Image still via YouTube / Human Rights Watch. Some rights reserved.")
    assert "\n\nThe Nazarzoda affair was the tip of the iceberg." in cleaned.text


def test_a_sentence_glued_to_the_next_is_not_a_caption_without_a_credit():
    text = "The talks ended on Monday.The delegations left Dushanbe in the evening, officials said."
    assert clean(text).text == text


@pytest.mark.parametrize("line", [
    "Photo: Reuters",
    "Police at the border crossing near Isfara. (Photo: AFP)",
    "Image courtesy of the Ministry of Interior.",
    "Protesters in Bishkek on 7 April. Photograph by Vyacheslav Oseledko / AFP",
    "A market in Osh. Photo credit: Wikimedia Commons",
    "Delegates at the summit in Astana. Some rights reserved.",
])
def test_caption_and_credit_lines_are_photo_captions(line):
    assert classify_line(line) == "photo-caption"


@pytest.mark.parametrize("line", [
    "The photo showed the colonel in uniform, according to the ministry's statement on Monday.",
    "He said the image of the country abroad mattered more than the facts on the ground.",
    "Officials in Dushanbe and Kabul agreed on a joint border patrol programme.",
    # A long paragraph that names a photographer is prose, not a caption.
    "The exhibition opened on Friday with work by local artists. " * 6 + "Photo by the curator.",
])
def test_prose_about_pictures_is_kept(line):
    assert classify_line(line) is None


def test_a_pull_quote_is_credited_to_the_earliest_of_the_paragraphs_quoting_it_as_much():
    """Two longer paragraphs each share seven of a pull quote's eight word pairs (one
    lacks its first word, the other its last): the answer is the earlier, on short pages
    (compared directly) and long ones (through the pair index), in whatever order the set
    of pairs is read (a set of strings' order changes with the process's hash seed; dict
    keys, which keep their order, stand in for both orders here)."""
    from sources.ingest import repeats

    quote = "the border will stay closed until the spring talks".split()
    word_lists = [quote, ["officials", "said", *quote[:-1]], [*quote[1:], "a", "minister", "added"]]
    for order in (list, lambda pairs: list(reversed(pairs))):
        bigram_sets = [dict.fromkeys(order(list(zip(words, words[1:])))).keys() for words in word_lists]
        assert repeats._longer_paragraph_sharing_most(0, word_lists, bigram_sets) == 1
        postings = repeats._postings(bigram_sets)
        assert repeats._longer_paragraph_containing(0, word_lists, bigram_sets, postings) == 1
