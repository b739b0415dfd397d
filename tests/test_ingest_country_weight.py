"""Countries an article is about vs named in passing (issue 18): one text per kind of
mention, written for these tests, read through the whole pipeline with the shipped
gazetteer."""

import pytest

from sources.ingest.country_weight import _is_demonym, read_countries
from sources.ingest.entities import find_entities
from sources.ingest.gazetteer import load_default_gazetteer
from sources.ingest.pipeline import process

GAZ = load_default_gazetteer()


def read(text):
    """(countries it is about, countries named in passing)."""
    [article] = process(text, GAZ)
    return set(article.countries) - article.passing_countries, article.passing_countries


def scores(text, headline=""):
    searched = f"{headline}\n\n{text}" if headline else text
    return read_countries(searched, find_entities(searched, GAZ).hits, headline_end=len(headline), gazetteer=GAZ).scores


def test_headline_and_lead_outweigh_background():
    about, passing = read(
        "Kyrgyzstan votes for a new president\n\n"
        "Kyrgyzstan voted on Sunday in an early presidential election after months of unrest "
        "in the capital, with the acting leader expected to win comfortably.\n\n"
        "Turnout was low in the south, officials said.\n\n"
        "The mountainous country borders China and has close ties with Russia."
    )
    assert about == {"KG"}
    assert passing == {"CN", "RU"}


def test_mentions_add_up():
    """No headline country: a country named again and again in the body is about too."""
    about, passing = read(
        "Oil output rose by a tenth in Kazakhstan last year, the energy ministry said on Monday, "
        "as new wells in the west came on stream and the largest offshore field worked at full "
        "capacity for the first time since it opened.\n\n"
        "Most of the new crude went east: China bought a third more than a year before, "
        "and China's state oil company is building a second pipeline. Exports to China "
        "will grow again next year, when China opens a refinery near the border.\n\n"
        "Some of the oil still goes through a terminal on the Black Sea owned with Russia. "
        "Kazakhstan wants to depend less on that route."
    )
    assert about == {"KZ", "CN"}
    assert passing == {"RU"}


def test_name_weighs_more_than_demonym():
    assert scores("A court in Tajikistan ruled on Monday.")["TJ"] > scores("A Tajik court ruled on Monday.")["TJ"]
    assert _is_demonym("Kazakh", "KZ") and _is_demonym("Russians", "RU") and _is_demonym("Chinese", "CN")
    assert not any(_is_demonym(name, code) for name, code in [
        ("Kazakhstan", "KZ"), ("U.S.", "US"), ("Russian Federation", "RU"), ("Kirghizia", "KG"), ("Britain", "GB"),
    ])


def test_capital_in_the_headline_places_the_story():
    about, _ = read("Former security chief detained in Bishkek\n\nHe was taken from his home at dawn, his lawyer said.")
    assert about == {"KG"}


def test_dateline_capital_counts_but_less_than_the_headline():
    about, passing = read(
        "Cotton pickers go unpaid\n\nTASHKENT (AP) — Farmers said on Tuesday they had not been paid for the harvest."
    )
    assert about == {"UZ"} and not passing
    about, passing = read(
        "Kyrgyzstan sets early vote\n\n"
        "MOSCOW (AP) — Authorities in Kyrgyzstan on Saturday called an early presidential election "
        "for January, after protests forced the president to resign."
    )
    assert about == {"KG"} and passing == {"RU"}


def test_list_of_three_or_more_countries_weighs_little():
    about, passing = read(
        "Turkmenistan opens a new gas field\n\n"
        "Turkmenistan opened a gas field in the east on Friday. Ministers from Kazakhstan, "
        "Kyrgyzstan, Tajikistan and Uzbekistan attended the ceremony.\n\n"
        "Turkmenistan hopes to double its exports by 2030."
    )
    assert about == {"TM"}
    assert passing == {"KZ", "KG", "TJ", "UZ"}
    listed = scores("Ministers from Kazakhstan, Kyrgyzstan, Tajikistan and Uzbekistan attended.")
    alone = scores("Ministers from Kyrgyzstan attended.")
    assert listed["KG"] < alone["KG"] / 2
    # Two are not a list: "Kazakhstan and China agreed" is about both.
    assert scores("Kazakhstan and Kyrgyzstan agreed.")["KG"] == alone["KG"]


def test_ethnic_list_weighs_little():
    about, passing = read(
        "Afghan province falls to militants\n\n"
        "The fighters in Kunduz province included Arabs, Chechens, Uzbeks, Tajiks, Kyrgyz and Russians, "
        "Afghan officials said. Afghanistan's army withdrew from the provincial capital."
    )
    assert about == {"AF"}
    assert passing == {"UZ", "TJ", "KG", "RU"}


@pytest.mark.parametrize("phrase", [
    "a US-led coalition", "a U.S. ally", "pro-Russian candidates", "a Russian-backed militia",
    "Pakistan's regional allies",
])
def test_modifiers_weigh_little(phrase):
    about, passing = read(
        f"Afghan forces retake a district\n\nAfghan forces backed by {phrase} retook a district in "
        "Helmand on Sunday, Afghanistan's defence ministry said."
    )
    assert about == {"AF"}
    assert passing and not passing & about
    [country] = passing
    modified = scores(f"Afghan forces backed by {phrase} retook a district.")[country]
    unmodified = phrase
    for modifier in ("-led", "-backed", "pro-", " ally", "'s regional allies"):
        unmodified = unmodified.replace(modifier, "")
    plain = scores(f"Afghan forces backed by {unmodified} retook a district.")[country]
    assert modified < plain / 2


@pytest.mark.parametrize("attribution", [
    "Russia's Interfax reported", "Russian media reported", "the Russian news agency said",
    "the BBC Russian Service reported",
])
def test_press_attribution_weighs_next_to_nothing(attribution):
    text = f"Kyrgyz parliament elects a speaker\n\nThe Kyrgyz parliament elected a new speaker on Tuesday, {attribution}."
    about, passing = read(text)
    assert about == {"KG"} and passing == {"RU"}
    assert scores(text.split("\n\n")[1])["RU"] <= 0.2


def test_legal_status_notice_counts_nothing():
    text = "Tajik police detained five members of the Islamic State group (banned in Russia) near Dushanbe."
    assert scores(text)["RU"] == 0
    about, passing = read("Five detained in Tajikistan\n\n" + text)
    assert about == {"TJ"} and passing == {"RU"}


@pytest.mark.parametrize("label", ["(in Russian)", "(Russian: Коллективные силы)"])
def test_language_label_counts_nothing(label):
    assert scores(f"The statement {label} was posted on the ministry's site in Astana.").get("RU") == 0


def test_neighbour_and_origin_weigh_little():
    about, passing = read(
        "Militants attack a Tajik border post\n\n"
        "Gunmen attacked a border post on Tajikistan's border with Uzbekistan overnight, "
        "Tajik officials said. The attackers had crossed into the country from Afghanistan a week before.\n\n"
        "Tajikistan closed the crossing."
    )
    assert about == {"TJ"}
    assert passing == {"UZ", "AF"}
    plain = scores("Gunmen attacked a post in Uzbekistan.")["UZ"]
    assert scores("Gunmen attacked a post on the border with Uzbekistan.")["UZ"] < plain / 2
    assert scores("Gunmen attacked a post in neighbouring Uzbekistan.")["UZ"] < plain / 2
    assert scores("Gunmen who had crossed from Uzbekistan attacked a post.")["UZ"] < plain / 2


def test_hyphenated_pair_weighs_half():
    assert scores("an outpost on the Tajik-Uzbek border")["UZ"] == pytest.approx(
        scores("an outpost on the Uzbek border")["UZ"] / 2
    )


def test_gloss_in_brackets_weighs_little():
    about, passing = read(
        "The alliance was founded in Tashkent (Uzbekistan) in 1992. Kazakhstan asked it for troops "
        "this week, and Kazakhstan's president thanked the alliance on Friday."
    )
    assert about == {"KZ"} and passing == {"UZ"}
    assert scores("It was founded in Tashkent (Uzbekistan).")["UZ"] < scores("It was founded in Uzbekistan.")["UZ"] / 2
    aside = scores("The region is sovereign (as the constitution of Kazakhstan has it) within Uzbekistan.")
    assert aside["KZ"] < aside["UZ"] / 2


def test_a_country_the_headline_names_is_about_whatever_the_body_says():
    """Here the headline names Tajikistan only through one of its organisations."""
    about, passing = read(
        "Russia bans the Islamic Renaissance Party of Tajikistan\n\n"
        "Russia's Supreme Court on Tuesday declared the party a terrorist organisation. Russia's "
        "prosecutors had asked for the ban in July; Russia now joins Tajikistan, where the party "
        "was outlawed in 2015.\n\nRussia is home to a million migrant workers."
    )
    assert about == {"RU", "TJ"}
    assert not passing


def test_a_news_agency_in_the_headline_does_not_place_the_story():
    about, _ = read("Interfax: Kazakh troops leave Almaty\n\nKazakh troops left the city on Monday.")
    assert about == {"KZ"}


def test_a_demonym_of_a_country_outside_the_curated_list_names_it():
    """countryinfo's demonyms for the countries the shipped list does not curate."""
    from sources.ingest.gazetteer import load_default_gazetteer
    from sources.ingest.pipeline import process

    article = process("Tourist held\n\nPolice in Kyrgyzstan detained a Swiss national on Monday, "
                      "officials said. Two Nigeriens were released.", load_default_gazetteer())[0]
    assert {"KG", "CH", "NE"} <= set(article.countries)
