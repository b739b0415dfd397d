#!/usr/bin/env python
"""How the archive reads real third-party articles, against a person's reading (issue 18).

    python bench/realtext/score.py [--texts DIR] [--no-search] [--misses] [--json OUT]

Each text in DIR (default bench/realtext/texts, else /work/realtext-texts) named by its id
in expected.json goes through the importer's pipeline (sources.ingest.pipeline.process, the
shipped gazetteer, the page's address as the article's original address); its headline,
date, countries and organisations are compared with the annotation (rules: README.md).
The search part imports the same texts with `manage.py import_sources` into a scratch
ARCHIVE_DATA_DIR (SQLite, Whoosh) and asks the search service every annotated query: the
article counts when it is among the first 3 hits. Texts not found are named and left out.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SHARED_TEXTS = Path("/work/realtext-texts")
TOP = 3
#: Left aside on the archive's side, as in the annotation: news media, ministries, courts.
SET_ASIDE_KINDS = {"media"}
SET_ASIDE_WORDS = ("ministry", "court", "prosecutor")
PRECISION_PARTS = {"day": 3, "month": 2, "year": 1}


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def share(self) -> str:
        return f"{self.right}/{self.total} = {100 * self.right / self.total:.0f} %" if self.total else "-"


@dataclass
class SetScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def line(self) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return f"{p:.2f} / {r:.2f} (F1 {f1:.2f})"


@dataclass
class Report:
    headline: Tally = field(default_factory=Tally)
    date: Tally = field(default_factory=Tally)
    wrong_dates: int = 0
    countries: SetScore = field(default_factory=SetScore)
    organisations: SetScore = field(default_factory=SetScore)
    with_suggestions: SetScore = field(default_factory=SetScore)
    top3: Tally = field(default_factory=Tally)
    misses: list[str] = field(default_factory=list)


# --- reading the set -------------------------------------------------------------------

def load(texts_dir: Path) -> tuple[list[dict], list[str]]:
    """(annotated articles whose text is there, with "text"; ids whose text is missing)."""
    expected = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))["articles"]
    present, missing = [], []
    for article in expected:
        path = texts_dir / f"{article['id']}.txt"
        if path.is_file():
            present.append({**article, "text": path.read_text(encoding="utf-8")})
        else:
            missing.append(article["id"])
    return present, missing


def default_texts_dir() -> Path:
    local = HERE / "texts"
    return local if local.is_dir() and any(local.glob("*.txt")) else SHARED_TEXTS


# --- extraction ----------------------------------------------------------------------

def extract_all(articles: list[dict]) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from sources.ingest.gazetteer import load_default_gazetteer
    from sources.ingest.new_organisations import suggest_organisations
    from sources.ingest.pipeline import process

    gazetteer = load_default_gazetteer()
    kinds = {o.name: o.kind for o in gazetteer.organisations}
    FORMS.update({o.name: {o.name, *o.aliases} for o in gazetteer.organisations})
    read = {}
    for article in articles:
        found = process(article["text"], gazetteer, original_url=article["url"])
        got = found[0] if found else None
        suggested = suggest_organisations(f"{got.title}\n\n{got.text}", gazetteer) if got else []
        read[article["id"]] = (got, kinds, {s.name for s in suggested})
    return read


def score_extraction(articles, read, report: Report) -> None:
    for article in articles:
        got, kinds, suggested = read[article["id"]]
        _score_headline(article, got, report)
        _score_date(article, got, report)
        _score_countries(article, got, report)
        listed = {name for name in (got.organisations if got else {}) if _counted(name, kinds)}
        _score_organisations(article, listed, report.organisations, report, "orgs")
        _score_organisations(article, listed | suggested, report.with_suggestions, report, "suggested")


def _score_headline(article, got, report):
    if article["headline"] is None:
        return
    title = "" if got is None or got.title_is_derived else " ".join(got.title.split())
    ok = title == " ".join(article["headline"].split())
    report.headline.add(ok)
    if not ok:
        report.misses.append(f"headline  {article['id']}: got {title!r}")


def _score_date(article, got, report):
    expected = article["published"]
    published, precision = (got.published, got.date_precision) if got else (None, "unknown")
    predicted = None if published is None else _as_parts(published, precision)
    wanted = None if expected is None else tuple(int(part) for part in expected.split("-"))
    if predicted is None or wanted is None:
        ok = predicted == wanted
    else:
        ok = len(predicted) >= len(wanted) and predicted[: len(wanted)] == wanted
        report.wrong_dates += not ok
    report.date.add(ok)
    if not ok:
        report.misses.append(f"date      {article['id']}: got {predicted}, annotated {expected}")


def _as_parts(published: datetime.date, precision: str) -> tuple[int, ...]:
    return (published.year, published.month, published.day)[: PRECISION_PARTS.get(precision, 3)]


def _score_countries(article, got, report):
    # What the article is about: the country facet leaves passing mentions out.
    predicted = set(got.countries) - got.passing_countries if got else set()
    expected = set(article["countries"])
    _add_sets(report.countries, predicted, expected)
    if predicted != expected:
        report.misses.append(
            f"countries {article['id']}: extra {sorted(predicted - expected)}, missed {sorted(expected - predicted)}"
        )


#: Canonical organisation name -> every form the shipped list gives it: a predicted name
#: agrees with an annotated group when one of its forms is written there (the group
#: "Central Election Commission", "CEC" is the list's "Central Election Commission of
#: Kyrgyzstan" when it has those aliases).
FORMS: dict[str, set[str]] = {}


def _agrees(name: str, group: set[str]) -> bool:
    return any(_norm(form) in group for form in FORMS.get(name, {name}))


def _score_organisations(article, predicted: set[str], score: SetScore, report, label: str):
    groups = [{_norm(name) for name in group} for group in article["organisations"]]
    matched = {name for name in predicted if any(_agrees(name, group) for group in groups)}
    found = [group for group in groups if any(_agrees(name, group) for name in predicted)]
    score.tp += len(found)
    score.fn += len(groups) - len(found)
    score.fp += len(predicted - matched)
    missed = [sorted(group)[0] for group in groups if group not in found]
    if missed or predicted - matched:
        report.misses.append(f"{label:<9} {article['id']}: extra {sorted(predicted - matched)}, missed {missed}")


def _counted(name: str, kinds: dict[str, str]) -> bool:
    lowered = name.casefold()
    return kinds.get(name) not in SET_ASIDE_KINDS and not any(word in lowered for word in SET_ASIDE_WORDS)


def _norm(name: str) -> str:
    name = " ".join(name.replace("’", "'").split()).casefold()
    return name[4:] if name.startswith("the ") else name


def _add_sets(score: SetScore, predicted: set, expected: set) -> None:
    score.tp += len(predicted & expected)
    score.fp += len(predicted - expected)
    score.fn += len(expected - predicted)


# --- search ----------------------------------------------------------------------------

def score_search(articles: list[dict], texts_dir: Path, report: Report) -> None:
    """Import the texts into a scratch archive and ask every query through the search
    service, as the search page does."""
    scratch = tempfile.mkdtemp(prefix="realtext-")
    for name in ("DATABASE_URL", "ARCHIVE_WHOOSH_PATH", "ARCHIVE_SEARCH_ENGINE", "ARCHIVE_SEARCH_URL"):
        os.environ.pop(name, None)  # a scratch archive: never the user's database or index
    os.environ["ARCHIVE_DATA_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    from sources.search import search
    from sources.search_query import SearchQuery

    try:
        call_command("migrate", verbosity=0)
        paths = [str(texts_dir / f"{article['id']}.txt") for article in articles]
        with open(os.devnull, "w") as quiet:
            call_command("import_sources", *paths, no_progress=True, jobs=0, stdout=quiet)
        for article in articles:
            for q in article["queries"]:
                _score_query(article, q, search(SearchQuery.from_params({"q": q}), per_page=TOP), report)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _score_query(article, q, results, report):
    ids = [Path(hit.source.source_file).stem for hit in results.hits]
    ok = article["id"] in ids[:TOP]
    report.top3.add(ok)
    if not ok:
        report.misses.append(f"query     {article['id']}: {q!r} -> {ids}")


# --- output ----------------------------------------------------------------------------

def table(report: Report, searched: bool) -> str:
    rows = [
        ("headline exactly right, where the text has one", report.headline.share()),
        ("publication date right or honestly unknown",
         f"{report.date.share()} ({report.wrong_dates} wrong dates)"),
        ("countries: precision / recall", report.countries.line()),
        ("organisations: precision / recall", report.organisations.line()),
        ("  the same with the new names suggested to curators", report.with_suggestions.line()),
        (f"the right article in the top {TOP} for a journalist's query",
         report.top3.share() if searched else "not run (--no-search)"),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"| {label:<{width}} | {value} |" for label, value in rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=Path, default=None, help="folder of <id>.txt texts")
    parser.add_argument("--no-search", action="store_true", help="extraction only (no Django)")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    texts_dir = args.texts or default_texts_dir()
    articles, missing = load(texts_dir)
    if missing:
        print(f"{len(missing)} texts missing from {texts_dir} (scored without them): {', '.join(missing)}")
    if not articles:
        print(f"No texts found in {texts_dir}: gather them as README.md says.", file=sys.stderr)
        return 2
    print(f"{len(articles)} texts from {texts_dir}")
    report = Report()
    score_extraction(articles, extract_all(articles), report)
    if not args.no_search:
        score_search(articles, texts_dir, report)
    if args.misses:
        print("\n".join(sorted(report.misses)))
    print(table(report, searched=not args.no_search))
    if args.json:
        figures = {name: vars(value) for name, value in vars(report).items() if name != "misses"}
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
