#!/usr/bin/env python
"""Baseline: the benchmark's queries on SQLite FTS5, in a separate database file.

One FTS5 table (title, text; porter stemming over unicode61, close to Whoosh's
StemmingAnalyzer), a `doc` table with the sort date and publication year, and join tables
doc_country / doc_org / doc_myear for the facets. A query is two statements: one that
materialises the matching (and filtered) rowids once and returns the total plus the
facet counts (GROUP BY over the join tables), and one that returns the requested page
with snippet().

    python bench/fts5.py build --manifest M.jsonl --db F.sqlite3        (development)
    python bench/fts5.py query --db F.sqlite3 "terror*" --country Kazakhstan
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from dataclasses import dataclass, field

FACETS = ("country", "organisation", "year", "mentioned_year")
_TABLE = {"country": "doc_country", "organisation": "doc_org", "mentioned_year": "doc_myear"}

SCHEMA = """
PRAGMA journal_mode=OFF;
PRAGMA synchronous=OFF;
CREATE TABLE doc(id INTEGER PRIMARY KEY, django_id TEXT, published TEXT, year TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize='porter unicode61');
CREATE TABLE doc_country(doc_id INTEGER, value TEXT);
CREATE TABLE doc_org(doc_id INTEGER, value TEXT);
CREATE TABLE doc_myear(doc_id INTEGER, value TEXT);
"""
INDEXES = """
CREATE INDEX doc_pub ON doc(published);
CREATE INDEX doc_year ON doc(year, id);
CREATE INDEX dc_v ON doc_country(value, doc_id);
CREATE INDEX dc_d ON doc_country(doc_id, value);
CREATE INDEX do_v ON doc_org(value, doc_id);
CREATE INDEX do_d ON doc_org(doc_id, value);
CREATE INDEX dm_v ON doc_myear(value, doc_id);
CREATE INDEX dm_d ON doc_myear(doc_id, value);
INSERT INTO fts(fts) VALUES('optimize');
ANALYZE;
"""


@dataclass
class FtsResult:
    total: int
    facets: dict[str, dict[str, int]]
    ids: list[str]
    snippets: list[str] = field(default_factory=list)


def build(db_path, rows):
    """rows: iterable of dicts with django_id, title, text, published (ISO date or None),
    year ('2017' / 'undated'), countries, organisations, years (lists)."""
    con = sqlite3.connect(db_path)
    con.executescript(SCHEMA)
    n = 0
    with con:
        for n, r in enumerate(rows, 1):
            con.execute("INSERT INTO doc VALUES (?,?,?,?)", (n, str(r["django_id"]), r["published"], r["year"]))
            con.execute("INSERT INTO fts(rowid, title, text) VALUES (?,?,?)", (n, r["title"], r["text"]))
            con.executemany("INSERT INTO doc_country VALUES (?,?)", [(n, v) for v in r["countries"]])
            con.executemany("INSERT INTO doc_org VALUES (?,?)", [(n, v) for v in r["organisations"]])
            con.executemany("INSERT INTO doc_myear VALUES (?,?)", [(n, str(v)) for v in r["years"]])
    con.executescript(INDEXES)
    con.close()
    return n


_WORD = re.compile(r'"[^"]*"|\S+')


def to_match(q):
    """The benchmark's query syntax (words, "phrases", prefix*) as an FTS5 MATCH string."""
    parts = []
    for tok in _WORD.findall(q):
        if tok.startswith('"'):
            words = re.findall(r"\w+", tok)
            parts.append('"' + " ".join(words) + '"')
        elif tok.endswith("*"):
            w = re.sub(r"\W", "", tok[:-1])
            if w:
                parts.append(f'"{w}"*')
        elif tok.upper() in ("AND", "OR", "NOT"):
            parts.append(tok.upper())
        else:
            w = re.sub(r"[^\w]", "", tok)
            if w:
                parts.append(f'"{w}"')
    return " ".join(parts)


class Fts5:
    def __init__(self, db_path, facets=FACETS):
        self.con = sqlite3.connect(db_path, check_same_thread=False)
        self.con.execute("PRAGMA cache_size=-200000")
        self.con.execute("PRAGMA temp_store=MEMORY")
        self.facets = list(facets)

    def close(self):
        self.con.close()

    def _filtered(self, filters, skip=None):
        where, args = [], []
        for name, values in (filters or {}).items():
            values = [values] if isinstance(values, str) else [str(v) for v in values]
            if not values or name == skip:
                continue
            marks = ",".join("?" * len(values))
            if name == "year":
                where.append(f"m.id IN (SELECT id FROM doc WHERE year IN ({marks}))")
            else:
                where.append(f"m.id IN (SELECT doc_id FROM {_TABLE[name]} WHERE value IN ({marks}))")
            args += values
        return (" AND ".join(where) or "1"), args

    def _count(self, name, cte):
        if name == "year":
            return f"SELECT 'year', d.year, count(*) FROM {cte} JOIN doc d ON d.id = {cte}.id GROUP BY d.year"
        return (f"SELECT '{name}', t.value, count(*) FROM {cte} JOIN {_TABLE[name]} t "
                f"ON t.doc_id = {cte}.id GROUP BY t.value")

    def query(self, q, filters=None, sort="relevance", page=1, per_page=10, snippets=True):
        """Same semantics as the app's service: values within a facet OR, facets AND;
        a filtered facet's counts use the OTHER facets' filters only."""
        match = to_match(q)
        filters = {k: v for k, v in (filters or {}).items() if v}
        where, fargs = self._filtered(filters)
        # Materialise the MATCH once; unary + keeps SQLite from turning the facet filters
        # into rowid lookups on the FTS table (one MATCH per candidate row).
        ctes = [
            "m AS MATERIALIZED (SELECT rowid AS id FROM fts WHERE fts MATCH ?)",
            f"f AS MATERIALIZED (SELECT m.id FROM m WHERE {where.replace('m.id', '+m.id')})",
        ]
        args = [match] + fargs
        parts = ["SELECT 'total', NULL, count(*) FROM f"]
        for name in self.facets:
            if name in filters:
                w, a = self._filtered(filters, skip=name)
                ctes.append(f"f_{name} AS MATERIALIZED (SELECT m.id FROM m WHERE {w.replace('m.id', '+m.id')})")
                args += a
                parts.append(self._count(name, f"f_{name}"))
            else:
                parts.append(self._count(name, "f"))
        sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)
        total, facets = 0, {name: {} for name in self.facets}
        for kind, value, count in self.con.execute(sql, args):
            if kind == "total":
                total = count
            else:
                facets[kind][value] = count
        if sort == "newest":
            order = "d.published IS NULL, d.published DESC"
        elif sort == "oldest":
            order = "d.published IS NULL, d.published ASC"
        else:
            order = "fts.rank"
        where2 = where.replace("m.id", "+fts.rowid")
        # The page's rowids first (no snippet work for rows that are sorted away) ...
        page_sql = (
            f"SELECT fts.rowid, d.django_id FROM fts JOIN doc d ON d.id = fts.rowid "
            f"WHERE fts MATCH ? AND {where2} ORDER BY {order} LIMIT ? OFFSET ?"
        )
        rows = self.con.execute(page_sql, [match] + fargs + [per_page, (page - 1) * per_page]).fetchall()
        snips = {}
        if snippets and rows:
            # ... then snippet() for those ten only.
            marks = ",".join("?" * len(rows))
            snips = dict(self.con.execute(
                f"SELECT rowid, snippet(fts, 1, '<mark>', '</mark>', '…', 24) FROM fts "
                f"WHERE fts MATCH ? AND rowid IN ({marks})", [match] + [r[0] for r in rows]))
        return FtsResult(total, facets, [r[1] for r in rows], [snips.get(r[0], "") for r in rows])


def rows_from_manifest(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = json.loads(line)
            with open(m["path"], encoding="utf-8") as t:
                text = t.read()
            pub = m["published"]
            yield {
                "django_id": m["n"], "title": m["title"], "text": text, "published": pub,
                "year": pub[:4] if pub else "undated", "countries": m["countries"],
                "organisations": m["organisations"], "years": m["years"],
            }


def main(argv=None):
    ap = argparse.ArgumentParser(description="SQLite FTS5 baseline (development mode)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--manifest", required=True)
    b.add_argument("--db", required=True)
    q = sub.add_parser("query")
    q.add_argument("--db", required=True)
    q.add_argument("q")
    for f in FACETS:
        q.add_argument("--" + f.replace("_", "-"), dest=f, action="append")
    q.add_argument("--sort", default="relevance")
    q.add_argument("--page", type=int, default=1)
    args = ap.parse_args(argv)
    if args.cmd == "build":
        t0 = time.perf_counter()
        n = build(args.db, rows_from_manifest(args.manifest))
        s = time.perf_counter() - t0
        print(f"indexed {n} docs in {s:.1f} s ({n / s:.0f} docs/s)")
        return
    fts = Fts5(args.db)
    filters = {f: getattr(args, f) for f in FACETS if getattr(args, f)}
    t0 = time.perf_counter()
    res = fts.query(args.q, filters, args.sort, args.page)
    ms = (time.perf_counter() - t0) * 1000
    print(f"{res.total} hits in {ms:.1f} ms; ids {res.ids}")
    for name, counts in res.facets.items():
        print(f"  {name}: {sorted(counts.items(), key=lambda kv: -kv[1])[:5]}")
    for s in res.snippets[:3]:
        print("  …", s[:160].replace("\n", " "))


if __name__ == "__main__":
    sys.exit(main())
