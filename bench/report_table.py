"""The bench's printed report: the summary table, the query kinds (bench/name_queries.py),
entity pages, mismatches and the profile's top rows."""

from __future__ import annotations

import article_pages
import entity_pages
import name_queries

TABLE = [
    ("docs", "articles", ""),
    ("import_docs_per_s", "import (incl. its index batch)", "docs/s"),
    ("import_store_docs_per_s", "  of which read + store", "docs/s"),
    ("import_index_docs_per_s", "  of which its index batch", "docs/s"),
    ("index_docs_per_s", "index build", "docs/s"),
    ("versions_precision", "versions found: precision (pairs)", ""),
    ("versions_recall", "versions found: recall (pairs)", ""),
    ("text_overlap_rows", "pairs sharing text (versions + passages)", ""),
    ("detect_versions_ms_per_doc", "detect_versions over the archive, per article", "ms"),
    ("search_p50_ms", "search service p50", "ms"),
    ("search_p95_ms", "search service p95", "ms"),
    ("search_collapsed_p50_ms", "  versions collapsed (the default) p50", "ms"),
    ("search_collapsed_p95_ms", "  versions collapsed (the default) p95", "ms"),
    ("search_cold_p50_ms", "  first run of each query (cold caches) p50", "ms"),
    ("search_cold_p95_ms", "  first run of each query (cold caches) p95", "ms"),
    ("search_cold_max_ms", "  first run of each query (cold caches) max", "ms"),
    ("page_p50_ms", "/search/ page p50", "ms"),
    ("page_p95_ms", "/search/ page p95", "ms"),
    ("page_over_service_p50_ms", "page minus a service call before it, p50", "ms"),
    ("page_over_service_p95_ms", "page minus a service call before it, p95", "ms"),
    ("page_own_p50_ms", "page minus the service call in it, p50", "ms"),
    ("page_own_p95_ms", "page minus the service call in it, p95", "ms"),
    ("page_own_others_p50_ms", "  the same for the name kinds, p50", "ms"),
    ("page_own_others_p95_ms", "  the same for the name kinds, p95", "ms"),
    ("raw_whoosh_p50_ms", "raw Whoosh p50", "ms"),
    ("raw_whoosh_p95_ms", "raw Whoosh p95", "ms"),
    ("raw_whoosh_cached_p50_ms", "raw Whoosh, facet lists cached p50", "ms"),
    ("raw_whoosh_cached_p95_ms", "raw Whoosh, facet lists cached p95", "ms"),
    ("fts5_p50_ms", "SQLite FTS5 p50", "ms"),
    ("fts5_p95_ms", "SQLite FTS5 p95", "ms"),
    ("search_vs_raw_whoosh_p50", "service p50 / raw Whoosh p50", "x"),
    ("search_cpu_p50_ms", "search service CPU p50", "ms"),
    ("page_cpu_p50_ms", "/search/ page CPU p50", "ms"),
    ("raw_whoosh_cpu_p50_ms", "raw Whoosh CPU p50", "ms"),
    ("raw_whoosh_cached_cpu_p50_ms", "raw Whoosh cached facets CPU p50", "ms"),
    ("fts5_cpu_p50_ms", "SQLite FTS5 CPU p50", "ms"),
    ("import_docs_per_cpu_s", "import per CPU-second", "docs"),
    ("index_docs_per_cpu_s", "index build per CPU-second", "docs"),
    ("update_visible_ms", "admin save -> searchable", "ms"),
    ("worker_rss_mb", "worker peak RSS", "MB"),
    ("index_mb", "Whoosh index", "MB"),
    ("fts5_mb", "FTS5 file", "MB"),
    ("names_vs_word_p50", "name kinds / a plain word of their reach, median", "x"),
    ("mismatch_count", "service vs raw Whoosh mismatches", ""),
]


def print_table(r):
    print("\n" + "=" * 60)
    print(f"The Archive benchmark  {r['date']}  commit {r.get('git_commit')}")
    m = r["machine"]
    print(f"{m['nproc']} CPUs ({m['cpu']}), {m['memory']}, load avg at start {m['loadavg_at_start']}, "
          f"at end {m.get('loadavg_at_end')}")
    print("-" * 60)
    for key, label, unit in TABLE:
        value = r.get(key)
        if value is None:
            continue
        if isinstance(value, float):
            value = f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"
        elif isinstance(value, int):
            value = f"{value:,}"
        print(f"{label:<36} {value:>12} {unit}")
    if r.get("per_kind"):
        print("-" * 60)
        name_queries.print_kinds(r["per_kind"], r["kind_targets"])
    if r.get("entity_pages"):
        print("-" * 60)
        entity_pages.print_table(r["entity_pages"])
    if r.get("article_pages"):
        article_pages.print_table(r["article_pages"])
    for mm in (r.get("mismatches") or [])[:10]:
        print("MISMATCH", mm)
    if r.get("profile_top"):
        print("-" * 60)
        print("profile: service, common word + 3 facet filters (cumulative s, top)")
        for row in r["profile_top"][:12]:
            print(f"  {row['cum_s']:>7.3f} {row['tot_s']:>7.3f} {row['calls']:>8}  {row['func']}")
    print("=" * 60)
    print(f"total {r.get('total_s')} s")
