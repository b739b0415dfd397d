#!/usr/bin/env python
"""Baseline: the benchmark's queries on Whoosh used directly, no haystack, no Django.

Opens the index directory the app writes (ARCHIVE_DATA_DIR/whoosh, index "MAIN") with
whoosh.index.open_dir, keeps ONE searcher open for all queries, parses the query with the
same kind of parser the app uses (MultifieldParser over text+title when both exist),
filters facets with Term queries, counts facets with Whoosh's own collector
(sorting.FieldFacet(..., allow_overlap=True, maptype=Count) via groupedby) and highlights
the 10 hits shown (the body is not stored in the app's index, so the text comes from a
lookup callable: the benchmark passes one that reads Source.text from the database).

Standalone development mode (before the app could index anything):

    python bench/raw_whoosh.py build --manifest M.jsonl --index DIR
    python bench/raw_whoosh.py query --index DIR --manifest M.jsonl "terror*" --country Kazakhstan
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field

from whoosh import highlight, index, sorting
from whoosh import query as wq
from whoosh.qparser import MultifieldParser, QueryParser

FACETS = ("country", "organisation", "year", "mentioned_year")
DATE_FIELDS = ("published", "sort_date", "pub_date", "date", "published_sort")


class _CachedOverlapping(sorting.OverlappingCategorizer):
    """Whoosh's OverlappingCategorizer rebuilds, for EVERY search and every segment, a
    docnum -> values list by walking all postings of the facet field (the field has no
    column and no vectors). Segments never change, so the lists can be kept per segment:
    this is the experiment behind raw_whoosh_cached_* in the benchmark."""

    _cache: dict = {}

    def set_searcher(self, segment_searcher, docoffset):
        reader = segment_searcher.reader()
        seg = getattr(reader, "segment", None)
        segid = seg().segid if callable(seg) else id(reader)
        key = (segid, self._fieldname)
        lists = self._cache.get(key)
        if lists is None:
            super().set_searcher(segment_searcher, docoffset)
            if self._lists is not None:
                self._cache[key] = self._lists
        else:
            self._segment_searcher = segment_searcher
            self._lists = lists


class CachedFieldFacet(sorting.FieldFacet):
    def categorizer(self, global_searcher):
        if self.allow_overlap:
            return _CachedOverlapping(global_searcher, self.fieldname)
        return super().categorizer(global_searcher)


@dataclass
class RawResult:
    total: int
    facets: dict[str, dict[str, int]]
    ids: list[str]
    snippets: list[str] = field(default_factory=list)


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RawWhoosh:
    def __init__(self, index_dir, indexname="MAIN", facets=FACETS, date_field=None,
                 text_lookup=None, highlight_field="text", cached_facets=False):
        self.ix = index.open_dir(str(index_dir), indexname=indexname)
        self.schema = self.ix.schema
        names = set(self.schema.names())
        self.searcher = self.ix.searcher()
        self.facets = [f for f in facets if f in names]
        fields = [f for f in ("text", "title") if f in names]
        if len(fields) > 1:
            # Like the app: title boosted x2 (SourceIndex.title boost).
            self.parser = MultifieldParser(fields, schema=self.schema, fieldboosts={"title": 2.0})
        else:
            self.parser = QueryParser(fields[0] if fields else "text", schema=self.schema)
        self.date_field = date_field or next((f for f in DATE_FIELDS if f in names), None)
        # The app's index has datetime sort keys that put undated articles last both ways.
        self.sort_fields = {"newest": ("newest", True), "oldest": ("oldest", False)}
        if not {"newest", "oldest"} <= names:
            self.sort_fields = {"newest": (self.date_field, True), "oldest": (self.date_field, False)}
        self.text_lookup = text_lookup
        self.hl_field = highlight_field
        self.hl_analyzer = self.schema[highlight_field].analyzer
        self.fragmenter = highlight.ContextFragmenter(maxchars=200, surround=40)
        self.formatter = highlight.HtmlFormatter(tagname="mark")
        self.id_field = "django_id" if "django_id" in names else "id"
        self.facet_class = CachedFieldFacet if cached_facets else sorting.FieldFacet

    def refresh(self):
        if not self.searcher.up_to_date():
            self.searcher = self.searcher.refresh()

    def close(self):
        self.searcher.close()

    def count(self, q):
        """How many documents the query matches (no filters, facets or page)."""
        return len(self.searcher.search(self.parser.parse(q), limit=1))

    def _filter(self, filters, skip=None):
        terms = []
        for name, values in (filters or {}).items():
            values = [values] if isinstance(values, str) else list(values)
            if not values or name == skip:
                continue
            if len(values) == 1:
                terms.append(wq.Term(name, str(values[0])))
            else:
                terms.append(wq.Or([wq.Term(name, str(v)) for v in values]))
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else wq.And(terms)

    def _facet(self, name):
        return self.facet_class(name, allow_overlap=True, maptype=sorting.Count)

    def query(self, q, filters=None, sort="relevance", page=1, per_page=10, snippets=True):
        """Same semantics as the app's service: values within a facet OR, facets AND;
        a filtered facet's counts come from a search with the OTHER facets' filters."""
        parsed = self.parser.parse(q) if q.strip() else wq.Every()
        filters = {k: v for k, v in (filters or {}).items() if v}
        kwargs = {"pagelen": per_page}
        flt = self._filter(filters)
        if flt is not None:
            kwargs["filter"] = flt
        unselected = [f for f in self.facets if f not in filters]
        if unselected:
            kwargs["groupedby"] = [self._facet(f) for f in unselected]
        if sort in self.sort_fields and self.sort_fields[sort][0]:
            kwargs["sortedby"], kwargs["reverse"] = self.sort_fields[sort]
        page_obj = self.searcher.search_page(parsed, page, **kwargs)
        results = page_obj.results
        facets = {}
        for name in unselected:
            groups = results.groups(name)
            facets[name] = {_text(k): v for k, v in groups.items() if k not in (None, "", b"")}
        for name in self.facets:
            if name not in filters:
                continue
            other = self.searcher.search(parsed, limit=1, filter=self._filter(filters, skip=name),
                                         groupedby=[self._facet(name)])
            groups = other.groups(name)
            facets[name] = {_text(k): v for k, v in groups.items() if k not in (None, "", b"")}
        ids = []
        if page_obj.pagenum == page:
            ids = [hit[self.id_field] for hit in page_obj]
        out = RawResult(total=len(results), facets=facets, ids=ids)
        if snippets and ids and self.text_lookup is not None:
            texts = self.text_lookup(ids)
            qterms = set()
            for fname, text in parsed.existing_terms(self.searcher.reader(), expand=True):
                if fname == self.hl_field:
                    qterms.add(_text(text))
            for i in ids:
                out.snippets.append(highlight.highlight(
                    texts.get(i, ""), qterms, self.hl_analyzer, self.fragmenter,
                    self.formatter, top=2,
                ))
        return out


# ---------------------------------------------------------------- standalone development

def build(manifest, index_dir, limitmb=256, procs=1):
    """Index the generated files listed in a generate.py manifest, with a schema shaped
    like the app's (stemmed unstored body, whole-value facet keywords, a sortable date)."""
    import datetime
    import os

    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema

    schema = Schema(
        id=ID(stored=True, unique=True), django_id=ID(stored=True),
        text=TEXT(stored=False, analyzer=StemmingAnalyzer()),
        title=TEXT(stored=True, analyzer=StemmingAnalyzer()),
        country=KEYWORD(commas=True, lowercase=False), organisation=KEYWORD(commas=True),
        year=KEYWORD(), mentioned_year=KEYWORD(commas=True), published=DATETIME(sortable=True),
    )
    os.makedirs(index_dir, exist_ok=True)
    ix = index.create_in(index_dir, schema)
    writer = ix.writer(limitmb=limitmb, procs=procs)
    n = 0
    t0 = time.perf_counter()
    for meta in iter_manifest(manifest):
        with open(meta["path"], encoding="utf-8") as fh:
            text = fh.read()
        pub = meta["published"]
        doc = dict(
            id=f"sources.source.{meta['n']}", django_id=str(meta["n"]), text=text,
            title=meta["title"], country=",".join(meta["countries"]),
            organisation=",".join(meta["organisations"]),
            year=pub[:4] if pub else "undated",
            mentioned_year=",".join(str(y) for y in meta["years"]),
        )
        if pub:
            doc["published"] = datetime.datetime.fromisoformat(pub)
        writer.add_document(**doc)
        n += 1
    writer.commit()
    return n, time.perf_counter() - t0


def iter_manifest(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def manifest_text_lookup(manifest):
    paths = {str(m["n"]): m["path"] for m in iter_manifest(manifest)}

    def lookup(ids):
        out = {}
        for i in ids:
            with open(paths[i], encoding="utf-8") as fh:
                out[i] = fh.read()
        return out

    return lookup


def main(argv=None):
    ap = argparse.ArgumentParser(description="raw Whoosh baseline (development mode)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--manifest", required=True)
    b.add_argument("--index", required=True)
    q = sub.add_parser("query")
    q.add_argument("--index", required=True)
    q.add_argument("--manifest")
    q.add_argument("q")
    for f in FACETS:
        q.add_argument("--" + f.replace("_", "-"), dest=f, action="append")
    q.add_argument("--sort", default="relevance")
    q.add_argument("--page", type=int, default=1)
    args = ap.parse_args(argv)
    if args.cmd == "build":
        n, s = build(args.manifest, args.index)
        print(f"indexed {n} docs in {s:.1f} s ({n / s:.0f} docs/s)")
        return
    lookup = manifest_text_lookup(args.manifest) if args.manifest else None
    raw = RawWhoosh(args.index, text_lookup=lookup)
    filters = {f: getattr(args, f) for f in FACETS if getattr(args, f)}
    t0 = time.perf_counter()
    res = raw.query(args.q, filters, args.sort, args.page)
    ms = (time.perf_counter() - t0) * 1000
    print(f"{res.total} hits in {ms:.1f} ms; ids {res.ids}")
    for name, counts in res.facets.items():
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:5]
        print(f"  {name}: {top}")
    for s in res.snippets[:3]:
        print("  …", s[:160].replace("\n", " "))


if __name__ == "__main__":
    sys.exit(main())
