#!/usr/bin/env python
"""How long the page of the largest accepted article takes, with and without highlighting.

    python bench/article_page.py [--mb 5] [--runs 5] [--json OUT] [--baseline EARLIER.json]

In a scratch ARCHIVE_DATA_DIR (var/ is never touched): migrate, store one article of
--mb megabytes (default: ARCHIVE_MAX_FILE_BYTES, the largest an import accepts) of
~600-character paragraphs, index it, then render /sources/<slug>/ through Django's test
client --runs times for each query (none, a common word, a prefix OR a word) and print
the median in ms, its ratio to the page without a query, and with --baseline the ratio
to an earlier run of this script (e.g. on the code before a change).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {"none": None, "para": "para", "para* OR libya": "para* OR libya"}
VOCABULARY = (
    "the of and to in a court said para paragraph parade libya libyan tripoli militia "
    "government officials reported attack forces security minister police city border "
    "week group leaders statement region"
).split()


def article_text(megabytes: float, seed: int = 12) -> str:
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    paragraphs, size = [], 0
    while size < target:
        words = [rng.choice(VOCABULARY) for _ in range(100)]
        paragraph = " ".join(words).capitalize() + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def setup_django(data_dir: Path) -> None:
    os.environ["ARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    # Pages are rendered without collectstatic, as in the tests.
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    call_command("migrate", verbosity=0)


def measure(path: str, q: str | None, runs: int) -> float:
    from django.test import Client

    client = Client()
    params = {"q": q} if q else {}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=None, help="article size (default: the import limit)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--baseline", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="archive-bench-page-") as scratch:
        setup_django(Path(scratch))
        from django.conf import settings

        from sources.models import Source

        megabytes = args.mb or settings.ARCHIVE_MAX_FILE_BYTES / (1024 * 1024)
        text = article_text(megabytes)
        source = Source.objects.create(
            title="A very long article", slug="a-very-long-article", text=text, raw_text=text,
            source_file="long.txt", fingerprint="bench-long",
        )
        path = source.get_absolute_url()
        measure(path, None, 1)  # warm-up: templates, index reader
        results = {name: measure(path, q, args.runs) for name, q in QUERIES.items()}
    baseline = json.loads(args.baseline.read_text())["ms"] if args.baseline else {}
    print(f"article of {megabytes:.1f} MB, median of {args.runs} runs")
    print(f"{'query':<18}{'ms':>9}{'/ none':>9}{'/ baseline':>12}")
    for name, ms in results.items():
        against = f"{ms / baseline[name]:.2f}" if name in baseline else "-"
        print(f"{name:<18}{ms:>9.0f}{ms / results['none']:>9.2f}{against:>12}")
    if args.json:
        args.json.write_text(json.dumps({"mb": megabytes, "runs": args.runs, "ms": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
