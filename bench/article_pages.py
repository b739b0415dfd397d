"""Article pages in the benchmark's worker: what issue 19 asks of an article page's first
visit in a quiet process, against a plain search page in the same process. Each article
is visited once (first visit: its related articles are found afresh) and once more; each
plain word is searched once, then again."""

import random
import statistics
import time

ARTICLES = 30
#: Plain words of the bench's corpus (bench/generate.py), each searched as a journalist would.
PLAIN_WORDS = ("government", "security", "border", "election", "minister", "police", "court", "water")


def measure(client, seed=7):
    from sources.models import Source

    slugs = list(Source.objects.published().order_by("pk").values_list("slug", flat=True))
    picked = random.Random(seed).sample(slugs, min(ARTICLES, len(slugs)))
    search_first = [_timed(client, "/search/", {"q": word}) for word in PLAIN_WORDS]
    search_again = [_timed(client, "/search/", {"q": word}) for word in PLAIN_WORDS]
    article_first = [_timed(client, f"/sources/{slug}/") for slug in picked]
    article_again = [_timed(client, f"/sources/{slug}/") for slug in picked]
    out = {
        "articles": len(picked),
        "search_first_p50_ms": _p50(search_first), "search_p50_ms": _p50(search_again),
        "article_first_p50_ms": _p50(article_first), "article_first_max_ms": round(max(article_first, default=0), 1),
        "article_again_p50_ms": _p50(article_again),
    }
    out["first_visit_vs_search"] = round(out["article_first_p50_ms"] / out["search_p50_ms"], 2) if out["search_p50_ms"] else None
    return out


def _timed(client, url, params=None):
    t0 = time.perf_counter()
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - t0) * 1000


def _p50(values):
    return round(statistics.median(values), 1) if values else 0.0


def print_table(r):
    print(f"article page first visit p50 {r['article_first_p50_ms']} ms (max {r['article_first_max_ms']}), "
          f"again {r['article_again_p50_ms']} ms; plain search page {r['search_p50_ms']} ms "
          f"(first {r['search_first_p50_ms']}): first visit ÷ search {r['first_visit_vs_search']}x (target ≤ 2)")
