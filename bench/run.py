#!/usr/bin/env python
"""The Archive's speed benchmark (not part of `make test`).

    python bench/run.py --docs N --json OUT.json [--data-dir D] [--reuse] [--keep]
    make bench DOCS=10000

In a scratch ARCHIVE_DATA_DIR (a temporary directory unless --data-dir; var/ is never
touched) it:

 1. generates N synthetic articles (bench/generate.py) and runs migrate + collectstatic;
 2. imports them with `manage.py import_sources` (timed: import_docs_per_s; the import
    indexes its Sources in one batch at the end, as in production);
 3. rebuilds the Whoosh index from scratch (timed: index_docs_per_s) with
    `manage.py index build` (one process per core; --index-cmd repair for a clear
    index filled by `index repair`, one process);
 4. in a separate worker process (so its peak RSS is the query mix's, worker_rss_mb):
    builds the SQLite FTS5 baseline from the same Sources (bench/fts5.py), then runs a
    FIXED mix of queries (a rare word, a common word, two words, a phrase, a prefix*, and
    the names of bench/name_queries.py: organisation aliases, an organisation's name
    quoted and plain, people's other spellings, a Cyrillic name, each beside its exact=1
    and a plain word of the same reach; each with 0..3 facet filters, sorted by relevance
    and by date, page 1 and a deep page) through sources.search.search()
    (search_p50/p95), renders /search/ through Django's test client (page_p50/p95), runs
    the same mix on raw Whoosh (bench/raw_whoosh.py) and FTS5, asking them what the
    service's own parse wrote (a name widened to its other names), checks that the
    service's totals, hits (in order) and facet counts equal raw Whoosh's, saves one
    Source through the ORM in a transaction (as the admin does) and polls the service
    until the change is searchable (update_visible_ms), and profiles the service on a
    common word with three facet filters (cProfile);
 5. prints a table (per query kind: p50, p95, first run, ratios to the baselines, issue
    19's targets) and writes the JSON. Exit 1 on any mismatch with raw Whoosh.

--reuse with --data-dir skips steps 1-3 when that directory already holds a finished
corpus/import/index of the same size; --prepare-only stops after them (a 100,000-article
corpus takes most of an hour to import and index; its query mix can then be re-run).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

from bench_util import dir_mb, flat, git_commit, machine, pct, vm_hwm_mb  # noqa: E402

MANAGE = [sys.executable, str(ROOT / "manage.py")]
CPU_SECONDS = {}  # label -> CPU seconds of that manage.py step (robust to a noisy machine)
OUTPUT = {}  # label -> what that manage.py step printed
PER_PAGE = 10
DEEP_PAGE = 20  # results 191-200


# ============================================================================ helpers

def run_manage(args, env, label):
    print(f"\n== {label}: manage.py {' '.join(args)}", flush=True)
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(MANAGE + args, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    print(proc.stdout, end="", flush=True)
    OUTPUT[label] = proc.stdout
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{label} failed (exit {proc.returncode})")
    print(f"== {label}: {seconds:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    CPU_SECONDS[label] = cpu
    return seconds


def bench_env(data_dir):
    env = dict(os.environ)
    env["ARCHIVE_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    # The test client's host; DEBUG off as in production.
    env["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    env.pop("DATABASE_URL", None)
    env.pop("ARCHIVE_WHOOSH_PATH", None)
    env.pop("ARCHIVE_SEARCH_ENGINE", None)
    env.setdefault("PYTHONHASHSEED", "0")
    return env


# ============================================================================ parent

def prepare(args, data_dir, env, report):
    """Steps 1-3. Returns nothing; fills report."""
    import generate

    state_file = data_dir / "bench-state.json"
    if args.reuse and state_file.exists():
        state = json.loads(state_file.read_text())
        if state.get("docs") == args.docs and state.get("indexed"):
            print(f"reusing {data_dir} (corpus, import and index of {args.docs} docs)")
            keep = ("generate_", "corpus_", "gazetteer", "import_", "index_")
            report.update({k: v for k, v in state.get("report", {}).items() if k.startswith(keep)})
            report["reused"] = True
            return
    corpus = data_dir / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    for name in ("archive.sqlite3", "archive.sqlite3-wal", "archive.sqlite3-shm", "fts5.sqlite3"):
        (data_dir / name).unlink(missing_ok=True)
    shutil.rmtree(data_dir / "whoosh", ignore_errors=True)

    print(f"== generate {args.docs} articles into {corpus}", flush=True)
    summary = generate.generate(args.docs, corpus, seed=args.seed,
                                manifest=str(data_dir / "manifest.jsonl"))
    print(f"== generate: {summary['seconds']} s, {summary['mb']} MB, gazetteer {summary['gazetteer']}")
    report["generate_s"] = summary["seconds"]
    report["corpus_mb"] = summary["mb"]
    report["gazetteer"] = summary["gazetteer"]

    run_manage(["migrate", "--noinput", "-v0"], env, "migrate")
    run_manage(["collectstatic", "--noinput", "-v0"], env, "collectstatic")

    seconds = run_manage(["import_sources", str(corpus)], env, "import")
    report["import_s"] = round(seconds, 1)
    report["import_docs_per_s"] = round(args.docs / seconds, 1)
    report["import_cpu_s"] = round(CPU_SECONDS["import"], 1)
    report["import_docs_per_cpu_s"] = round(args.docs / CPU_SECONDS["import"], 1)
    # import_sources times its two phases: read+store (what "import" means in the issue's
    # target) and its own index batch.
    phases = re.search(r"Read and stored in ([\d.]+) s .*indexed (\d+) in ([\d.]+) s", OUTPUT["import"])
    if phases:
        report["import_store_s"] = float(phases.group(1))
        report["import_store_docs_per_s"] = round(args.docs / float(phases.group(1)), 1)
        report["import_index_s"] = float(phases.group(3))
        report["import_index_docs_per_s"] = round(int(phases.group(2)) / float(phases.group(3)), 1)

    measure_versions(data_dir, env, report)

    if args.index_cmd == "build":  # parallel segments, atomic swap
        index_args = ["index", "build"]
    else:  # clear, then the repair mode
        run_manage(["clear_index", "--noinput"], env, "clear_index")
        index_args = ["index", "repair"]
    seconds = run_manage(index_args, env, f"index ({' '.join(index_args)})")
    report["index_cmd"] = " ".join(index_args)
    report["index_s"] = round(seconds, 1)
    report["index_docs_per_s"] = round(args.docs / seconds, 1)
    cpu = CPU_SECONDS[next(k for k in CPU_SECONDS if k.startswith("index"))]
    report["index_cpu_s"] = round(cpu, 1)
    report["index_docs_per_cpu_s"] = round(args.docs / cpu, 1)
    state_file.write_text(json.dumps({"docs": args.docs, "indexed": True, "report": dict(report)}))


def measure_versions(data_dir, env, report):
    """Version detection (issue 16): its quality on the corpus's reprints as imported, and
    its cost alone, as `detect_versions` over the whole archive."""
    quality = subprocess.run([sys.executable, str(ROOT / "bench" / "versions_quality.py"),
                              str(data_dir / "manifest.jsonl")], env=env, cwd=ROOT,
                             stdout=subprocess.PIPE, text=True, check=True)
    report.update(json.loads(quality.stdout))
    seconds = run_manage(["detect_versions", "--no-progress"], env, "detect_versions")
    report["detect_versions_ms_per_doc"] = round(seconds * 1000 / report["docs"], 2)


def main(argv=None):
    ap = argparse.ArgumentParser(description="The Archive's speed benchmark")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--data-dir", help="scratch ARCHIVE_DATA_DIR (default: a new temporary dir)")
    ap.add_argument("--reuse", action="store_true", help="reuse corpus/import/index in --data-dir")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2, help="timed rounds of the query mix")
    ap.add_argument("--index-cmd", choices=("build", "repair"), default="build")
    ap.add_argument("--prepare-only", action="store_true",
                    help="stop after steps 1-3 (then run again with --reuse)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--worker-out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        return worker(args)

    if args.data_dir:
        data_dir = Path(args.data_dir).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = False
    else:
        data_dir = Path(tempfile.mkdtemp(prefix="archive-bench-"))
        temporary = True
    var = (ROOT / "var").resolve()
    if data_dir == var or var in data_dir.parents:
        raise SystemExit("refusing to run in var/: pass another --data-dir")
    env = bench_env(data_dir)
    report = {
        "docs": args.docs,
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "git_commit": git_commit(),
        "data_dir": str(data_dir),
        "seed": args.seed,
    }
    started = time.perf_counter()
    try:
        prepare(args, data_dir, env, report)
        report["index_mb"] = dir_mb(data_dir / "whoosh")
        report["db_mb"] = round(sum(p.stat().st_size for p in data_dir.glob("archive.sqlite3*")) / 1e6, 1)
        if args.prepare_only:
            print(f"prepared {data_dir}; run again with --reuse --data-dir {data_dir}")
            return 0

        worker_out = data_dir / "worker.json"
        print("\n== queries (worker process)", flush=True)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--docs", str(args.docs),
               "--data-dir", str(data_dir), "--worker-out", str(worker_out), "--rounds", str(args.rounds)]
        proc = subprocess.run(cmd, env=env, cwd=ROOT)
        if proc.returncode != 0:
            raise SystemExit(f"query worker failed (exit {proc.returncode})")
        report.update(json.loads(worker_out.read_text()))
        report["fts5_mb"] = dir_mb(data_dir / "fts5.sqlite3") if (data_dir / "fts5.sqlite3").is_dir() else round(
            (data_dir / "fts5.sqlite3").stat().st_size / 1e6, 1)
    finally:
        report["total_s"] = round(time.perf_counter() - started, 1)
        report["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
        if temporary and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    if report.get("search_p50_ms") and report.get("raw_whoosh_p50_ms"):
        report["search_vs_raw_whoosh_p50"] = round(report["search_p50_ms"] / report["raw_whoosh_p50_ms"], 2)
    if report.get("search_p50_ms") and report.get("fts5_p50_ms"):
        report["search_vs_fts5_p50"] = round(report["search_p50_ms"] / report["fts5_p50_ms"], 2)
    import report_table

    report_table.print_table(report)
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"\nwrote {out}")
    return 1 if report.get("mismatch_count") else 0



# ============================================================================ worker

#: The mix's first kinds: the headline figures (search_p50_ms ...) are theirs alone, so that
#: they compare with earlier runs; the name kinds are reported per kind.
PLAIN_KINDS = ("rare", "common", "two_words", "phrase", "prefix")


def query_mix(rare_word, facet_picks, name_texts):
    """The FIXED mix: each plain kind x 4 filter sets x 2 sorts x 2 pages, each name kind
    and baseline of bench/name_queries.py with the first and third filter sets only
    (none; a country and an organisation), to keep the mix's time at 100,000 articles
    within reach."""
    texts = {
        "rare": {"q": rare_word},
        "common": {"q": "government"},
        "two_words": {"q": "border security"},
        "phrase": {"q": '"Central Asia"'},
        "prefix": {"q": "extrem*"},
        **name_texts,
    }
    c1, c2 = facet_picks["country"][:2]
    o1 = facet_picks["organisation"][0]
    y1 = facet_picks["year"][0]
    filter_sets = [
        {},
        {"country": [c1]},
        {"country": [c1], "organisation": [o1]},
        {"country": [c2], "organisation": [o1], "year": [y1]},
    ]
    mix = []
    for kind, text in texts.items():
        for fi, filters in enumerate(filter_sets):
            if kind not in PLAIN_KINDS and fi not in (0, 2):
                continue
            for sort in ("relevance", "newest"):
                for page in (1, DEEP_PAGE):
                    mix.append({
                        "label": f"{kind}/f{fi}/{sort}/p{page}", "kind": kind, "q": text["q"],
                        "exact": text.get("exact", False), "filters": filters, "sort": sort, "page": page,
                    })
    return mix


def worker(args):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test import Client
    from tqdm import tqdm

    import article_pages
    import entity_pages
    import fts5
    import generate
    import name_queries
    import raw_whoosh
    import search_pages
    import worker_parts
    from sources import search as svc
    from sources.facets import UNDATED
    from sources.models import Source

    import archive.wsgi  # noqa: F401  start-up as a server process does it (gc.freeze)

    data_dir = Path(args.data_dir)
    out = {}
    rounds = max(1, args.rounds)

    def service_query(item, collapse=False):
        # Versions listed apart (collapse=0), as raw Whoosh's own index has no version
        # groups: the comparison stays like for like; the collapsed default is timed apart.
        f = item["filters"]
        return svc.SearchQuery(
            q=item["q"], country=tuple(f.get("country", ())),
            organisation=tuple(f.get("organisation", ())), year=tuple(f.get("year", ())),
            sort=item["sort"], page=item["page"], collapse=collapse, exact=item["exact"],
        )

    # ---- facet values for the fixed mix: from the service, on the common word
    base = svc.search(svc.SearchQuery(q="government"), per_page=PER_PAGE)

    def top(name, n):
        values = [fv.value for fv in base.facets.get(name, []) if fv.value != UNDATED]
        return values[:n] if len(values) >= n else (values + ["(none)"] * n)[:n]

    years = [fv for fv in base.facets.get("year", []) if fv.value != UNDATED]
    years.sort(key=lambda fv: -fv.count)
    picks = {
        "country": top("country", 2),
        "organisation": top("organisation", 2)[1:] or top("organisation", 1),
        "year": [years[len(years) // 3].value] if years else ["2016"],
    }
    out["facet_picks"] = picks
    out["rare_word"] = generate.RARE_WORD
    index_path = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    raw = raw_whoosh.RawWhoosh(index_path)
    vocabulary = re.findall(r"\b[a-z]+\b", " ".join(generate.seed_sentences() + generate.TEMPLATES))
    name_texts, out["name_reach"] = name_queries.name_texts(raw, lambda q, exact: svc._parse(q, exact), vocabulary)
    raw.close()
    mix = query_mix(generate.RARE_WORD, picks, name_texts)
    for item in mix:
        # What plain Whoosh and FTS5 are asked: the service's own parse (a name widened).
        item["raw_q"] = svc._parse(item["q"], item["exact"]).expression
    out["queries"] = len(mix)
    plain = [i for i, item in enumerate(mix) if item["kind"] in PLAIN_KINDS]

    # ---- service
    cpu_by_query = {i: [] for i in range(len(mix))}

    def run_service(label, n_rounds, collapse=False):
        times = {i: [] for i in range(len(mix))}
        results = {}
        for _ in range(n_rounds):
            for i, item in enumerate(tqdm(mix, desc=label, unit="q", file=sys.stderr, leave=False)):
                q = service_query(item, collapse)
                c0, t0 = time.process_time(), time.perf_counter()
                res = svc.search(q, per_page=PER_PAGE)
                times[i].append((time.perf_counter() - t0) * 1000)
                cpu_by_query[i].append((time.process_time() - c0) * 1000)
                results[i] = worker_parts.Answer.of(res)
        return times, results

    # The warm-up round is the first time each query runs in this process: per-segment
    # caches (term and phrase bitsets, facet sets, postings arrays) are cold.
    cold_times, _ = run_service("service warm-up (cold caches)", 1)
    cold = flat(cold_times, plain)
    out["search_cold_p50_ms"], out["search_cold_p95_ms"] = pct(cold, 50), pct(cold, 95)
    out["search_cold_max_ms"] = round(max(cold), 1)
    cpu_by_query = {i: [] for i in range(len(mix))}
    svc_times, svc_results = run_service("service", rounds)
    svc_cpu = cpu_by_query
    out["search_cpu_p50_ms"], out["search_cpu_p95_ms"] = pct(flat(svc_cpu, plain), 50), pct(flat(svc_cpu, plain), 95)
    out["search_p50_ms"], out["search_p95_ms"] = pct(flat(svc_times, plain), 50), pct(flat(svc_times, plain), 95)
    print(f"service: p50 {out['search_p50_ms']} ms, p95 {out['search_p95_ms']} ms", file=sys.stderr)
    run_service("service, versions collapsed (warm-up)", 1, collapse=True)
    collapsed, _ = run_service("service, versions collapsed", rounds, collapse=True)
    out["search_collapsed_p50_ms"] = pct(flat(collapsed, plain), 50)
    out["search_collapsed_p95_ms"] = pct(flat(collapsed, plain), 95)

    # ---- page through Django's test client
    client = Client()
    out.update(search_pages.measure(client, svc, mix, service_query, rounds, plain))
    out["worker_rss_mb"] = vm_hwm_mb()  # peak after the service + page mix
    print(f"page: p50 {out['page_p50_ms']} ms, p95 {out['page_p95_ms']} ms; "
          f"worker peak RSS {out['worker_rss_mb']} MB", file=sys.stderr)

    # ---- entity pages (/countries/tj/, /people/<slug>/ ...)
    out["entity_pages"] = entity_pages.measure(client, rounds)
    out["article_pages"] = article_pages.measure(client)

    # ---- raw Whoosh on the same index
    db_path = Path(settings.DATABASES["default"]["NAME"])

    def text_lookup(ids):
        import sqlite3

        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            marks = ",".join("?" * len(ids))
            rows = con.execute(f"SELECT id, title, text FROM sources_source WHERE id IN ({marks})",
                               [int(i) for i in ids]).fetchall()
        finally:
            con.close()
        return {str(r[0]): f"{r[1]}\n\n{r[2]}" for r in rows}

    t0 = time.perf_counter()
    raw = raw_whoosh.RawWhoosh(index_path, text_lookup=text_lookup)
    out["raw_whoosh_open_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    raw_times, raw_cpu, raw_results = worker_parts.time_rounds(
        "raw whoosh", lambda item: raw.query(item["raw_q"], item["filters"], item["sort"], item["page"], PER_PAGE),
        mix, rounds)
    out["raw_whoosh_p50_ms"], out["raw_whoosh_p95_ms"] = pct(flat(raw_times, plain), 50), pct(flat(raw_times, plain), 95)
    out["raw_whoosh_cpu_p50_ms"], out["raw_whoosh_cpu_p95_ms"] = pct(flat(raw_cpu, plain), 50), pct(flat(raw_cpu, plain), 95)
    raw.close()

    # ---- experiment: the same, with facet value lists cached per segment (see
    # raw_whoosh._CachedOverlapping): what the backend would gain from such a cache.
    # The plain kinds only: an experiment, not a check.
    raw = raw_whoosh.RawWhoosh(index_path, text_lookup=text_lookup, cached_facets=True)
    cached_times, cached_cpu, cached_results = worker_parts.time_rounds(
        "raw whoosh, cached facets",
        lambda item: raw.query(item["raw_q"], item["filters"], item["sort"], item["page"], PER_PAGE),
        [mix[i] for i in plain], rounds)
    cached_diff = sum(1 for j, res in cached_results.items()
                      if res.total != raw_results[plain[j]].total or res.facets != raw_results[plain[j]].facets)
    raw.close()
    cached_times, cached_cpu = flat(cached_times, range(len(plain))), flat(cached_cpu, range(len(plain)))
    out["raw_whoosh_cached_p50_ms"], out["raw_whoosh_cached_p95_ms"] = pct(cached_times, 50), pct(cached_times, 95)
    out["raw_whoosh_cached_cpu_p50_ms"], out["raw_whoosh_cached_cpu_p95_ms"] = pct(cached_cpu, 50), pct(cached_cpu, 95)
    out["raw_whoosh_cached_differs"] = cached_diff

    # ---- FTS5 on the same Sources
    fts_path = data_dir / "fts5.sqlite3"
    if not fts_path.exists():
        t0 = time.perf_counter()
        n = fts5.build(str(fts_path), worker_parts.fts_rows(Source))
        secs = time.perf_counter() - t0
        out["fts5_build_docs_per_s"] = round(n / secs, 1) if secs else None
    fts = fts5.Fts5(str(fts_path))
    fts_times, fts_cpu, fts_results = worker_parts.time_rounds(
        "fts5", lambda item: fts.query(item["raw_q"], item["filters"], item["sort"], item["page"], PER_PAGE),
        mix, rounds)
    out["fts5_p50_ms"], out["fts5_p95_ms"] = pct(flat(fts_times, plain), 50), pct(flat(fts_times, plain), 95)
    out["fts5_cpu_p50_ms"], out["fts5_cpu_p95_ms"] = pct(flat(fts_cpu, plain), 50), pct(flat(fts_cpu, plain), 95)

    # ---- correctness: service vs raw Whoosh (totals, the page's hits in order, facet counts)
    mismatches, fts_total_diff = worker_parts.compare(mix, svc_results, raw_results, fts_results)
    out["mismatch_count"] = len(mismatches)
    out["mismatches"] = mismatches[:50]
    out["fts5_total_differs"] = fts_total_diff[:20]
    out["fts5_total_differs_count"] = len(fts_total_diff)

    # ---- per query kind and per query
    times = {"service": svc_times, "service_cpu": svc_cpu, "cold": cold_times, "raw": raw_times, "fts5": fts_times}
    out["per_kind"] = name_queries.kind_stats(mix, times, raw_results)
    out["kind_targets"] = name_queries.target_check(out["per_kind"], args.docs)
    out["names_vs_word_p50"] = name_queries.median_ratio(out["per_kind"])
    out["per_query"] = [{
        "query": item["label"], "q": item["q"], "exact": item["exact"], "filters": item["filters"],
        "total": svc_results[i].total, "service_ms": round(min(svc_times[i]), 1),
        "raw_whoosh_ms": round(min(raw_times[i]), 1), "fts5_ms": round(min(fts_times[i]), 1),
    } for i, item in enumerate(mix)]

    # ---- update visibility: save through the ORM in a transaction, as the admin does.
    # After the comparisons: the save changes the index, and with it the scores (a
    # document's title grows) that plain Whoosh's order would be compared under.
    out.update(worker_parts.update_visible(svc, Source, transaction))

    # ---- profile: common word with three facet filters
    out.update(worker_parts.profile(svc, mix, service_query))

    Path(args.worker_out).write_text(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
