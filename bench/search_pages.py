"""The /search/ page in the bench's worker, through Django's test client: its time, its
CPU, and its own share (the request minus the service call inside it)."""

from __future__ import annotations

import sys
import time

from bench_util import flat, pct

PER_PAGE = 10


def _params(item):
    p = {"q": item["q"], "sort": item["sort"], "page": item["page"], "collapse": "0",
         "exact": "1" if item["exact"] else "0"}
    p.update(item["filters"])
    return p


def measure(client, svc, mix, service_query, rounds, counted):
    """Each query of the mix as a page, `rounds` times after a short warm-up; the figures
    are those of the queries at the indexes `counted`, and the page's own work for the
    others apart (page_own_others_*: the name kinds, whose highlighting has more to mark)."""
    from tqdm import tqdm

    for item in mix[:10]:
        client.get("/search/", _params(item))
    plain_search = svc.search
    inner_ms = []

    def timed_search(*args, **kwargs):  # the service call inside a page request
        t0 = time.perf_counter()
        try:
            return plain_search(*args, **kwargs)
        finally:
            inner_ms.append((time.perf_counter() - t0) * 1000)

    page_times, page_cpu, over_service, page_own = ({i: [] for i in range(len(mix))} for _ in range(4))
    bad_status = {}
    for _ in range(rounds):
        for i, item in enumerate(tqdm(mix, desc="page", unit="q", file=sys.stderr, leave=False)):
            # The same query through the service just before its page: page minus service
            # per query, less exposed to the machine's drift between the two phases than
            # the difference of their percentiles, but it still carries the service's
            # jitter between two calls of one query (±20 ms at 100k). The page's own
            # cost, exactly: the request minus the service call inside it.
            t0 = time.perf_counter()
            plain_search(service_query(item), per_page=PER_PAGE)
            service_ms = (time.perf_counter() - t0) * 1000
            inner_ms.clear()
            svc.search = timed_search
            c0, t0 = time.process_time(), time.perf_counter()
            try:
                resp = client.get("/search/", _params(item))
            finally:
                svc.search = plain_search
            page_times[i].append((time.perf_counter() - t0) * 1000)
            page_cpu[i].append((time.process_time() - c0) * 1000)
            over_service[i].append(page_times[i][-1] - service_ms)
            page_own[i].append(page_times[i][-1] - sum(inner_ms))
            if resp.status_code != 200:
                bad_status[item["label"]] = resp.status_code
    others = [i for i in range(len(mix)) if i not in set(counted)]
    out = {"page_own_others_p50_ms": pct(flat(page_own, others), 50),
           "page_own_others_p95_ms": pct(flat(page_own, others), 95)}
    page_times, page_cpu, over_service, page_own = (flat(d, counted) for d in (page_times, page_cpu, over_service, page_own))
    out["page_p50_ms"], out["page_p95_ms"] = pct(page_times, 50), pct(page_times, 95)
    out["page_cpu_p50_ms"], out["page_cpu_p95_ms"] = pct(page_cpu, 50), pct(page_cpu, 95)
    out["page_over_service_p50_ms"] = pct(over_service, 50)
    out["page_over_service_p95_ms"] = pct(over_service, 95)
    out["page_own_p50_ms"], out["page_own_p95_ms"] = pct(page_own, 50), pct(page_own, 95)
    if bad_status:
        out["page_bad_status"] = bad_status
    return out
