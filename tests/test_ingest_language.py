"""The language of an article (sources/ingest/language.py), through the pipeline."""

from pathlib import Path

import pytest

from sources.ingest.gazetteer import load_default_gazetteer
from sources.ingest.language import detect_language
from sources.ingest.pipeline import process

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

RUSSIAN = (
    "Министерство внутренних дел Таджикистана сообщило о задержании трёх человек в Душанбе. "
    "По данным ведомства, они подозреваются в связях с запрещённой организацией."
)
UZBEK = (
    "Toshkent shahrida bo'lib o'tgan yig'ilishda hukumat vakillari yangi qonun loyihasini "
    "muhokama qildilar. Ular mehnat muhojirlarining huquqlarini himoya qilish zarurligini ta'kidladilar."
)


def test_every_seed_article_is_english():
    languages = {a.language for path in SEEDS.glob("*.txt")
                 for a in process(path.read_text(encoding="utf-8"), load_default_gazetteer())}
    assert languages == {"en"}


@pytest.mark.parametrize("text, code", [(RUSSIAN, "ru"), (UZBEK, "uz"), (RUSSIAN + " " + RUSSIAN, "ru")])
def test_the_regions_languages_are_told_apart(text, code):
    assert detect_language(text) == code


def test_a_russian_text_file_becomes_a_russian_article():
    [article] = process(f"Задержания в Душанбе\n\n{RUSSIAN}\n\n{RUSSIAN}\n", load_default_gazetteer())
    assert article.language == "ru"


def test_too_short_to_tell_is_undetermined_unless_declared():
    assert detect_language("Полиция задержала троих.") == "und"
    assert detect_language("Полиция задержала троих.", declared="ru") == "ru"
    assert detect_language("") == "und"
