#!/usr/bin/env python
"""Synthetic article corpus for the benchmark.

    python bench/generate.py --docs N --out DIR [--seed S] [--manifest FILE.jsonl] [--jobs J]

Writes N plain-text articles shaped like seeds/*.txt (headline line, optional dateline
"CITY (OUTLET) —", body paragraphs, optional byline / trailing date line, ~15% undated)
into DIR/0000/, DIR/0001/, ... (1,000 files a folder), ready for
`python manage.py import_sources DIR`.

The sentences come from the seeds shipped in the repository (lightly cleaned), recombined;
country, organisation and year mentions inside them become slots that are filled from
Zipf-like distributions, so facet counts are skewed the way a real archive is (a few
countries and groups everywhere, a long tail). Names come from sources/data/countries.json
and organisations.json when present, else from a small built-in list. Person names are
drawn from a Zipf-distributed synthetic vocabulary, which gives the corpus genuinely rare
words (RARE_WORD is one, used by the benchmark's fixed query mix). Curated people in their
other spellings, and Russian text, come from bench/name_text.py.

Deterministic: each article depends only on (seed, its number), whatever --jobs is.
--manifest writes one JSON line per article with the ground truth (title, outlet, date,
precision, countries, organisations, years, people, language) for checking extraction.
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import os
import random
import re
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import name_text
import reprint_copies

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = ROOT / "sources" / "data"
PER_FOLDER = 1000

# --------------------------------------------------------------------------- gazetteer

# Fallback when sources/data/*.json does not exist yet: (name, ISO code, [aliases]).
# Ordered by how often the archive's subject (Central Asian security) names them; the
# Zipf rank follows this order.
BUILTIN_COUNTRIES = [
    ("Kazakhstan", "KZ", ["Kazakh", "Kazakhstani"]),
    ("Kyrgyzstan", "KG", ["Kyrgyz", "Kirghizia", "Kyrgyz Republic"]),
    ("Tajikistan", "TJ", ["Tajik", "Tajikistani"]),
    ("Uzbekistan", "UZ", ["Uzbek", "Uzbekistani"]),
    ("Russia", "RU", ["Russian Federation", "Russian"]),
    ("Afghanistan", "AF", ["Afghan"]),
    ("Turkmenistan", "TM", ["Turkmen"]),
    ("China", "CN", ["Chinese", "PRC"]),
    ("Syria", "SY", ["Syrian"]),
    ("Iraq", "IQ", ["Iraqi"]),
    ("Iran", "IR", ["Iranian"]),
    ("United States", "US", ["U.S.", "USA", "American"]),
    ("Turkey", "TR", ["Turkish", "Türkiye"]),
    ("Pakistan", "PK", ["Pakistani"]),
    ("United Kingdom", "GB", ["Britain", "British", "UK"]),
    ("Azerbaijan", "AZ", ["Azerbaijani"]),
    ("Georgia", "GE", ["Georgian"]),
    ("India", "IN", ["Indian"]),
    ("Saudi Arabia", "SA", ["Saudi"]),
    ("Germany", "DE", ["German"]),
    ("France", "FR", ["French"]),
    ("Ukraine", "UA", ["Ukrainian"]),
    ("Mongolia", "MN", ["Mongolian"]),
    ("Belarus", "BY", ["Belarusian"]),
    ("Armenia", "AM", ["Armenian"]),
    ("Israel", "IL", ["Israeli"]),
    ("Egypt", "EG", ["Egyptian"]),
    ("Kuwait", "KW", ["Kuwaiti"]),
    ("Indonesia", "ID", ["Indonesian"]),
    ("Japan", "JP", ["Japanese"]),
    ("Sweden", "SE", ["Swedish"]),
    ("Qatar", "QA", ["Qatari"]),
]

BUILTIN_ORGANISATIONS = [
    ("Islamic State", ["ISIS", "ISIL", "Daesh", "IS"]),
    ("Taliban", ["Taleban"]),
    ("Al-Qaeda", ["al-Qaida", "Al Qaeda"]),
    ("Hizb ut-Tahrir", ["Hezb ut-Tahrir", "Hizb-ut-Tahrir", "HuT"]),
    ("Islamic Movement of Uzbekistan", ["IMU"]),
    ("Shanghai Cooperation Organisation", ["Shanghai Cooperation Organization", "SCO"]),
    ("Collective Security Treaty Organization", ["CSTO"]),
    ("United Nations", ["UN", "U.N."]),
    ("Organization for Security and Co-operation in Europe", ["OSCE"]),
    ("National Security Committee of Kazakhstan", ["KNB"]),
    ("Islamic State Khorasan Province", ["ISKP", "IS-K", "Khorasan Islamic State"]),
    ("Jamaat Ansarullah", ["Ansarullah"]),
    ("East Turkestan Islamic Movement", ["ETIM", "Turkistan Islamic Party"]),
    ("Human Rights Watch", ["HRW"]),
    ("Islamic Renaissance Party of Tajikistan", ["IRPT"]),
    ("Muslim Brotherhood", []),
    ("Jund al-Khilafah", []),
    ("Akramiya", ["Akromiya"]),
    ("Lashkar-e-Taiba", ["Lashkar-e-Toiba"]),
    ("Katibat Imam al-Bukhari", ["KIB"]),
    ("Jabhat al-Nusra", ["al-Nusra Front"]),
    ("Tablighi Jamaat", []),
    ("NATO", ["North Atlantic Treaty Organization"]),
    ("European Union", ["EU"]),
    ("Amnesty International", []),
    ("Regional Anti-Terrorist Structure", ["RATS"]),
]

# Country name -> capital-ish cities used in datelines (only for the ones we know).
CITIES = {
    "Kazakhstan": ["ALMATY", "ASTANA", "SHYMKENT", "AKTOBE", "ATYRAU"],
    "Kyrgyzstan": ["BISHKEK", "OSH", "JALAL-ABAD"],
    "Tajikistan": ["DUSHANBE", "KHUJAND", "KHOROG"],
    "Uzbekistan": ["TASHKENT", "SAMARKAND", "ANDIJAN", "NAMANGAN"],
    "Russia": ["MOSCOW", "ST. PETERSBURG", "KAZAN"],
    "Afghanistan": ["KABUL", "KUNDUZ", "MAZAR-I-SHARIF"],
    "Turkmenistan": ["ASHGABAT"],
    "China": ["BEIJING", "URUMQI"],
    "Syria": ["DAMASCUS", "ALEPPO"],
    "Iraq": ["BAGHDAD", "MOSUL"],
    "Iran": ["TEHRAN"],
    "United States": ["WASHINGTON", "NEW YORK"],
    "Turkey": ["ANKARA", "ISTANBUL"],
    "Pakistan": ["ISLAMABAD", "PESHAWAR"],
    "United Kingdom": ["LONDON"],
}

OUTLETS = [
    ("Eurasianet", "EN"), ("Radio Free Europe/Radio Liberty", "RFE/RL"), ("Reuters", "Reuters"),
    ("The Times of Central Asia", "TCA"), ("Associated Press", "AP"), ("AKIpress", "AKIpress"),
    ("Agence France-Presse", "AFP"), ("Asia-Plus", "Asia-Plus"), ("Kazinform", "Kazinform"),
    ("The Diplomat", "The Diplomat"), ("Al Jazeera", "Al Jazeera"), ("24.kg", "24.kg"),
    ("Tehran Times", "Tehran Times"), ("Trend", "Trend"), ("Sputnik", "Sputnik"),
    ("Interfax", "Interfax"), ("Fergana News", "Fergana"), ("Kun.uz", "Kun.uz"),
    ("Tengrinews", "Tengrinews"), ("Jamestown Foundation", "Jamestown"),
    ("Central Asia-Caucasus Analyst", "CACI"), ("Vlast.kz", "Vlast"), ("Kloop", "Kloop"),
    ("Novastan", "Novastan"), ("bne IntelliNews", "bne"), ("The Moscow Times", "MT"),
    ("Xinhua", "Xinhua"), ("Anadolu Agency", "AA"), ("Dawn", "Dawn"), ("Ozodi", "Ozodi"),
]

FIRST_NAMES = [
    "Aibek", "Nurlan", "Dilnoza", "Aigerim", "Bakhtiyor", "Farrukh", "Gulnara", "Erlan",
    "Zarina", "Timur", "Madina", "Rustam", "Saida", "Daniyar", "Kamila", "Joanna", "Peter",
    "Catherine", "Bruce", "Anna", "Paolo", "Sarah", "Michael", "Elena", "Dmitry", "Olga",
    "Murat", "Shakhnoza", "Alisher", "Nigora", "Askar", "Bermet", "Azamat", "Umida",
]
_SYL_A = ["ka", "ba", "ta", "sa", "nu", "ra", "zha", "ke", "mu", "to", "al", "er", "dzhu",
          "kha", "shu", "ya", "bo", "ga", "ma", "te", "ri", "az", "ul", "ish", "ob"]
_SYL_B = ["sym", "bek", "rov", "mat", "lan", "dar", "zod", "kul", "sul", "tan", "gar", "nur",
          "bay", "khan", "mir", "tur", "dov", "lyev", "pov", "shin"]
_SUFFIX = ["ov", "ev", "ova", "eva", "uly", "kyzy", "zoda", "iy", "in", "ayev"]


def _surnames(count=30000):
    """A fixed vocabulary of distinct, pronounceable surnames (independent of --seed)."""
    rng = random.Random(20240601)
    seen, names = set(), []
    while len(names) < count:
        parts = rng.choice(_SYL_A) + rng.choice(_SYL_B)
        if rng.random() < 0.5:
            parts += rng.choice(_SYL_A)
        name = (parts + rng.choice(_SUFFIX)).capitalize()
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


SURNAMES = _surnames()
# Zipf rank 101 of 30,000 (s=1): about 0.1-0.2% of articles mention it; the rare word.
RARE_WORD = SURNAMES[100]


def _norm_aliases(value):
    if not value:
        return []
    if isinstance(value, str):
        return [a.strip() for a in value.replace(";", "\n").splitlines() if a.strip()]
    return [str(a).strip() for a in value if str(a).strip()]


def _load_json(path):
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    if isinstance(data, dict):  # {"countries": [...]} or {name: {...}}
        for key in ("countries", "organisations", "organizations", "items", "data"):
            if isinstance(data.get(key), list):
                return data[key]
        return [dict(v, name=k) if isinstance(v, dict) else {"name": k} for k, v in data.items()]
    return data if isinstance(data, list) else None


def load_gazetteer():
    """(countries, organisations): lists of (canonical name, [aliases]), in Zipf-rank order."""
    builtin_c = [(n, a) for n, _, a in BUILTIN_COUNTRIES]
    builtin_o = list(BUILTIN_ORGANISATIONS)
    countries, orgs = builtin_c, builtin_o
    source = "built-in"
    data = _load_json(DATA / "countries.json")
    if data:
        loaded = {}
        for item in data:
            if not isinstance(item, dict) or not item.get("name"):
                continue
            aliases = []
            for key in ("aliases", "demonyms", "adjectives", "alt_names", "short_names"):
                aliases += _norm_aliases(item.get(key))
            loaded[item["name"]] = aliases
        if len(loaded) >= 10:
            # Keep the built-in ranking for the countries it knows, then the rest.
            ranked = [n for n, _ in builtin_c if n in loaded]
            ranked += [n for n in loaded if n not in set(ranked)]
            countries = [(n, loaded[n]) for n in ranked]
            source = "sources/data"
    data = _load_json(DATA / "organisations.json")
    if data:
        loaded = {}
        for item in data:
            if not isinstance(item, dict) or not item.get("name"):
                continue
            loaded[item["name"]] = _norm_aliases(item.get("aliases"))
        if len(loaded) >= 5:
            ranked = [n for n, _ in builtin_o if n in loaded]
            ranked += [n for n in loaded if n not in set(ranked)]
            orgs = [(n, loaded[n]) for n in ranked]
            source = "sources/data"
    return countries, orgs, source


# --------------------------------------------------------------------------- sentences

_JUNK = re.compile(
    r"\[edit\]|click here|jump to|template:|main article|wikipedia|anarchopedia|"
    r"bozdurma|about us|advanced search|source link|external links|^\d+\s*/\s*\d+$",
    re.I,
)
_SPLIT = re.compile(r"(?<=[.!?])[”\"’]?\s+(?=[“\"A-Z])")
_CITATION = re.compile(r"\[\d+\]|\[[a-z]\]")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")


def seed_sentences():
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = _CITATION.sub("", line).strip()
            if len(line.split()) < 8 or _JUNK.search(line):
                continue
            if line.lstrip()[:1].isdigit() and "." in line[:4]:  # numbered references
                continue
            for sent in _SPLIT.split(line):
                sent = sent.strip()
                words = len(sent.split())
                if 6 <= words <= 70 and sent[-1:] in '.!?"”’' and (
                    sent[:1].isupper() or sent[:1] in "“\""
                ):
                    out.append(sent)
    # dedupe, keep order
    return list(dict.fromkeys(out))


# Extra sentence templates: give every article its own country/org/person/year mentions.
TEMPLATES = [
    "Officials in {c0} said the {o0} had stepped up recruitment among migrant workers in {y0}.",
    "{P0}, a spokesman for the interior ministry of {c0}, declined to comment on the arrests.",
    "According to {P0}, an analyst based in {c1}, the {o0} remains active along the border.",
    "Security forces in {c0} detained {n} people suspected of links to the {o0}, {P0} said.",
    "The court in {c0} sentenced {P0} to {n} years in prison for membership of the {o0}.",
    "In {y0}, authorities in {c0} and {c1} agreed to share intelligence on the {o1}.",
    "{P0} told reporters that the {o0} had no presence in {c0} before {y0}.",
    "Human rights groups say the campaign against the {o0} in {c0} has been used against peaceful believers.",
    "The {o0} claimed responsibility for the attack, which killed {n} people in {c0}.",
    "Relatives of {P0} said he had travelled from {c0} to {c1} in {y0} and was not heard from again.",
    "A report published in {y0} estimated that {n} citizens of {c0} had joined the {o0}.",
    "The parliament of {c0} passed amendments to the law on countering extremism in {y0}.",
    "Prosecutors said {P0} and {P1} had distributed leaflets of the {o0} in {c0}.",
    "Diplomats from {c0} and {c1} met on the sidelines of the {o1} summit to discuss border security.",
    "Since {y0}, at least {n} cases have been opened in {c0} under the anti-terrorism law.",
    "{P0}, who heads a think tank in {c0}, said the threat from the {o0} was often exaggerated.",
    "The government of {c0} has repeatedly asked {c1} to extradite members of the {o0}.",
    "Border guards in {c0} reported {n} attempted crossings by armed men in {y0}.",
    "Analysts compare the situation in {c0} with the unrest of {y1}.",
    "The {o0} was banned in {c0} in {y0}, and its members face up to {n} years in prison.",
]

_PLACEHOLDER = re.compile(r"\{([a-zA-Z])(\d)\}|\{n\}")


def _alias_regex(entries):
    """One regex over every name and alias (longest first), mapping match -> entry index."""
    lookup = {}
    for idx, (name, aliases) in enumerate(entries):
        for form in [name] + aliases:
            if len(form) >= 2 and form not in lookup:
                lookup[form] = idx
    forms = sorted(lookup, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-])")
    return pattern, lookup


class Pool_:
    """Sentences turned into format templates with slots {c0..} {o0..} {y0..} {P0..} {n}."""

    def __init__(self):
        self.countries, self.orgs, self.gazetteer_source = load_gazetteer()
        c_re, c_lookup = _alias_regex(self.countries)
        # Only canonical names of organisations that are not plain acronyms are rewritten
        # in the seed text; short ambiguous forms (IS, UN) are left as written.
        o_entries = [(n, [a for a in al if len(a) > 3]) for n, al in self.orgs]
        o_re, o_lookup = _alias_regex(o_entries)
        self.templates = []
        for sent in seed_sentences():
            sent = sent.replace("{", "(").replace("}", ")")
            slots = {}

            def sub_country(m):
                key = ("c", c_lookup[m.group(0)])
                # keep demonyms / adjectives as written: only rewrite canonical names
                if m.group(0) != self.countries[key[1]][0]:
                    return m.group(0)
                slots.setdefault(key, sum(1 for k in slots if k[0] == "c"))
                return "{c%d}" % min(slots[key], 3)

            def sub_org(m):
                key = ("o", o_lookup[m.group(0)])
                slots.setdefault(key, sum(1 for k in slots if k[0] == "o"))
                return "{o%d}" % min(slots[key], 2)

            def sub_year(m):
                key = ("y", m.group(0))
                slots.setdefault(key, sum(1 for k in slots if k[0] == "y"))
                return "{y%d}" % min(slots[key], 2)

            sent = c_re.sub(sub_country, sent)
            sent = o_re.sub(sub_org, sent)
            sent = _YEAR.sub(sub_year, sent)
            self.templates.append(sent)
        self.seed_count = len(self.templates)
        self.templates += TEMPLATES
        self.template_words = [len(t.split()) for t in self.templates]
        # Headline templates
        self.headlines = [
            "{c0} tightens border controls amid {o0} threat",
            "{o0} recruits in {c0}, officials warn",
            "{c0} jails {n} over links to {o0}",
            "Is {c0} the {o0}'s next target?",
            "{c0} and {c1} agree to share intelligence on extremists",
            "Court in {c0} bans {o0}",
            "{c0} claims {n} foiled attacks in {y0}",
            "The return of the {o0}: what it means for {c0}",
            "{P0}: the threat to {c0} is overstated",
            "Families of fighters who left {c0} wait for news",
            "{c0} passes new anti-extremism law",
            "{o0} cell uncovered in {c0}",
        ]


def zipf_cum(n, s=1.0):
    acc, out = 0.0, []
    for k in range(1, n + 1):
        acc += 1.0 / k ** s
        out.append(acc)
    return out


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
YEARS = list(range(1995, 2027))
# More recent years hold more articles (the web grew), with a bump in 2014-2017.
YEAR_W = list(itertools.accumulate(
    1.0 + (y - 1995) * 0.15 + (1.5 if 2014 <= y <= 2017 else 0.0) for y in YEARS))


class Generator:
    def __init__(self, seed):
        self.seed = seed
        self.pool = Pool_()
        self.c_cum = zipf_cum(len(self.pool.countries), 1.1)
        self.o_cum = zipf_cum(len(self.pool.orgs), 1.0)
        self.p_cum = zipf_cum(len(SURNAMES), 1.0)
        self.out_cum = zipf_cum(len(OUTLETS), 0.9)
        self.t_seed = self.pool.seed_count
        self.t_all = len(self.pool.templates)

    def _pick_distinct(self, rng, cum, items, k):
        chosen = []
        for _ in range(k * 4):
            x = rng.random() * cum[-1]
            idx = bisect.bisect(cum, x)
            if idx not in chosen:
                chosen.append(idx)
                if len(chosen) == k:
                    break
        return [items[i] for i in chosen]

    def _person(self, rng):
        idx = bisect.bisect(self.p_cum, rng.random() * self.p_cum[-1])
        return f"{rng.choice(FIRST_NAMES)} {SURNAMES[idx]}"

    def article(self, number):
        rng = random.Random(self.seed * 1_000_003 + number)
        pool = self.pool
        # Four distinct countries and three organisations fill the slots; slot 0 is used
        # most, so the article's main subject is the first pick, and later picks may not
        # appear at all (the manifest lists only those that do).
        nc, no = 4, rng.choices((0, 3), (12, 88))[0]
        countries = self._pick_distinct(rng, self.c_cum, pool.countries, nc)
        orgs = self._pick_distinct(rng, self.o_cum, pool.orgs, no)

        # Publication date and how it is shown.
        year = YEARS[bisect.bisect(YEAR_W, rng.random() * YEAR_W[-1])]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        r = rng.random()
        precision = "day" if r < 0.72 else "month" if r < 0.80 else "year" if r < 0.85 else "unknown"
        mentioned = sorted({max(1950, min(year, year - int(rng.expovariate(0.25))))
                            for _ in range(rng.randint(1, 4))})

        cnames = [c[0] for c in countries]
        onames = []
        for name, aliases in orgs:
            # Mostly the canonical name, sometimes an alias (exercises alias matching).
            onames.append(name if not aliases or rng.random() < 0.7 else rng.choice(aliases))
        if not onames:
            onames = ["security services", "police", "government"]
            orgs = []
        people = [self._person(rng) for _ in range(3)]
        slots = {
            # _pick_distinct may return fewer than asked for: wrap around what there is.
            "c0": cnames[0], "c1": cnames[1 % len(cnames)], "c2": cnames[2 % len(cnames)],
            "c3": cnames[3 % len(cnames)],
            "o0": onames[0], "o1": onames[1 % len(onames)], "o2": onames[2 % len(onames)],
            "y0": str(mentioned[0]), "y1": str(mentioned[-1]), "y2": str(mentioned[len(mentioned) // 2]),
            "P0": people[0], "P1": people[1], "P2": people[2],
            "n": str(rng.choice((2, 3, 5, 7, 12, 14, 19, 27, 36, 50, 120, 400, 1100))),
        }

        target = int(max(120, min(3000, rng.gauss(600, 170))))
        if rng.random() < 0.04:
            target *= 3  # the occasional long feature
        templates, words = pool.templates, pool.template_words
        paragraphs, para, count = [], [], 0
        para_len = rng.randint(1, 5)
        while count < target:
            if rng.random() < 0.22:
                t = rng.randrange(self.t_seed, self.t_all)
            else:
                t = rng.randrange(self.t_seed)
            para.append(templates[t].format(**slots))
            count += words[t]
            if len(para) >= para_len:
                paragraphs.append(" ".join(para))
                para, para_len = [], rng.randint(1, 5)
        if para:
            paragraphs.append(" ".join(para))

        outlet, short = OUTLETS[bisect.bisect(self.out_cum, rng.random() * self.out_cum[-1])]
        if rng.random() < 0.5:
            title = rng.choice(pool.headlines).format(**slots)
            title = title[0].upper() + title[1:]
        else:
            words_ = paragraphs[rng.randrange(len(paragraphs))].split()[: rng.randint(6, 12)]
            title = " ".join(words_).rstrip(",.;:“”\"")
        r = rng.random()
        if r < 0.55:
            cities = CITIES.get(cnames[0]) or [cnames[0].upper()]
            paragraphs[0] = f"{rng.choice(cities)} ({short}) — {paragraphs[0]}"
        elif r < 0.70:
            cities = CITIES.get(cnames[0]) or [cnames[0].upper()]
            paragraphs[0] = f"{rng.choice(cities)} — {paragraphs[0]}"

        if precision == "day":
            fmt = rng.randrange(4)
            if fmt == 0:
                date_text = f"{day} {MONTHS[month - 1][:3]} {year}"
            elif fmt == 1:
                date_text = f"{MONTHS[month - 1]} {day}, {year}"
            elif fmt == 2:
                date_text = f"{year}-{month:02d}-{day:02d}"
            else:
                date_text = f"{day} {MONTHS[month - 1]} {year}"
            published = f"{year}-{month:02d}-{day:02d}"
        elif precision == "month":
            date_text, published = f"{MONTHS[month - 1]} {year}", f"{year}-{month:02d}-01"
        elif precision == "year":
            date_text, published = f"Published in {year}", f"{year}-01-01"
        else:
            date_text, published = None, None

        author = None
        if rng.random() < 0.45:
            author = f"{rng.choice(FIRST_NAMES)} {SURNAMES[rng.randrange(2000)]}"
        head, tail = [title, ""], []
        if author and rng.random() < 0.5:
            head += [f"By {author}", ""]
            author_done = True
        else:
            author_done = False
        if date_text and rng.random() < 0.35:
            head += [date_text, ""]
            date_done = True
        else:
            date_done = False
        if author and not author_done:
            tail.append(author)
        if date_text and not date_done:
            tail.append(date_text)
        if rng.random() < 0.08:
            tail.append(rng.choice(["Source link", "Share this:", "Related Posts", "Print"]))
        text = "\n".join(head) + "\n" + "\n\n".join(paragraphs) + "\n"
        if tail:
            text += "\n\n" + "\n".join(tail) + "\n"
        meta = {
            "n": number, "title": title, "outlet": outlet, "author": author,
            "published": published, "precision": precision,
            "countries": [c for c in cnames if c in text],
            "organisations": [o[0] for o, shown in zip(orgs, onames) if shown in text],
            "years": mentioned,
        }
        return name_text.add_names(self.seed, number, text, meta)


def path_for(out, number):
    return Path(out) / f"{number // PER_FOLDER:04d}" / f"{number:06d}.txt"


_GEN = None


def _init(seed):
    global _GEN
    _GEN = Generator(seed)


def _write_range(args):
    out, start, stop, with_meta = args
    metas, nbytes = [], 0
    folder = None
    for number in range(start, stop):
        text, meta = reprint_copies.article(_GEN, number)
        path = path_for(out, number)
        if path.parent != folder:
            folder = path.parent
            folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        with open(path, "wb") as fh:
            fh.write(data)
        nbytes += len(data)
        if with_meta:
            meta["path"] = str(path)
            metas.append(meta)
    return stop - start, nbytes, metas


def generate(docs, out, seed=1, manifest=None, jobs=None, progress=True):
    """Write the corpus; return a summary dict."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = jobs or min(os.cpu_count() or 1, 4)
    chunk = 500
    tasks = [(str(out), s, min(s + chunk, docs), manifest is not None) for s in range(0, docs, chunk)]
    t0 = time.perf_counter()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=docs, unit="doc", desc="generate", file=sys.stderr)
    total_bytes = 0
    man = open(manifest, "w", encoding="utf-8") if manifest else None
    try:
        if jobs > 1 and docs > chunk:
            with Pool(jobs, initializer=_init, initargs=(seed,)) as pool:
                for n, nbytes, metas in pool.imap(_write_range, tasks):
                    total_bytes += nbytes
                    if man:
                        for m in metas:
                            man.write(json.dumps(m, ensure_ascii=False) + "\n")
                    if bar:
                        bar.update(n)
        else:
            _init(seed)
            for task in tasks:
                n, nbytes, metas = _write_range(task)
                total_bytes += nbytes
                if man:
                    for m in metas:
                        man.write(json.dumps(m, ensure_ascii=False) + "\n")
                if bar:
                    bar.update(n)
    finally:
        if bar:
            bar.close()
        if man:
            man.close()
    seconds = time.perf_counter() - t0
    pool = Pool_()
    return {
        "docs": docs, "out": str(out), "seed": seed, "seconds": round(seconds, 2),
        "mb": round(total_bytes / 1e6, 1), "gazetteer": pool.gazetteer_source,
        "seed_sentences": pool.seed_count, "rare_word": RARE_WORD,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--manifest", help="write ground truth as JSON lines here (outside --out)")
    ap.add_argument("--jobs", type=int, default=None, help="processes (default: CPUs, max 4)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    summary = generate(args.docs, args.out, args.seed, args.manifest, args.jobs, not args.quiet)
    print(
        f"generated {summary['docs']:,} articles ({summary['mb']} MB) in {summary['out']} "
        f"in {summary['seconds']} s; seed {summary['seed']}; gazetteer: {summary['gazetteer']}; "
        f"{summary['seed_sentences']} seed sentences; rare word: {summary['rare_word']}"
    )


if __name__ == "__main__":
    main()
