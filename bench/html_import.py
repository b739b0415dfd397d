#!/usr/bin/env python
"""Whole import of saved web pages, beside the same articles as plain text, in one run.

    python bench/html_import.py [--docs 10000] [--json FILE]

The bench generator's articles (bench/generate.py) are written twice: as plain-text files
and as saved web pages around the same article (head with styles, scripts and JSON-LD, a
menu, a share bar, related links, comments, a footer). Each corpus is imported with
`manage.py import_sources` into a fresh data folder (read, clean, extract, store and
index, on every core). Reported: pages/s of each and their ratio, the size of the raw
store (what Source.raw_text keeps for provenance) and of the database, and whether the
pages' headline and body came out as the plain-text import's: a bench that checks its
results as well as its speed.
"""
from __future__ import annotations

import argparse
import html
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402

MENU = ["World", "Central Asia", "Politics", "Business", "Opinion", "Video", "Podcasts",
        "Investigations", "Data", "Newsletters", "About us", "Contact", "Subscribe"]
STYLE = ".menu{display:flex}.share a{margin:0 4px}" * 60
SCRIPT = "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}" * 40


def page(text: str, meta: dict, rng: random.Random, titles: list[str]) -> str:
    """A saved web page around one generated article."""
    lines = text.split("\n")
    paragraphs = [p for p in lines[1:] if p.strip()]  # a byline or trailer line is a <p> too
    esc = html.escape
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": meta["title"]}
    if meta["published"] and meta["precision"] == "day":
        ld["datePublished"] = meta["published"]
    if meta["author"]:
        ld["author"] = {"@type": "Person", "name": meta["author"]}
    related = "".join(f'<li><a href="/story/{i}">{esc(t)}</a></li>' for i, t in enumerate(rng.sample(titles, 5)))
    comments = "".join(
        f'<div class="comment"><b>reader{i}</b><p>Great piece, thanks for sharing this.</p></div>'
        for i in range(rng.randrange(4))
    )
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{esc(meta['title'])} | {esc(meta['outlet'])}</title>"
        f"<style>{STYLE}</style><script>{SCRIPT}</script>"
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>'
        '<header><nav class="menu"><ul>'
        + "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in MENU)
        + "</ul></nav></header><main><article>"
        f"<h1>{esc(meta['title'])}</h1>"
        + "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
        + '<div class="share">Share on Facebook · Share on X · Email this article</div>'
        f'</article><aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>'
        f'<section class="comments"><h2>Comments</h2>{comments}</section></main>'
        f"<footer><p>© {esc(meta['outlet'])}. All rights reserved.</p>"
        '<p><a href="/privacy">Privacy policy</a> · <a href="/terms">Terms of use</a></p></footer>'
        "</body></html>"
    )


def write_corpora(docs: int, out: Path, seed: int) -> tuple[Path, Path, int]:
    """(text folder, html folder, bytes of the pages)."""
    gen = generate.Generator(seed)
    rng = random.Random(seed)
    articles = [gen.article(n) for n in range(docs)]
    titles = [meta["title"] for _, meta in articles]
    text_dir, html_dir = out / "text", out / "html"
    page_bytes = 0
    for n, (text, meta) in enumerate(articles):
        folder = f"{n // 1000:04d}"
        (text_dir / folder).mkdir(parents=True, exist_ok=True)
        (html_dir / folder).mkdir(parents=True, exist_ok=True)
        (text_dir / folder / f"{n:06d}.txt").write_text(text, encoding="utf-8")
        data = page(text, meta, rng, titles).encode("utf-8")
        (html_dir / folder / f"{n:06d}.html").write_bytes(data)
        page_bytes += len(data)
    return text_dir, html_dir, page_bytes


def import_into(corpus: Path, data_dir: Path) -> dict:
    env = dict(os.environ, ARCHIVE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="archive.settings",
               PYTHONHASHSEED="0")
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(manage + ["migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    started = time.perf_counter()
    proc = subprocess.run(manage + ["import_sources", str(corpus), "--no-progress"], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"import of {corpus} failed:\n{proc.stdout}\n{proc.stderr}")
    print(proc.stdout.strip().splitlines()[-1], flush=True)
    return {"seconds": seconds, "db": data_dir / "archive.sqlite3"}


def stored(db: Path) -> dict[str, tuple[str, str, int]]:
    """{file name without extension: (title, text, raw bytes)}."""
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT source_file, title, text, length(CAST(raw_text AS BLOB)) FROM sources_source")
        return {Path(f).stem: (title, text, raw) for f, title, text, raw in rows}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="archive-html-bench-"))
    try:
        text_dir, html_dir, page_bytes = write_corpora(args.docs, scratch / "corpus", args.seed)
        text_run = import_into(text_dir, scratch / "text-data")
        html_run = import_into(html_dir, scratch / "html-data")
        plain, pages = stored(text_run["db"]), stored(html_run["db"])
        same_title = sum(pages[k][0] == plain[k][0] for k in pages if k in plain)
        same_text = sum(pages[k][1] == plain[k][1] for k in pages if k in plain)
        report = {
            "docs": args.docs,
            "pages_mb": round(page_bytes / 1e6, 1),
            "text_import_per_s": round(args.docs / text_run["seconds"], 1),
            "html_import_per_s": round(args.docs / html_run["seconds"], 1),
            "html_vs_text": round(text_run["seconds"] / html_run["seconds"], 2),
            "raw_store_mb": round(sum(raw for *_, raw in pages.values()) / 1e6, 1),
            "html_db_mb": round(html_run["db"].stat().st_size / 1e6, 1),
            "text_db_mb": round(text_run["db"].stat().st_size / 1e6, 1),
            "pages_stored": len(pages),
            "same_title_share": round(same_title / max(1, len(pages)), 3),
            "same_text_share": round(same_text / max(1, len(pages)), 3),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for key, value in report.items():
        print(f"{key:>20}: {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
