"""Finding people in text (sources/ingest/people.py): the gazetteer's names and their
variants, names introduced by a title, a role or speech, bare surnames, and the words that
must never become a person. Pure Python: no database."""

from pathlib import Path

import pytest

from sources.ingest.gazetteer import Gazetteer, GazPerson, load_default_gazetteer
from sources.ingest.people import find_people
from sources.ingest.pipeline import process

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GAZETTEER = load_default_gazetteer()


def people(text, gazetteer=GAZETTEER):
    return find_people(text, gazetteer)


# --- the seeds -------------------------------------------------------------------------

#: Everyone an article names at least twice (seed file prefix, article position in it).
#: Left out, and why: seed 003 #2's "Massud" is a single name with no surname; a single
#: word is a person only when the gazetteer knows it (precision first).
NAMED_TWICE = {
    ("000", 0): {"Ramazon Rahimzoda"},
    ("001", 0): {"Manas Amanbaev"},
    ("002", 0): {
        "Vyacheslav Kasymov", "Zhakshybek Biimurzaev", "Sergei Minenkov", "Nursultan Nazarbayev",
        "Askar Amerkhanov", "Ahmad Bekmirzaev", "Saulebek Zhamkenuly", "Islam Karimov",
        "Rashid Tusupbekov", "Marat Yermukanov", "Vladimir Bozhko",
    },
    ("003", 0): {"Hojjatollah Faghani", "Mohammad Javad Zarif", "Shukurjon Zuhurov"},
    ("003", 1): {"Akbarzhon Jalilov", "Anna Matleeva"},
    ("003", 2): {
        "Emomali Rahmon", "Muhiddin Kabiri", "Sayid Abdullo Nuri", "Mahmudjon Faizrahmonov",
        "Ilhomjon Yaqubov", "Gulmurod Halimov", "Shamsuddin Saidov", "Abdulhalim Nazarzoda",
        "Muhammadjon Hindustoni", "Muhammadjon Kabirov", "Janatulloh Komilov",
    },
    ("003", 3): {"Gulmurod Halimov", "Emomali Rahmon", "Muhiddin Kabiri", "Joseph Stalin", "Buzurgmehr Yorov"},
    ("003", 4): {"Gulmurod Halimov", "Sophie Roche", "Charlie Winter", "Edward Lemon"},
    ("003", 5): {"Emomali Rahmon"},
    ("004", 0): {"Ramazon Rahimzoda", "Abdulkadir Masharipov"},
}
#: Words of the seeds that name places, bodies, months and such: never part of a person.
NEVER_PEOPLE = {
    "Tajikistan", "Tajik", "Kazakhstan", "Kyrgyz", "Uzbek", "Russia", "Syria", "Dushanbe",
    "Almaty", "Bishkek", "Moscow", "Petersburg", "Xinjiang", "Asia", "Central", "Islamic",
    "State", "Party", "Ministry", "Interior", "Committee", "Court", "Supreme", "Watch",
    "Rights", "Human", "Security", "National", "Service", "Radio", "Europe", "Free",
    "January", "June", "September", "Monday", "Sunday", "Taliban", "Daesh", "ISIS", "IRPT",
    "KNB", "OSCE", "HuT", "Reuters", "Eurasianet", "University", "Group",
}


def seed_articles():
    for path in sorted(SEEDS.glob("*.txt")):
        for article in process(path.read_text(encoding="utf-8"), GAZETTEER):
            yield (path.name[:3], article.position), article


def test_seed_articles_are_the_expected_ones():
    assert {key for key, _ in seed_articles()} == set(NAMED_TWICE)


@pytest.mark.parametrize("key", sorted(NAMED_TWICE))
def test_everyone_named_twice_in_a_seed_article_is_found(key):
    article = dict(seed_articles())[key]
    named_twice = {name for name, count in article.people.items() if count >= 2}
    assert named_twice == NAMED_TWICE[key]


def test_no_seed_person_is_a_place_a_body_or_a_month():
    for key, article in seed_articles():
        for name in article.people:
            assert not set(name.replace("-", " ").split()) & NEVER_PEOPLE, (key, name)


def test_halimov_and_khalimov_are_one_person_in_three_seed_articles():
    with_halimov = [key for key, article in seed_articles() if "Gulmurod Halimov" in article.people]
    assert len(with_halimov) >= 3
    assert not any("Khalimov" in name or name == "Halimov" for _, a in seed_articles() for name in a.people)


# --- the gazetteer's names and variants --------------------------------------------------

def test_spelling_variants_and_scripts_count_for_one_person():
    text = (
        "President Emomali Rahmon spoke. Later Rakhmon left, and Rahmonov returned. "
        "Эмомали Рахмон выступил. Colonel Gulmurod Khalimov defected; Halimov was seen in Syria."
    )
    assert people(text) == {"Emomali Rahmon": 4, "Gulmurod Halimov": 2}


def test_another_given_name_before_a_famous_surname_is_someone_else():
    text = "Rustam Karimov, a shopkeeper, said prices rose. Karimov's brother did not comment."
    assert people(text) == {"Rustam Karimov": 2}  # the bare surname is his, named just before
    assert people("Islam Karimov ruled; Karimov died in 2016.") == {"Islam Karimov": 2}


def test_the_longest_name_wins():
    text = "Rustam Emomali Rahmon was appointed mayor, while Emomali Rahmon stayed president."
    assert people(text) == {"Rustam Emomali": 1, "Emomali Rahmon": 1}


# --- names the gazetteer lacks --------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("Interior Minister Bakhtiyor Odinaev visited the border.", "Bakhtiyor Odinaev"),
    ("Colonel Saidjon Murodov resigned on Monday.", "Saidjon Murodov"),
    ("The journalist Zarina Temirova was detained.", "Zarina Temirova"),
    ("“We were not told,” says Dilnoza Karimova, a teacher from Khujand.", "Dilnoza Karimova"),
    ("Farrukh Nazarov said the talks had failed.", "Farrukh Nazarov"),
    ("Farrukh Nazarov, who leads the group, declined to comment.", "Farrukh Nazarov"),
    ("Police arrested an Uzbek national called Ulugbek Tursunov in Istanbul.", "Ulugbek Tursunov"),
    ("According to Ainura Kasymalieva, the law was never applied.", "Ainura Kasymalieva"),
    ("Sheikh Abu Bakr al-Zawahiri spoke at the mosque.", "Abu Bakr al-Zawahiri"),
])
def test_a_title_role_or_speech_introduces_a_new_name(text, name):
    assert people(text, Gazetteer([], [])) == {name: 1}


def test_a_new_name_counts_everywhere_and_its_surname_after_it():
    text = (
        "Bakhtiyor Odinaev has run the ministry since 2019. "
        "Odinaev was not available. Interior Minister Bakhtiyor Odinaev later said the border was calm. "
        "Asked again, Odinaev declined."
    )
    assert people(text, Gazetteer([], [])) == {"Bakhtiyor Odinaev": 4}


def test_a_bare_surname_before_any_full_name_is_no_one():
    text = "Odinaev was not available. Nobody else was named."
    assert people(text, Gazetteer([], [])) == {}


def test_a_surname_two_people_share_links_to_neither():
    text = (
        "Journalist Zarina Temirova wrote about it. Analyst Aziz Temirova disagreed. "
        "Temirova was not reached."
    )
    assert people(text, Gazetteer([], [])) == {"Zarina Temirova": 1, "Aziz Temirova": 1}


@pytest.mark.parametrize("text", [
    "The Tajik Interior Ministry said the border was closed.",
    "Human Rights Watch said the trial was unfair.",
    "Radio Ozodi reported on Monday, citing Tajik Security Service sources.",
    "In January Dushanbe announced new rules; said Islamic State supporters were arrested.",
    "The Supreme Court said on Tuesday that it would hear the case.",
    "Central Asia, the region between the Caspian and China, said little.",
    "St Petersburg, the city where the attack happened, mourned.",
    "Free Europe said nothing. National Security Committee officials said they were ready.",
    "Prime Minister said the Deputy Chairman would attend.",
    "KNB spokesman said the case was closed.",
])
def test_places_bodies_titles_and_months_never_become_people(text):
    assert people(text) == {}


def test_a_word_the_article_also_writes_in_lower_case_is_no_name():
    text = "Officer Border Security said the border security was tight."
    assert people(text, Gazetteer([], [])) == {}


def test_a_curated_person_is_found_without_an_introduction():
    gazetteer = Gazetteer([], [], [GazPerson("Ilhomjon Yaqubov", ["Ilhomjon Yakubov"])])
    assert people("Ilhomjon Yakubov and Ilhomjon Yaqubov met in Berlin.", gazetteer) == {"Ilhomjon Yaqubov": 2}
