"""Countries' Russian names, as Russian-language articles write them.

The names are pycountry's own translations (the iso-codes project's Russian catalogue,
shipped in the package), plus everyday names the catalogue lacks ("Россия" beside
"Российская Федерация"). A Russian article declines them ("в Таджикистане", "из
Узбекистана"): each one-word name comes with its singular case forms, made by the regular
endings of its declension class. Multi-word names ("Соединённые Штаты") stay as they are.
"""

from __future__ import annotations

import functools
import gettext

import pycountry

EVERYDAY = {"RU": ["Россия"], "KG": ["Кыргызстан"], "US": ["США", "Америка"], "GB": ["Великобритания"],
            "KR": ["Южная Корея"], "MD": ["Молдавия"], "BY": ["Белоруссия"]}
# Russian names that are also common words at the start of a sentence ("Того же дня").
SKIPPED = {"TG", "ML"}
HUSHING_OR_VELAR = set("гкхжшщчц")  # after these, the genitive ending is -и, not -ы
CONSONANTS = set("бвгджзклмнпрстфхцчшщ")


@functools.lru_cache(maxsize=1)
def _catalogue():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)


def russian_names(record) -> list[str]:
    """Every Russian form of the country: its names and their case forms."""
    if record.alpha_2 in SKIPPED:
        return []
    translate = _catalogue().gettext
    english = [getattr(record, attribute, None) for attribute in ("common_name", "name")]
    names = [translate(n) for n in english if n] + EVERYDAY.get(record.alpha_2, [])
    # An untranslated name comes back in English; a catalogue header is no name at all.
    names = [n for n in names if _is_cyrillic(n) and "\n" not in n]
    return list(dict.fromkeys(form for name in names for form in case_forms(name)))


def case_forms(name: str) -> list[str]:
    """Таджикистан -> Таджикистана, Таджикистану, Таджикистаном, Таджикистане; Россия ->
    России, Россию, Россией; Куба -> Кубы, Кубе, Кубу, Кубой; Китай -> Китая, ..."""
    if " " in name or "-" in name or not name[-1:].isalpha() or name.isupper():
        return [name]
    stem, last = name[:-1], name[-1]
    if name.endswith("ия"):
        return [name, stem + "и", stem + "ю", stem + "ей"]
    if last == "а":
        genitive = "и" if stem[-1:] in HUSHING_OR_VELAR else "ы"
        return [name, stem + genitive, stem + "е", stem + "у", stem + "ой"]
    if last == "я":
        return [name, stem + "и", stem + "е", stem + "ю", stem + "ей"]
    if last == "й":
        return [name, stem + "я", stem + "ю", stem + "ем", stem + "е"]
    if last in CONSONANTS:
        return [name, name + "а", name + "у", name + "ом", name + "е"]
    return [name]


def _is_cyrillic(text: str) -> bool:
    return any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in text)
