"""Names as the bench's synthetic corpus writes them (issues 15 and 19): the curated people
of sources/data/people.json in their several spellings, and Russian text.

A regional archive names the same people over and over, in whichever transliteration the
outlet used (Halimov, Khalimov), and holds some of the region's own Russian-language
press. Without them the bench could not time what journalists type most (a name with
variants, a Cyrillic query), so here, seeded per article like the rest of generate.py:

* PERSON_SHARE of articles mention a curated person (Zipf over the file's order, most
  prominent first): full name first, surname after, a variant spelling in VARIANT_SHARE of
  the mentions;
* QUOTE_SHARE of English articles carry a paragraph quoted in Russian;
* RUSSIAN_SHARE of articles are written in Russian altogether (title and body), keeping
  the English article's date.

The manifest gains `people` (canonical names mentioned) and, for a Russian article,
`language` "ru".
"""

from __future__ import annotations

import bisect
import json
import random
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "sources" / "data"
PERSON_SHARE = 0.12
VARIANT_SHARE = 0.25
QUOTE_SHARE = 0.03
RUSSIAN_SHARE = 0.02

_CYRILLIC = re.compile("[а-яёА-ЯЁ]")

PERSON_SENTENCES = [
    "{full} said the security situation in {c} remained under control.",
    "Speaking to reporters, {full} called for closer cooperation against extremism.",
    "{full} was quoted by state media as saying that {c} would not bow to pressure.",
    "Critics say {surname} has used the threat of militancy to silence opponents.",
    "{surname}'s office did not respond to a request for comment.",
    "A statement attributed to {surname} circulated on social media in {y}.",
    "Supporters of {surname} dismissed the report as politically motivated.",
    "In {y}, {surname} met officials from {c} to discuss border security.",
]

# Country -> (nominative, genitive, prepositional): the case forms a Russian text uses.
RUSSIAN_COUNTRIES = {
    "Kazakhstan": ("Казахстан", "Казахстана", "Казахстане"),
    "Kyrgyzstan": ("Кыргызстан", "Кыргызстана", "Кыргызстане"),
    "Tajikistan": ("Таджикистан", "Таджикистана", "Таджикистане"),
    "Uzbekistan": ("Узбекистан", "Узбекистана", "Узбекистане"),
    "Turkmenistan": ("Туркменистан", "Туркменистана", "Туркменистане"),
    "Russia": ("Россия", "России", "России"),
    "Afghanistan": ("Афганистан", "Афганистана", "Афганистане"),
}

RUSSIAN_SENTENCES = [
    "Власти {c_gen} сообщили о задержании {n} человек, подозреваемых в связях с группировкой «{org}».",
    "«Угроза со стороны группировки «{org}» сохраняется», — заявил {person} журналистам.",
    "По данным МВД {c_gen}, в {y} году было возбуждено {n} уголовных дел об экстремизме.",
    "{person} неоднократно заявлял, что ситуация на границе {c_gen} остаётся стабильной.",
    "Суд в {c_prep} приговорил {n} мигрантов к срокам от пяти до десяти лет.",
    "Правозащитники считают, что борьбу с экстремизмом в {c_prep} используют против верующих.",
    "Эксперты отмечают, что трудовые мигранты из {c_gen} остаются главной целью вербовщиков.",
    "{c_nom} и Россия договорились обмениваться сведениями о членах группировки «{org}».",
    "Представители группировки «{org}» не ответили на запрос о комментарии.",
    "В {y} году {person} провёл переговоры с руководством {c_gen}.",
]
RUSSIAN_HEADLINES = [
    "{c_nom}: задержаны {n} сторонников группировки «{org}»",
    "{person} — об угрозе экстремизма в {c_prep}",
    "В {c_prep} запретили группировку «{org}»",
]


def _load(name):
    with open(DATA / name, encoding="utf-8") as fh:
        return json.load(fh)


def _cyrillic_full_name(aliases):
    return next((a for a in aliases if _CYRILLIC.search(a) and " " in a), None)


class Names:
    """The curated names, loaded once per generator process."""

    def __init__(self):
        self.people = []  # (canonical, [Latin full-name variants], [Latin surname variants])
        self.russian_people = []  # Cyrillic full names
        for person in _load("people.json"):
            latin = [a for a in person.get("aliases", []) if not _CYRILLIC.search(a)]
            self.people.append((person["name"], [a for a in latin if " " in a], [a for a in latin if " " not in a]))
            cyrillic = _cyrillic_full_name(person.get("aliases", []))
            if cyrillic:
                self.russian_people.append(cyrillic)
        self.russian_orgs = []  # armed groups: (canonical, the Cyrillic name a Russian text quotes)
        for org in _load("organisations.json"):
            # The first Cyrillic alias with lower-case letters: its name, not its acronym.
            quoted = next((a for a in org.get("aliases", []) if _CYRILLIC.search(a) and a != a.upper()), None)
            if quoted and org.get("kind") == "armed_group":
                self.russian_orgs.append((org["name"], quoted))
        self.person_cum = _zipf_cum(len(self.people))

    def person(self, rng):
        return self.people[bisect.bisect(self.person_cum, rng.random() * self.person_cum[-1])]


def _zipf_cum(n):
    acc, out = 0.0, []
    for k in range(1, n + 1):
        acc += 1.0 / k
        out.append(acc)
    return out


_NAMES = None


def _names():
    global _NAMES
    if _NAMES is None:
        _NAMES = Names()
    return _NAMES


def add_names(seed: int, number: int, text: str, meta: dict) -> tuple[str, dict]:
    """The article with its curated names and Russian text, if its draw gives it any."""
    rng = random.Random(f"{seed}:names:{number}")
    names = _names()
    meta = dict(meta, people=[])
    if rng.random() < RUSSIAN_SHARE:
        return _russian_article(rng, names, meta)
    if rng.random() < PERSON_SHARE:
        text, meta = _mention_person(rng, names.person(rng), text, meta)
    if rng.random() < QUOTE_SHARE:
        text = _insert_paragraph(rng, text, " ".join(_russian_sentences(rng, names, meta, 2)))
    return text, meta


def _mention_person(rng, person, text, meta):
    canonical, full_variants, surname_variants = person
    surname = canonical.split()[-1]

    def spelled(usual, variants):
        return rng.choice(variants) if variants and rng.random() < VARIANT_SHARE else usual

    slots = {"c": (meta["countries"] or ["the region"])[0], "y": str(meta["years"][0])}
    first, *rest = rng.sample(PERSON_SENTENCES, rng.randint(1, 3))
    sentences = [first.format(full=spelled(canonical, full_variants), surname=surname, **slots)]
    sentences += [s.format(full=spelled(canonical, full_variants), surname=spelled(surname, surname_variants), **slots)
                  for s in rest]
    return _append_to_paragraph(rng, text, " ".join(sentences)), dict(meta, people=[canonical])


def _russian_slots(rng, names, meta):
    country = next((c for c in meta["countries"] if c in RUSSIAN_COUNTRIES), "Tajikistan")
    nom, gen, prep = RUSSIAN_COUNTRIES[country]
    org = rng.choice(names.russian_orgs)[1]
    return {"c_nom": nom, "c_gen": gen, "c_prep": prep, "org": org, "y": str(meta["years"][0]),
            "person": names.russian_people[min(int(rng.expovariate(0.3)), len(names.russian_people) - 1)],
            "n": str(rng.choice((3, 5, 7, 12, 19, 40)))}


def _russian_sentences(rng, names, meta, count):
    slots = _russian_slots(rng, names, meta)
    return [s.format(**slots) for s in rng.sample(RUSSIAN_SENTENCES, count)]


def _russian_article(rng, names, meta):
    slots = _russian_slots(rng, names, meta)
    title = rng.choice(RUSSIAN_HEADLINES).format(**slots)
    paragraphs = [" ".join(s.format(**slots) for s in rng.sample(RUSSIAN_SENTENCES, rng.randint(2, 4)))
                  for _ in range(rng.randint(3, 6))]
    dated = meta["precision"] == "day"
    text = f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"
    if dated:
        text += f"\n{meta['published']}\n"
    return text, dict(meta, title=title, author=None, language="ru",
                      published=meta["published"] if dated else None, precision=meta["precision"] if dated else "unknown",
                      countries=[c for c, forms in RUSSIAN_COUNTRIES.items() if any(f in text for f in forms)],
                      organisations=[o for o, quoted in names.russian_orgs if quoted in text])


def _body_blocks(blocks):
    """Indexes of the article's body paragraphs (not its headline block or byline)."""
    return [i for i, block in enumerate(blocks) if len(block.split()) > 25] or [len(blocks) - 1]


def _append_to_paragraph(rng, text, sentences):
    blocks = text.split("\n\n")
    i = rng.choice(_body_blocks(blocks))
    blocks[i] = blocks[i].rstrip("\n") + " " + sentences + ("\n" if blocks[i].endswith("\n") else "")
    return "\n\n".join(blocks)


def _insert_paragraph(rng, text, paragraph):
    blocks = text.split("\n\n")
    i = rng.choice(_body_blocks(blocks))
    blocks.insert(i + 1, paragraph)
    return "\n\n".join(blocks)
