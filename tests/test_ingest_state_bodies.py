"""Bare names of state bodies ("the Central Election Commission", "the GKNB") read as the
body of the country the article names (sources/ingest/state_bodies.py), on texts written
for these tests, through the pipeline with the shipped list."""

from sources.ingest.gazetteer import load_default_gazetteer
from sources.ingest.pipeline import process

GAZ = load_default_gazetteer()
KYRGYZ_CEC = "Central Election Commission of Kyrgyzstan"
KYRGYZ_GKNB = "State Committee for National Security of Kyrgyzstan"
TAJIK_GKNB = "State Committee for National Security of Tajikistan"


def organisations(text):
    [article] = process(text, GAZ)
    return article.organisations


def test_the_country_the_article_is_about_decides():
    assert organisations(
        "Kyrgyzstan sets a date for the vote\n\nThe Central Election Commission on Saturday set the vote "
        "for January. The CEC said 14 candidates had registered."
    ) == {KYRGYZ_CEC: 2}


def test_a_form_two_countries_share_goes_to_the_one_the_article_is_about():
    assert organisations("Plot foiled in Tajikistan\n\nThe GKNB said it had detained five men in Dushanbe.") == {
        TAJIK_GKNB: 1
    }
    assert organisations("Plot foiled in Kyrgyzstan\n\nThe GKNB said it had detained five men in Osh.") == {
        KYRGYZ_GKNB: 1
    }


def test_the_country_named_right_before_decides_first():
    found = organisations(
        "Kyrgyz migrants get new rules\n\nKyrgyzstan's workers in Russia no longer register with "
        "Russia's Federal Migration Service for stays under 30 days, Kyrgyz officials said."
    )
    assert found == {"Federal Migration Service": 1}


def test_without_an_owners_country_the_bare_form_counts_for_nothing():
    assert organisations("Vote date set\n\nThe Central Election Commission set the vote for January.") == {}


def test_a_name_one_body_alone_has_counts_as_found():
    """Jogorku Kenesh is Kyrgyzstan's parliament only; the article need not name the country."""
    assert organisations("Deputies vote\n\nThe Jogorku Kenesh passed the budget on Thursday.") == {"Jogorku Kenesh": 1}


def test_a_name_with_its_country_is_not_reread():
    assert organisations(
        "Talks in Moscow\n\nKazakhstan's National Security Committee and the Tajik State Committee for National "
        "Security agreed to share lists, Russian officials said."
    ) == {"National Security Committee of Kazakhstan": 1, TAJIK_GKNB: 1}
