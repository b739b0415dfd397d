#!/usr/bin/env python
"""How well the archive turns saved web pages into article text, beside other extractors.

    python bench/extraction.py [--data ../shared/article-extraction-benchmark] [--json OUT]
                               [--only archive,trafilatura] [--worst 5]

Scores, exactly as the public article-extraction benchmark (scrapinghub/article-extraction-
benchmark) does: both texts split into `\\w+` tokens, every 4 consecutive tokens a shingle,
shingles counted as multisets; per page tp/fp/fn normalised to sum 1; precision = mean of
per-page tp/(tp+fp) over pages that predicted something, recall = mean of per-page
tp/(tp+fn) over pages with a true body; F1 = 2PR/(P+R). Accuracy: share of pages whose token
lists are equal. Pages/s: pages over the extractor's wall time, on one core.

"archive" is the importer's own path: each page written to a scratch folder (the benchmark
stores them gzipped) and parsed by sources.ingest.parallel.parse_file with the shipped
gazetteer: read, extract, clean, metadata, entities. A page it refuses scores as empty and
is counted. The pages are never copied into the repository.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the main checkout; a worktree sits one folder deeper.
DEFAULT_DATA = next(
    (path for parent in ROOT.parents if (path := parent / "shared" / "article-extraction-benchmark").is_dir()),
    ROOT.parent / "shared" / "article-extraction-benchmark",
)
SHINGLE = 4
TOKEN = re.compile(r"\w+", re.UNICODE)


# --- scoring (the benchmark's definition) ------------------------------------------------

def tokens(text: str) -> list[str]:
    return TOKEN.findall(text or "")


def shingles(text: str) -> Counter:
    words = tokens(text)
    # A text shorter than a shingle is one short shingle (none when it has no token).
    count = max(1, len(words) - SHINGLE + 1)
    return Counter(tuple(words[i:i + SHINGLE]) for i in range(count) if words[i:i + SHINGLE])


def page_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page, normalised to sum 1 so that long pages weigh no more."""
    expected, got = shingles(true), shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(pairs: list[tuple[str, str]]) -> dict:
    """{f1, precision, recall, accuracy} of [(true body, predicted body)]."""
    counts = [page_counts(true, predicted) for true, predicted in pairs]
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    exact = sum(1 for true, predicted in pairs if tokens(true) == tokens(predicted))
    return {
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "precision": precision,
        "recall": recall,
        "accuracy": exact / len(pairs),
    }


# --- extractors: html bytes -> body text ---------------------------------------------------

def archive_extractor(scratch: Path):
    sys.path.insert(0, str(ROOT))
    from sources.ingest.gazetteer import load_default_gazetteer
    from sources.ingest.parallel import parse_file

    gazetteer = load_default_gazetteer()
    max_bytes = 20 * 1024 * 1024

    def extract(page_id: str, html: bytes) -> str | None:
        path = scratch / f"{page_id}.html"
        path.write_bytes(html)
        articles, reason = parse_file(path, gazetteer, max_bytes)
        if reason is not None:
            return None
        return "\n\n".join(article.text for article in articles)

    return extract


def trafilatura_extractor(scratch: Path):
    import trafilatura

    return lambda page_id, html: trafilatura.extract(html) or ""


def readability_extractor(scratch: Path):
    import lxml.html
    from readability import Document

    def extract(page_id, html):
        summary = Document(html).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content()

    return extract


def justext_extractor(scratch: Path):
    import justext

    stoplist = justext.get_stoplist("English")

    def extract(page_id, html):
        return "\n\n".join(p.text for p in justext.justext(html, stoplist) if not p.is_boilerplate)

    return extract


EXTRACTORS = {
    "archive": archive_extractor,
    "trafilatura": trafilatura_extractor,
    "readability-lxml": readability_extractor,
    "justext": justext_extractor,
}


def run(name: str, pages: dict[str, bytes], truth: dict, scratch: Path) -> dict:
    extract = EXTRACTORS[name](scratch)
    predicted, refused = {}, []
    start = time.perf_counter()
    for page_id, html in pages.items():
        text = extract(page_id, html)
        if text is None:
            refused.append(page_id)
        predicted[page_id] = text or ""
    elapsed = time.perf_counter() - start
    result = score([(truth[page_id]["articleBody"], predicted[page_id]) for page_id in pages])
    result.update(pages_per_second=len(pages) / elapsed, refused=refused, predicted=predicted)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", default=",".join(EXTRACTORS), help="extractors, comma-separated")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--worst", type=int, default=0, help="list the archive's N worst pages")
    args = parser.parse_args(argv)
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {page_id: gzip.decompress((args.data / "html" / f"{page_id}.html.gz").read_bytes()) for page_id in sorted(truth)}
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.only.split(","):
            results[name] = run(name, pages, truth, Path(scratch))
    print(f"{len(pages)} pages from {args.data}")
    print(f"{'extractor':<18} {'F1':>6} {'prec.':>6} {'recall':>6} {'acc.':>6} {'pages/s':>8} refused")
    for name, r in results.items():
        print(f"{name:<18} {r['f1']:6.3f} {r['precision']:6.3f} {r['recall']:6.3f} {r['accuracy']:6.3f} "
              f"{r['pages_per_second']:8.1f} {len(r['refused'])}")
    if args.worst and "archive" in results:
        _print_worst(results["archive"]["predicted"], truth, args.worst)
    if args.json:
        figures = {name: {k: v for k, v in r.items() if k != "predicted"} for name, r in results.items()}
        args.json.write_text(json.dumps(figures, indent=2))


def _print_worst(predicted, truth, count):
    per_page = []
    for page_id, text in predicted.items():
        tp, fp, fn = page_counts(truth[page_id]["articleBody"], text)
        per_page.append((_precision(tp, fp, fn), _recall(tp, fp, fn), page_id))
    print("archive's worst pages (precision, recall, id, url):")
    for precision, recall, page_id in sorted(per_page, key=lambda p: min(p[0], p[1]))[:count]:
        print(f"  {precision:.3f} {recall:.3f} {page_id[:12]} {truth[page_id]['url']}")


if __name__ == "__main__":
    main()
