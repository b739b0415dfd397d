#!/usr/bin/env python
"""Issue 15's example queries, counted: the spelling alone and with its other spellings.

    python bench/names_examples.py [--capitalised] [--json OUT]

In a scratch ARCHIVE_DATA_DIR (var/ is never touched): import seeds/ and a few Russian
articles this script writes, then print for each example query of the issue its total
with exact=1 (the spelling typed, no other names: before), with the transliteration
schemes' spellings unchecked (the engine's vocabulary not asked, so none of the rules'
spellings: as an engine without `known_words` searches), and as searched now (after),
each with its median service time (3 runs: a rough figure, not a benchmark).
--capitalised also searches every capitalised word of the imported articles both ways
and lists those that find more articles than their spelling alone, the widened words
whose precision is to be judged by eye.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from article_page import ROOT, setup_django  # noqa: E402 - bench/ is not a package

EXAMPLES = [
    "Halimov", "Khalimov", "Халимов", "Rahmon", "Rakhmon", "Rahmonov", "Rahmoni", "Рахмон",
    "Hizb ut-Tahrir", "Hizb-ut-Tahrir", "Hizb ut Tahrir", "Hezb ut-Tahrir",
    "Islamic Renaissance Party of Tajikistan", "IRPT", "Tajikistan", "Таджикистан",
    "Таджикистана", "Dushanbe", "Душанбе", "мигрант", "мигранты", "Jalilov", "Dzhalilov",
    "Kasymov", "Kasimov", "Yaqubov", "Uighur", "Uyghur", "Massoud", "Muhiddin",
]
#: Russian articles the seeds lack (the issue's Russian examples need some).
RUSSIAN = {
    "ru_dushanbe.txt": "Митинг в Душанбе\n\nСотни мигрантов собрались в Душанбе. Полковник Халимов "
                       "обвинил власти Таджикистана; президент Рахмон не ответил.",
    "ru_migrants.txt": "Мигранты возвращаются\n\nТысячи мигрантов из Таджикистана вернулись домой. "
                       "Мигранты жалуются на новые правила в России.",
    "ru_hizb.txt": "Задержания\n\nВ Таджикистане задержаны члены Хизб ут-Тахрир и ПИВТ.",
}


def import_archive(data_dir: Path) -> None:
    from django.core.management import call_command

    russian = data_dir / "russian"
    russian.mkdir()
    for name, text in RUSSIAN.items():
        (russian / name).write_text(text, encoding="utf-8")
    call_command("load_gazetteer", verbosity=0)
    call_command("import_sources", str(ROOT / "seeds"), str(russian), "--no-progress")


def searched(q: str, exact: bool, runs: int = 3) -> tuple[int, float]:
    """(total, median service ms) of `q` searched as the page and API search it."""
    from sources import search

    query = search.SearchQuery.from_params({"q": q, "exact": "1" if exact else "0"})
    times, total = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        total = search.search(query).total
        times.append((time.perf_counter() - started) * 1000)
    return total, statistics.median(times)


def schemes_only(q: str) -> int:
    """The total with the schemes' spellings only, as before the rules (no vocabulary)."""
    from sources import search

    checked = search._known_words
    search._known_words = lambda backend: None
    try:
        return searched(q, exact=False, runs=1)[0]
    finally:
        search._known_words = checked


def example_rows() -> list[dict]:
    rows = []
    for q in EXAMPLES:
        before, before_ms = searched(q, exact=True)
        after, after_ms = searched(q, exact=False)
        rows.append({"query": q, "exact": before, "schemes": schemes_only(q), "default": after,
                     "exact_ms": round(before_ms, 1), "default_ms": round(after_ms, 1)})
    return rows


def widened_words() -> tuple[int, list[tuple[str, int, int]]]:
    """(capitalised words tried, [(word, exact total, default total)] of those that widen)."""
    from sources.models import Source

    words = set()
    for title, text in Source.objects.published().values_list("title", "text"):
        words.update(re.findall(r"\b[A-ZА-ЯЁ][a-zа-яё']{2,39}\b", f"{title} {text}"))
    widened = []
    for word in sorted(words):
        exact, default = searched(word, True, 1)[0], searched(word, False, 1)[0]
        if default != exact:
            widened.append((word, exact, default))
    return len(words), widened


def print_table(rows: list[dict]) -> None:
    print(f"{'query':42} {'exact=1':>8} {'schemes':>8} {'default':>8} {'exact ms':>9} {'default ms':>10}")
    for r in rows:
        print(f"{r['query']:42} {r['exact']:>8} {r['schemes']:>8} {r['default']:>8} "
              f"{r['exact_ms']:>9} {r['default_ms']:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capitalised", action="store_true", help="also try every capitalised word")
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="names-examples-") as scratch:
        setup_django(Path(scratch))
        import_archive(Path(scratch))
        out = {"examples": example_rows()}
        print_table(out["examples"])
        if args.capitalised:
            tried, widened = widened_words()
            out["capitalised"] = {"tried": tried, "widened": widened}
            print(f"\n{len(widened)} of {tried} capitalised words find more than their spelling alone:")
            for word, exact, default in widened:
                print(f"  {word}: {exact} -> {default}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
