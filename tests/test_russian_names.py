"""Countries in Russian (sources/ingest/russian_names.py): found in a Russian article in
their case forms, and a Cyrillic query finds the Latin article and the reverse."""

import pytest

from sources.ingest.entities import find_entities
from sources.ingest.gazetteer import load_default_gazetteer
from sources.ingest.russian_names import case_forms
from tests.factories import make_source
from tests.fixtures_search import rebuild_index

RUSSIAN = (
    "Министерство внутренних дел Таджикистана сообщило о задержании граждан Узбекистана. "
    "В Таджикистане и в России их ждёт суд; из Китая пришёл ответ. Того же дня Мали не упоминали."
)


def test_countries_are_found_in_their_russian_case_forms():
    assert find_entities(RUSSIAN, load_default_gazetteer()).countries == {"TJ": 2, "UZ": 1, "RU": 1, "CN": 1}


@pytest.mark.parametrize("name, forms", [
    ("Таджикистан", ["Таджикистан", "Таджикистана", "Таджикистану", "Таджикистаном", "Таджикистане"]),
    ("Россия", ["Россия", "России", "Россию", "Россией"]),
    ("Куба", ["Куба", "Кубы", "Кубе", "Кубу", "Кубой"]),
    ("Киргизия", ["Киргизия", "Киргизии", "Киргизию", "Киргизией"]),
    ("Китай", ["Китай", "Китая", "Китаю", "Китаем", "Китае"]),
    ("Соединённые штаты", ["Соединённые штаты"]),
    ("США", ["США"]),
])
def test_case_forms(name, forms):
    assert case_forms(name) == forms


@pytest.mark.django_db
def test_a_cyrillic_query_finds_the_latin_article_and_the_reverse(client, fresh_index):
    from django.core.management import call_command
    import io

    call_command("load_gazetteer", stdout=io.StringIO())
    latin = make_source("Arrests in Tajikistan", "Police in Tajikistan detained three men.", countries=["Tajikistan"])
    cyrillic = make_source("Задержания", "Полиция Таджикистана задержала троих.", language="ru")
    other = make_source("Tajik migrants", "Tajik migrants in Moscow.")
    rebuild_index()

    def found(q):
        return {hit["slug"] for hit in client.get("/api/search", {"q": q}).json()["hits"]}

    assert found("Таджикистан") == {latin.slug, cyrillic.slug}
    assert found("Tajikistan") == {latin.slug, cyrillic.slug}
    assert found("Tajikistan") & {other.slug} == set()  # not widened to the people's name
    assert found("Tajikistan").issuperset(found("Таджикистан"))
    assert found("Таджикистан") == found("Таджикистане")
    exact = client.get("/api/search", {"q": "Таджикистан", "exact": "1"}).json()
    assert {hit["slug"] for hit in exact["hits"]} <= {cyrillic.slug}  # no Latin names


@pytest.mark.django_db
@pytest.mark.archive_engine  # haystack's stock Whoosh engine stems English only
def test_russian_words_match_their_other_forms_and_are_highlighted(client, fresh_index):
    article = make_source(
        "Мигранты возвращаются",
        "Тысячи мигрантов из Таджикистана вернулись домой. Мигранты жалуются на новые правила.",
        language="ru",
    )
    make_source("Migrants return", "Thousands of migrants returned home.")
    rebuild_index()
    data = client.get("/api/search", {"q": "мигрант"}).json()
    assert [hit["slug"] for hit in data["hits"]] == [article.slug]
    snippets = " ".join(data["hits"][0]["snippets"])
    assert "<mark>мигрантов</mark>" in snippets and "<mark>Мигранты</mark>" in snippets
    assert client.get("/api/search", {"q": "migrant"}).json()["total"] == 1  # English as before


def test_organisations_are_found_by_their_russian_names():
    text = "Боевики ИГИЛ и Талибана, члены ПИВТ и Хизб ут-Тахрир; саммит ОДКБ. Ячейка Исламского государства."
    assert find_entities(text, load_default_gazetteer()).organisations == {
        "Islamic State": 2, "Taliban": 1, "Islamic Renaissance Party of Tajikistan": 1,
        "Hizb ut-Tahrir": 1, "Collective Security Treaty Organization": 1,
    }
