"""find_entities(): countries and organisations, alias merging and the ambiguity traps."""

from pathlib import Path

from sources.ingest.clean import clean
from sources.ingest.entities import find_entities, is_acronym
from sources.ingest.gazetteer import GazCountry, Gazetteer, GazOrganisation, load_default_gazetteer
from sources.ingest.split import split

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GAZ = load_default_gazetteer()


def seed(number: int) -> str:
    return next(SEEDS.glob(f"{number:03d}_*.txt")).read_text(encoding="utf-8")


def countries(text: str) -> dict[str, int]:
    return find_entities(text, GAZ).countries


def organisations(text: str) -> dict[str, int]:
    return find_entities(text, GAZ).organisations


# --- seeds ------------------------------------------------------------------

def test_seed_000_countries_and_organisations():
    found = find_entities(clean(seed(0)).text, GAZ)
    assert {"KZ", "KG", "TJ", "TM", "UZ", "RU", "SY", "IQ", "CN", "US", "AF"} <= set(found.countries)
    assert "TR" not in found.countries  # "Turkic peoples" is not Turkey
    # Daesh (2) + ISIS (1) + Islamic State (2) are one organisation.
    assert found.organisations["Islamic State"] == 5
    assert found.organisations["Hizb ut-Tahrir"] == 2  # spelled "Hezb ut-Tahrir" in the seed
    assert found.organisations["Al-Qaeda"] == 1
    assert found.organisations["Al Takfir wal-Hijra"] == 2  # "Al Takfir wal-Hijra" and "Al-Takfir"
    assert found.organisations["Ministry of the Interior of Tajikistan"] == 1
    assert found.countries["US"] == 2  # "United States" and "U.S."


def test_seed_002_wiki_organisations():
    found = find_entities(clean(seed(2)).text, GAZ).organisations
    for name in [
        "Islamic Movement of Uzbekistan", "Jamaat of Central Asian Mujahedins",
        "Islamic Party of Eastern Turkestan", "Kurdistan Workers Party", "Boz Kurt",
        "Lashkar-e-Toiba", "Social Reforms Society", "Asbat an-Ansar", "Muslim Brotherhood",
        "Aum Shinrikyo", "East Turkestan Liberation Organization", "Akramiya", "Hamas",
        "Islamic Jihad", "Tablighi Jamaat", "National Security Committee of Kazakhstan",
        "Shanghai Cooperation Organisation", "UNHCR", "Human Rights Watch", "Eurasia Group",
        "CIS Anti-Terrorist Center", "For a Just Kazakhstan", "Union of Muslims of Kazakhstan",
        "Saudi Binladin Group", "Pravda", "Deutsche Welle", "RFE/RL",
    ]:
        assert name in found, name
    # JCAM, JCMA and JMCA are one group.
    assert found["Jamaat of Central Asian Mujahedins"] >= 10
    # "Hizb ut-Tahrir al-Islami", "Hizb-ut-Tahrir", "Hizb ut-Tahrir" and "HuT" are one group.
    assert found["Hizb ut-Tahrir"] >= 25


def test_seed_003_organisations_per_article():
    segments = split(seed(3))
    odr = organisations(clean(segments[2].text).text)
    assert odr["Islamic Renaissance Party of Tajikistan"] > 40  # IRPT, IPRT and the full name
    assert "United Tajik Opposition" in odr and "Group 24" in odr and "Popular Front" in odr
    moderndiplomacy = organisations(clean(segments[3].text).text)
    assert "Supreme Court of Tajikistan" in moderndiplomacy
    assert "Human Rights Association in Central Asia" in moderndiplomacy
    rferl = organisations(clean(segments[4].text).text)
    assert {"International Centre for Counter-Terrorism", "Amaq News Agency", "OMON",
            "Columbia University", "University of Heidelberg"} <= set(rferl)
    aljazeera = find_entities(clean(segments[5].text).text, GAZ)
    assert {"Organization for Security and Co-operation in Europe", "UNESCO",
            "Reporters Without Borders", "London School of Economics"} <= set(aljazeera.organisations)
    # "the Islamic State of Iraq and the Levant (ISIL, known as ISIS)": three mentions, one group.
    assert aljazeera.organisations["Islamic State"] == 3


def test_seed_003_first_article_demonyms():
    found = countries(clean(split(seed(3))[1].text).text)
    # "a Belgian, a Briton, and two Swedes", "Swedish police"
    assert found["BE"] == 1 and found["GB"] == 1 and found["SE"] >= 2


# --- alias merging ---------------------------------------------------------------

def test_islamic_state_aliases_are_one_organisation():
    text = ("ISIS fighters and ISIL commanders joined Daesh, the Islamic State of Iraq and Syria, "
            "also called the Islamic State of Iraq and the Levant. IS militants fled.")
    assert organisations(text) == {"Islamic State": 6}


def test_khorasan_branch_is_a_separate_organisation():
    text = "The Khorasan Islamic State, also Islamic State Khorasan Province or ISIS-K, fights the Islamic State."
    assert organisations(text) == {"Islamic State – Khorasan Province": 3, "Islamic State": 1}


def test_hizb_ut_tahrir_spellings():
    text = "Hizb ut-Tahrir, Hezb ut-Tahrir, Hizb-ut-Tahrir, Hizb ut Tahrir, Hizb ut-Tahrir al-Islami and HuT."
    assert organisations(text) == {"Hizb ut-Tahrir": 6}


def test_irpt_spellings():
    text = ("The Islamic Renaissance Party of Tajikistan (IRPT), also IPRT, the Islamic Revival Party of "
            "Tajikistan or simply the Islamic Renaissance Party.")
    assert organisations(text) == {"Islamic Renaissance Party of Tajikistan": 5}


def test_al_qaeda_spellings():
    assert organisations("Al-Qaeda, al Qaeda, al-Qaida and Al Qaeda.") == {"Al-Qaeda": 4}


def test_canonical_names_have_no_commas():
    assert all("," not in organisation.name for organisation in GAZ.organisations)


# --- matching rules -------------------------------------------------------------------

def test_country_inside_an_organisation_name_is_not_a_country_mention():
    found = find_entities("The Islamic Movement of Uzbekistan operates in Uzbekistan.", GAZ)
    assert found.organisations == {"Islamic Movement of Uzbekistan": 1}
    assert found.countries == {"UZ": 1}


def test_acronyms_are_case_sensitive():
    assert organisations("The SCO met. The UN spoke. The OSCE observed.") == {
        "Shanghai Cooperation Organisation": 1, "United Nations": 1,
        "Organization for Security and Co-operation in Europe": 1,
    }
    assert organisations("the sco of un and osce, a hut in the woods") == {}


def test_is_only_counts_as_an_acronym_in_ordinary_text():
    assert organisations("IS militants retreated from Mosul.") == {"Islamic State": 1}
    assert organisations("He is sure it is over.") == {}
    assert organisations("WHAT IS NEXT FOR TAJIKISTAN") == {}
    assert organisations("An Islamic state was never his aim; the Islamic state was.") == {"Islamic State": 1}


def test_united_states_forms():
    assert countries("The U.S., the US and the USA; the United States; Americans.") == {"US": 5}
    assert countries("Let us go; tell us more.") == {}
    assert countries("JOIN US TODAY") == {}


def test_demonyms_count_as_countries():
    found = countries(
        "Kyrgyz police detained an Uzbek national; Tajik and Tajiks, Kazakh officials, Chinese, "
        "Russian, Iranian, Turkish, Afghan, Syrian, Iraqi, Swedish, Swedes, Belgian, British and a Briton."
    )
    assert found == {
        "KG": 1, "UZ": 1, "TJ": 2, "KZ": 1, "CN": 1, "RU": 1, "IR": 1, "TR": 1, "AF": 1,
        "SY": 1, "IQ": 1, "SE": 2, "BE": 1, "GB": 2,
    }


def test_turkic_is_not_turkey():
    assert countries("Turkic peoples face accusations of terrorism.") == {}


def test_lowercase_common_words_are_not_countries():
    assert countries("They ate turkey and fine china in a chad of paper.") == {}


def test_jordan_as_a_person_is_not_the_country():
    assert countries("Jordan Peterson said so, and Michael Jordan agreed.") == {}
    assert countries("Refugees fled to Jordan. In Jordan, camps grew. Syria and Jordan agreed.") == {"JO": 3, "SY": 1}


def test_non_country_phrases():
    assert countries("Latin American and South American delegates met in New Mexico.") == {}


def test_everyday_country_names_from_pycountry():
    found = countries("Russia, Iran, Syria, South Korea, Laos, Vietnam, Bolivia, Turkey, Ivory Coast.")
    assert found == {"RU": 1, "IR": 1, "SY": 1, "KR": 1, "LA": 1, "VN": 1, "BO": 1, "TR": 1, "CI": 1}


def test_possessives_and_hyphenated_forms():
    assert countries("Tajikistan’s border and the U.S.-trained commander") == {"TJ": 1, "US": 1}


def test_is_acronym():
    assert is_acronym("ISIS") and is_acronym("U.S.") and is_acronym("HuT") and is_acronym("RFE/RL")
    assert not is_acronym("Hamas") and not is_acronym("Tajik") and not is_acronym("Islamic State")


def test_custom_gazetteer_from_the_database_side():
    gazetteer = Gazetteer(
        countries=[GazCountry("KG", "Kyrgyzstan", ["Kyrgyz", "Kirghiz"])],
        organisations=[GazOrganisation("Ata Meken", ["Ata-Meken"])],
    )
    found = find_entities("Kirghiz voters backed Ata-Meken in Kyrgyzstan.", gazetteer)
    assert found.countries == {"KG": 2}
    assert found.organisations == {"Ata Meken": 1}


def test_default_gazetteer_covers_every_country():
    codes = {country.code for country in GAZ.countries}
    assert len(codes) >= 249 and {"KZ", "KG", "TJ", "TM", "UZ", "JO", "TD"} <= codes
    kyrgyzstan = next(c for c in GAZ.countries if c.code == "KG")
    assert kyrgyzstan.name == "Kyrgyzstan" and "Kirghiz" in kyrgyzstan.aliases
