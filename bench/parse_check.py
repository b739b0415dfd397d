#!/usr/bin/env python
"""For speed work on the text pipeline (sources/ingest): what it finds, and where its time goes.

    python bench/parse_check.py save REF.pkl --corpus DIR   # what this code finds
    python bench/parse_check.py check REF.pkl --corpus DIR  # the same as REF? exit 1 if not
    python bench/parse_check.py stages --corpus DIR [--files 4000]

The files: the first 3,000 of a bench corpus (bench/generate.py --out DIR) and every 97th
after them, the seeds, and the 88 pages of the article-extraction benchmark (read from
../shared, gzipped, never copied). `save` on the base code and `check` on the changed code
compare every field of every Article (shingles included): a speed change must leave them
all equal. `stages` prints the CPU per article of each pipeline stage (process time, one
process, after a warm-up), to be compared with the base code's in the same sitting.
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import gzip
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extraction import DEFAULT_DATA  # noqa: E402
from sources.ingest import parallel, pipeline  # noqa: E402
from sources.ingest.gazetteer import load_default_gazetteer  # noqa: E402
from sources.ingest.html_page import read_page  # noqa: E402

MAX_BYTES = 10**7
STAGES = ["clean", "extract", "find_entities", "read_countries", "resolve_organisations",
          "detect_language", "find_people", "fingerprint", "split"]


def corpus_files(corpus: Path, count: int | None = None) -> list[Path]:
    files = sorted(path for path in corpus.rglob("*") if path.is_file())
    return files[:count] if count else files[:3000] + files[3000::97]


def inputs(corpus: Path):
    """(name, parse) for every file compared; parse(gazetteer) -> (articles, error). Names
    are relative, so that two checkouts' outputs compare."""
    files = [(path.relative_to(corpus), path) for path in corpus_files(corpus)]
    files += [(path.relative_to(ROOT), path) for path in sorted((ROOT / "seeds").glob("*.txt"))]
    for name, path in files:
        yield str(name), lambda gazetteer, path=path: parallel.parse_file(path, gazetteer, MAX_BYTES)
    for page in sorted((DEFAULT_DATA / "html").glob("*.html.gz")):
        html = gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace")
        yield page.name, lambda gazetteer, html=html: (pipeline.process_page(read_page(html), gazetteer), None)


def fields(article) -> dict:
    """Every field of an Article, comparable with ==."""
    shingles, article.shingles = article.shingles, None
    found = dataclasses.asdict(article)
    article.shingles = shingles
    found["shingles"] = None if shingles is None else (shingles.sequence.tolist(), shingles.distinct.tolist())
    found["passing_countries"] = sorted(found["passing_countries"])
    return found


def outputs(corpus: Path) -> dict:
    gazetteer = load_default_gazetteer()
    parallel._prepare(gazetteer)
    found = {}
    for name, parse in inputs(corpus):
        articles, error = parse(gazetteer)
        found[name] = (error, [fields(article) for article in articles])
    return found


def check(reference: dict, found: dict) -> int:
    differing = [name for name in reference if found.get(name) != reference[name]]
    for name in differing[:5]:
        print(f"differs: {name}")
        (old_error, old), (new_error, new) = reference[name], found.get(name, (None, []))
        if old_error != new_error:
            print(f"  error: {old_error!r} -> {new_error!r}")
        for before, after in zip(old, new):
            for key in before:
                if before[key] != after[key]:
                    print(f"  {key}: {str(before[key])[:200]!r}\n    -> {str(after[key])[:200]!r}")
        if len(old) != len(new):
            print(f"  articles: {len(old)} -> {len(new)}")
    print(f"{len(reference)} files compared, {len(differing)} differ")
    return 1 if differing else 0


def stages(corpus: Path, count: int) -> None:
    spent = collections.Counter()

    def timed(name, function):
        def run(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - started
        return run

    for name in STAGES:
        setattr(pipeline, name, timed(name, getattr(pipeline, name)))
    fingerprint_of = pipeline.Fingerprint.of
    pipeline.Fingerprint = type("Timed", (), {"of": staticmethod(timed("shingles", fingerprint_of))})
    gazetteer = load_default_gazetteer()
    parallel._prepare(gazetteer)
    files = corpus_files(corpus, count)
    for path in files[:50]:  # warm-up: caches, first-use loads
        parallel.parse_file(path, gazetteer, MAX_BYTES)
    spent.clear()
    started, articles = time.process_time(), 0
    for path in files:
        articles += len(parallel.parse_file(path, gazetteer, MAX_BYTES)[0])
    total = time.process_time() - started
    for name, seconds in spent.most_common():
        print(f"{name:24s} {seconds / articles * 1000:6.3f} ms")
    print(f"{'other':24s} {(total - sum(spent.values())) / articles * 1000:6.3f} ms")
    print(f"{articles} articles, {total / articles * 1000:.2f} ms CPU per article in all")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "check", "stages"))
    parser.add_argument("reference", nargs="?", type=Path, help="the outputs file (save, check)")
    parser.add_argument("--corpus", type=Path, required=True, help="a bench/generate.py corpus folder")
    parser.add_argument("--files", type=int, default=4000, help="corpus files timed (stages)")
    args = parser.parse_args()
    if args.action == "stages":
        stages(args.corpus, args.files)
        return 0
    if args.reference is None:
        parser.error(f"{args.action} needs the outputs file")
    if args.action == "save":
        found = outputs(args.corpus)
        args.reference.write_bytes(pickle.dumps(found))
        print(f"saved what {len(found)} files give in {args.reference}")
        return 0
    return check(pickle.loads(args.reference.read_bytes()), outputs(args.corpus))


if __name__ == "__main__":
    sys.exit(main())
