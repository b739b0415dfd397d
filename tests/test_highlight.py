"""sources/highlight.py: snippets, pure Python (no index, no database)."""

import re

from sources.highlight import Terms, find_matches, snippets


def marked(fragment):
    return re.findall(r"<mark>(.*?)</mark>", fragment)


def test_stemmed_match_is_marked():
    text = "Two bombings hit the city. Nobody claimed the bombing. Bombers fled."
    (fragment,) = snippets(text, Terms.build(words=["bombing"]))
    assert marked(fragment) == ["bombings", "bombing"]


def test_phrase_is_marked_as_one_span_with_stop_words_inside():
    text = "They called it the war on terror, a war that had no terror of its own."
    (fragment,) = snippets(text, Terms.build(phrases=["war on terror"]))
    assert marked(fragment) == ["war on terror"]


def test_prefix_marks_words_starting_with_it():
    (fragment,) = snippets("Militants and militias met the military.", Terms.build(prefixes=["milit*"]))
    assert marked(fragment) == ["Militants", "militias", "military"]


def test_everything_but_mark_is_escaped_exactly_once():
    text = "zebra <svg/onload=alert(1)> and <script>alert(1)</script> at AT&T, 3 < 4."
    (fragment,) = snippets(text, Terms.build(words=["zebra", "script"]))
    assert "<svg" not in fragment and "<script" not in fragment
    assert "&lt;svg/onload=alert(1)&gt;" in fragment
    assert "AT&amp;T" in fragment and "&amp;amp;" not in fragment and "&amp;lt;" not in fragment
    assert re.sub(r"</?mark>", "", fragment).count("<") == 0
    assert marked(fragment) == ["zebra", "script", "script"]


def test_text_that_looks_like_markup_in_a_match_is_escaped_inside_the_mark():
    (fragment,) = snippets("O'Brien & <b>Bold</b>", Terms.build(words=["bold"]))
    assert "<b>" not in fragment and "<mark>Bold</mark>" in fragment


def long_text():
    filler = "The ministry published a long report about regional security and budgets. " * 4
    return "\n\n".join(f"{filler}Paragraph {i} recalls the bombing at the station. {filler}" for i in range(6))


def test_at_most_three_fragments_of_about_200_characters():
    fragments = snippets(long_text(), Terms.build(words=["bombing"]))
    assert len(fragments) == 3
    for fragment in fragments:
        plain = re.sub(r"</?mark>", "", fragment).strip("… ")
        assert 100 <= len(plain) <= 260
        assert marked(fragment) == ["bombing"]


def test_fragments_never_start_or_end_mid_word():
    text = long_text()
    words = set(re.findall(r"\w+", text))
    for fragment in snippets(text, Terms.build(words=["station"]), size=120):
        plain = re.sub(r"</?mark>", "", fragment).strip("… ")
        first, last = re.findall(r"\w+", plain)[0], re.findall(r"\w+", plain)[-1]
        assert first in words and last in words


def test_fragments_prefer_windows_with_more_distinct_terms():
    text = ("alpha " + "filler " * 60) + "beta and gamma together " + ("filler " * 60)
    (best, *_) = snippets(text, Terms.build(words=["beta", "gamma", "alpha"]), max_fragments=1)
    assert marked(best) == ["beta", "gamma"]


def test_no_match_gives_the_opening_of_the_text_escaped():
    (fragment,) = snippets("<i>Opening</i> words of the article. " * 20, Terms.build(words=["absent"]))
    assert fragment.startswith("&lt;i&gt;Opening")
    assert fragment.endswith("…")
    assert snippets("", Terms.build(words=["x"])) == []


def test_stop_words_alone_match_nothing():
    assert find_matches("the and of", Terms.build(words=["the"])) == []


def test_a_fragment_stays_inside_the_paragraph_of_its_match():
    """A heading or the end of the paragraph before never runs into the sentence."""
    text = "The union was founded in 2006.\n\nHizb-ut-Tahrir\n\nHizb-ut-Tahrir first appeared in the south in the 1990s."
    (fragment,) = snippets(text, Terms.build(words=["appeared"]))
    assert re.sub(r"</?mark>", "", fragment).strip("… ") == "Hizb-ut-Tahrir first appeared in the south in the 1990s."
    (opening,) = snippets(text, Terms.build(words=["absent"]))
    assert opening.startswith("The union was founded in 2006.") and "Hizb" not in opening


def test_words_found_by_their_prefixes_are_every_word_checked():
    """Without phrases, the words that may match are found by a regex (highlight.py's
    _candidate_word_matches); on texts made to trap it (apostrophes, full stops inside
    words, casing, Cyrillic, underscores, digits) it marks what checking every word marks."""
    import random

    from sources.highlight import _every_word_matches

    rng = random.Random(3)
    pieces = ["bomb", "Bombing", "BOMBS", "u.s", "U.S.", "don't", "’s", "war", "the", "of", "_x", "x_",
              "Рахмон", "рахмона", "ÉTAT", "état", "12", "milit", "Militant", ".", "'", "’", " ", " ", "\n\n", "-"]
    queries = [Terms.build(words=["bombing"]), Terms.build(words=["Рахмон", "war"]),
               Terms.build(prefixes=["milit*", "u.s*"]), Terms.build(words=["état", "s"], prefixes=["bo*"])]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        for terms in queries:
            expected = sorted(set(_every_word_matches(text, terms)))
            assert find_matches(text, terms) == expected, (text, terms)
