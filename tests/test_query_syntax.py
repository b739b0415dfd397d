"""sources/query_syntax.py on its own: what each query becomes, and its bounds."""

import pytest

from sources.aliases import AliasTable
from sources.query_syntax import (
    MAX_DEPTH,
    MAX_OPERATORS,
    MALFORMED_MESSAGE,
    TOO_COMPLEX_MESSAGE,
    clean_text,
    is_too_complex,
    parse_query,
)

NO_ALIASES = AliasTable.from_names([])


def expression(q):
    """The syntax alone: exact, so that no name is widened to its other spellings."""
    return parse_query(q, aliases=NO_ALIASES, exact=True).expression


@pytest.mark.parametrize(
    "q, expected",
    [
        ("terrorism", "terrorism"),
        ("terror bombing", "(terror AND bombing)"),
        ("terror OR bombing", "(terror OR bombing)"),
        ("a AND (b OR c)", "(a AND (b OR c))"),
        ('"war on terror"', '"war on terror"'),
        ("Syria -Daesh", "(Syria AND NOT Daesh)"),
        ("NOT Daesh", "(*:* AND NOT Daesh)"),
        ("NOT NOT Daesh", "Daesh"),
        ("Osh -(NOT Daesh)", "(Osh AND Daesh)"),
        ("title:Osh", "title:Osh"),
        ('author:"Jane Doe"', 'author:"Jane Doe"'),
        ("Terror*", "terror*"),
        ("Hizb ut-Tahrir", '(Hizb AND "ut Tahrir")'),
        ("terrorism <> ?", "terrorism"),
        ("", ""),
    ],
)
def test_queries_render_to_the_shared_engine_syntax(q, expected):
    assert expression(q) == expected


def test_positive_terms_feed_highlighting_and_suggestions_negative_ones_do_not():
    parsed = parse_query('bombing "war on terror" -Osh outlet:TCA terr*', aliases=NO_ALIASES)
    assert parsed.words == ["bombing", "war", "on", "terror"]
    assert "osh" not in parsed.highlight.words
    assert parsed.highlight.prefixes == {"terr"}


@pytest.mark.parametrize("q", ['"unclosed', "(a OR b", "a OR b)", "AND", "title:(", "x*"])
def test_malformed_queries_search_their_words_and_say_so(q):
    parsed = parse_query(q, aliases=NO_ALIASES)
    assert parsed.message in (MALFORMED_MESSAGE, "Your search had no words to look for, so everything is shown.")
    assert not is_too_complex(q)


def test_control_characters_are_spaces_and_text_is_nfc():
    assert clean_text("a\x00b\u200bc\ufeff") == "a b c "
    assert clean_text("e\u0301") == "\u00e9"


def test_the_query_is_capped_at_1000_characters():
    parsed = parse_query("a " * 1000 + "needle", aliases=NO_ALIASES)
    assert "needle" not in parsed.expression


# --- Nesting bounds (issue 12 item 3) --------------------------------------------------------

DEEP = [
    "(" * 250 + "a",
    "(" * 250 + "a" + ")" * 250,
    "NOT " * 249 + "a",
    "-(" * 120 + "a",
    "NOT (" * 120 + "a",
]


@pytest.mark.parametrize("q", DEEP, ids=["brackets", "balanced", "not", "minus", "mixed"])
def test_deep_nesting_is_refused_with_a_message_not_a_recursion_error(q):
    assert is_too_complex(q)
    parsed = parse_query(q, aliases=NO_ALIASES)
    assert parsed.message == TOO_COMPLEX_MESSAGE
    assert parsed.expression == "a"  # its words are still searched where a page shows them


def test_nesting_up_to_the_bound_is_read_as_written():
    q = "(" * MAX_DEPTH + "a OR b" + ")" * MAX_DEPTH
    assert not is_too_complex(q)
    assert parse_query(q, aliases=NO_ALIASES).expression == "(a OR b)"
    assert is_too_complex("(" + q + ")")
    assert not is_too_complex("NOT " * MAX_DEPTH + "a")
    assert is_too_complex("NOT " * (MAX_DEPTH + 1) + "a")


def test_too_many_operators_side_by_side_are_refused():
    flat = " OR ".join(f"(w{i})" for i in range(MAX_OPERATORS // 2 + 1))
    assert is_too_complex(flat)
    assert not is_too_complex(" OR ".join(f"w{i}" for i in range(40)))


def test_aliases_widen_words_but_not_field_searches():
    table = AliasTable.from_names([["Daesh", "Islamic State"]])
    parsed = parse_query("Daesh title:Daesh", aliases=table)
    assert parsed.expression == '((Daesh OR "Islamic State") AND title:Daesh)'
    assert parsed.also_searched == ["Islamic State"]


def test_a_capitalised_word_is_widened_to_its_spellings_and_a_lower_case_one_is_not():
    assert parse_query("Dushanbe", aliases=NO_ALIASES).expression == "(Dushanbe OR Душанбе)"
    assert parse_query("dushanbe", aliases=NO_ALIASES).expression == "dushanbe"
    parsed = parse_query("Halimov", aliases=NO_ALIASES)
    assert {"Khalimov", "Халимов"} <= set(parsed.also_searched)
    assert parse_query("Halimov", aliases=NO_ALIASES, exact=True).also_searched == []


ISLAMIC_STATE = ["Islamic State", "ISIS", "Daesh", "Islamic State of Iraq and the Levant", "Islamic State of Iraq and Syria"]
RAHMON = ["Emomali Rahmon", "Rahmon", "Rahmonov", "Emomali Rahmonov"]


@pytest.mark.parametrize("q, expected", [
    # A phrase that holds another name's words in a row finds nothing more: left out.
    ("ISIS", '(ISIS OR "Islamic State" OR Daesh)'),
    ("Rahmon", "(Rahmon OR Rahmonov)"),
    # Typed without quotes, the words themselves find every longer phrase holding them.
    ("Islamic State", "((Islamic AND State) OR ISIS OR Daesh)"),
    # What was typed stays, even where a shorter name would find it.
    ('"Islamic State of Iraq and Syria"', '("Islamic State of Iraq and Syria" OR "Islamic State" OR ISIS OR Daesh)'),
])
def test_a_name_widens_without_the_phrases_its_other_names_already_find(q, expected):
    table = AliasTable.from_names([ISLAMIC_STATE, RAHMON])
    assert parse_query(q, aliases=table).expression == expected
