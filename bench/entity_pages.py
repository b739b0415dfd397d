"""Entity pages in the benchmark's worker: /<kind>/<slug>/ for the entities with most
articles of each kind (country, organisation, person, outlet), first visits and repeats,
and each kind's list page. What issue 14 asks to report: the page's own work at p95."""

import statistics
import time

ENTITIES_PER_KIND = 10


def measure(client, rounds=2):
    from sources.entity_kinds import KINDS
    from sources.search import articles_per_value

    out = {}
    for kind in KINDS:
        listed, _ = kind.most_mentioned(articles_per_value(kind.facet), limit=ENTITIES_PER_KIND)
        entities = [entity for entity, _ in listed]
        urls = [f"/{kind.word}/{kind.slug_of(entity)}/" for entity in entities]
        first, repeat = [], []
        for round_ in range(rounds + 1):
            for url in urls:
                t0 = time.perf_counter()
                response = client.get(url)
                (first if round_ == 0 else repeat).append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        t0 = time.perf_counter()
        assert client.get(f"/{kind.word}/").status_code == 200
        out[kind.word] = {
            "pages": len(urls),
            "first_p50_ms": _pct(first, 50), "first_max_ms": round(max(first, default=0), 1),
            "p50_ms": _pct(repeat, 50), "p95_ms": _pct(repeat, 95),
            "list_ms": round((time.perf_counter() - t0) * 1000, 1),
        }
    return out


def _pct(values, p):
    if not values:
        return 0.0
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 1)


def print_table(results):
    print(f"{'entity pages (ms)':<22}{'first p50':>10}{'first max':>10}{'p50':>8}{'p95':>8}{'list':>8}")
    for word, v in results.items():
        print(f"{word:<22}{v['first_p50_ms']:>10.1f}{v['first_max_ms']:>10.1f}{v['p50_ms']:>8.1f}"
              f"{v['p95_ms']:>8.1f}{v['list_ms']:>8.1f}")
