"""Parts of the bench's query worker (bench/run.py) that stand on their own: the FTS5
baseline's rows, the admin-save-to-searchable poll, the service-versus-plain-Whoosh check
and the profile of one query."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_PAGE = 10


def time_rounds(label, ask, mix, rounds):
    """ask(item) for each item of the mix: a warm-up round, then `rounds` timed ones.
    Returns ({index: [wall ms]}, {index: [CPU ms]}, {index: last result})."""
    from tqdm import tqdm

    times, cpu, results = {i: [] for i in range(len(mix))}, {i: [] for i in range(len(mix))}, {}
    for r in range(rounds + 1):
        for i, item in enumerate(tqdm(mix, desc=label, unit="q", file=sys.stderr, leave=False)):
            c0, t0 = time.process_time(), time.perf_counter()
            results[i] = ask(item)
            if r:
                times[i].append((time.perf_counter() - t0) * 1000)
                cpu[i].append((time.process_time() - c0) * 1000)
    return times, cpu, results


@dataclass
class Answer:
    """What the comparison needs of a service answer. Kept instead of the answer itself:
    a page's hits and facet links take ~0.3 MB, and holding the whole mix's answers
    would make the worker's peak RSS the bench's rather than the service's."""

    total: int
    page: int
    ids: list[str]
    facets: dict[str, list[tuple[str, int]]]

    @classmethod
    def of(cls, results):
        return cls(results.total, results.page, [str(hit.source.pk) for hit in results.hits],
                   {name: [(fv.value, fv.count) for fv in values] for name, values in (results.facets or {}).items()})


def compare(mix, svc_results, raw_results, fts_results):
    """(mismatches between the service and plain Whoosh: totals, the page's hits in order,
    facet counts; FTS5's totals that differ from plain Whoosh's, for information)."""
    mismatches, fts_total_diff = [], []
    for i, item in enumerate(mix):
        s, w = svc_results[i], raw_results[i]
        if s.total != w.total:
            mismatches.append({"query": item["label"], "what": "total", "service": s.total, "raw": w.total})
        if s.page == item["page"] and s.ids != [str(pk) for pk in w.ids]:
            # (A page past the end: the service shows the last page, raw Whoosh nothing.)
            mismatches.append({"query": item["label"], "what": "hits", "service": s.ids,
                               "raw": [str(pk) for pk in w.ids]})
        mismatches += _facet_mismatches(item["label"], s.facets, w.facets)
        if fts_results[i].total != w.total:
            fts_total_diff.append({"query": item["label"], "fts5": fts_results[i].total, "raw": w.total})
    return mismatches, fts_total_diff


def _facet_mismatches(label, service_facets, raw_facets):
    out = []
    for name, values in service_facets.items():
        if name not in raw_facets:
            continue
        for value, count in values:
            if not count and value not in raw_facets[name]:
                continue  # a selected value shown with 0
            expected = raw_facets[name].get(value, 0)
            if count != expected:
                out.append({"query": label, "what": f"facet {name}={value}", "service": count, "raw": expected})
    return out


def fts_rows(Source):
    from sources.search_indexes import SourceIndex

    idx = SourceIndex()
    qs = Source.objects.published().for_listing().order_by("pk")
    for obj in qs.iterator(chunk_size=500):
        year = idx.prepare_year(obj)
        yield {
            "django_id": obj.pk, "title": obj.title, "text": obj.text,
            "published": obj.published.isoformat() if obj.published and obj.publication_year else None,
            "year": year, "countries": idx.prepare_country(obj),
            "organisations": idx.prepare_organisation(obj), "years": idx.prepare_mentioned_year(obj),
        }


def update_visible(svc, Source, transaction, timeout=120.0):
    token = "zqxbenchmark%d" % int(time.time())
    source = Source.objects.published().order_by("pk").first()
    if source is None:
        return {"update_visible_ms": None}
    t0 = time.perf_counter()
    with transaction.atomic():
        source.title = f"{source.title} {token}"
        source.save()
    saved_ms = (time.perf_counter() - t0) * 1000
    polls = 0
    while True:
        polls += 1
        if svc.search(svc.SearchQuery(q=token), per_page=PER_PAGE).total >= 1:
            break
        if time.perf_counter() - t0 > timeout:
            return {"update_visible_ms": None, "update_visible_note": f"not visible after {timeout:.0f} s"}
        time.sleep(0.01)
    ms = (time.perf_counter() - t0) * 1000
    print(f"update visible after {ms:.0f} ms (save {saved_ms:.0f} ms, {polls} polls)", file=sys.stderr)
    return {"update_visible_ms": round(ms, 1), "update_save_ms": round(saved_ms, 1)}


def profile(svc, mix, service_query, repeat=5):
    import cProfile
    import io
    import pstats

    item = next(it for it in mix if it["kind"] == "common" and len(it["filters"]) == 3
                and it["sort"] == "relevance" and it["page"] == 1)
    item = dict(item, filters={k: v for k, v in item["filters"].items()})
    q = service_query(item)
    svc.search(q, per_page=PER_PAGE)
    pr = cProfile.Profile()
    t0 = time.perf_counter()
    pr.enable()
    for _ in range(repeat):
        svc.search(q, per_page=PER_PAGE)
    pr.disable()
    wall = (time.perf_counter() - t0) * 1000 / repeat
    # Also the unfiltered common word (the facet collector walks every match).
    item0 = next(it for it in mix if it["kind"] == "common" and not it["filters"]
                 and it["sort"] == "relevance" and it["page"] == 1)
    q0 = service_query(item0)
    pr0 = cProfile.Profile()
    pr0.enable()
    for _ in range(repeat):
        svc.search(q0, per_page=PER_PAGE)
    pr0.disable()

    def rows(prof):
        st = pstats.Stats(prof)
        table = []
        for (fn, line, name), (cc, nc, tt, ct, callers) in st.stats.items():
            short = fn.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
            table.append({"func": f"{short}:{line}({name})", "calls": nc,
                          "tot_s": round(tt / repeat, 4), "cum_s": round(ct / repeat, 4)})
        table.sort(key=lambda r: -r["cum_s"])
        return table

    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(30)
    by_tot = sorted(rows(pr), key=lambda r: -r["tot_s"])[:25]
    return {
        "profile_query": item["label"] + f" {item['q']} {item['filters']}",
        "profile_wall_ms": round(wall, 1),
        "profile_top": rows(pr)[:40],
        "profile_top_self": by_tot,
        "profile_unfiltered_top": rows(pr0)[:30],
        "profile_unfiltered_self": sorted(rows(pr0), key=lambda r: -r["tot_s"])[:20],
    }

