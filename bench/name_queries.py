"""The names journalists type most, as query kinds of the bench's mix (issues 15 and 19).

Each name kind is timed beside two plain baselines, in the same run and the same mix
shape (filters, sorts, pages):

* ``<kind>:exact`` the same text with exact=1 (only the spelling typed, no other names);
* ``<kind>:word`` a plain word whose reach is closest to the name's widened reach,
  picked from the index's own terms (a word the service does not widen).

The service widens a name to its other names and spellings; plain Whoosh and FTS5 get
the query the service's own parse wrote (``sources.search._parse``), so they answer the
same question and the mismatch check holds for these kinds as for the others.
"""

from __future__ import annotations

import bisect
import re
import statistics

from bench_util import pct

#: kind -> what the journalist types. Organisations and people of sources/data that the
#: generated corpus writes (bench/generate.py, bench/name_text.py).
NAME_KINDS = {
    "alias": "ISIS",
    "alias_small": "IRPT",
    "org_quoted": '"Islamic State"',
    "org_plain": "Islamic State",
    "person_variant": "Khalimov",
    "person_rare": "Mirziyaev",
    "cyrillic": "Рахмон",
}
EXACT, WORD = ":exact", ":word"
#: Issue 19: a name query costs at most this many times its plain baseline.
MAX_RATIO = 1.5
_PLAIN_WORD = re.compile(r"[a-z]{4,}")


def name_texts(raw, parse, vocabulary):
    """kind -> {"q", "exact"} for the name kinds and both their baselines, and each name
    kind's unfiltered reach. `raw` is a bench/raw_whoosh.RawWhoosh; `parse(q, exact)` the
    service's parse; `vocabulary` the English words a baseline may be. Counted by plain
    Whoosh so that the service's caches stay cold for the timed warm-up round."""
    texts, reach = {}, {}
    for kind, q in NAME_KINDS.items():
        texts[kind] = {"q": q, "exact": False}
        texts[kind + EXACT] = {"q": q, "exact": True}
        reach[kind] = raw.count(parse(q, False).expression)
    for kind, word in reach_words(raw, reach, parse, vocabulary).items():
        texts[kind + WORD] = {"q": word, "exact": False}
    return texts, reach


def reach_words(raw, reach, parse, vocabulary):
    """kind -> the plain word whose document frequency is nearest the kind's reach: an
    English word of `vocabulary` (as written, not the index's stem of it: "since", not
    "sinc") that the index holds and the service does not widen. Between two frequencies
    as near, the smaller; among words of one frequency, the first in alphabetical order."""
    analyzer = raw.schema["text"].analyzer
    written = {}  # the index's term -> the shortest word written that stems to it
    for word in sorted(set(vocabulary), key=lambda w: (len(w), w)):
        stems = [t.text for t in analyzer(word)]
        if _PLAIN_WORD.fullmatch(word) and len(stems) == 1:
            written.setdefault(stems[0], word)
    reader = raw.searcher.reader()
    candidates = sorted((df, word) for df, word in ((reader.doc_frequency("text", t), w) for t, w in written.items())
                        if df and parse(word, False).expression == word)
    frequencies = [df for df, _ in candidates]
    out = {}
    for kind, target in reach.items():
        at = bisect.bisect_left(frequencies, target)
        near = [frequencies[i] for i in (at - 1, at) if 0 <= i < len(frequencies)]
        if not near:
            out[kind] = "government"
            continue
        df = min(near, key=lambda df: (abs(df - target), df))
        out[kind] = candidates[bisect.bisect_left(frequencies, df)][1]
    return out


def kind_stats(mix, times, results):
    """Per kind, in the mix's order: service p50/p95, its first run (cold caches: the
    kind's first query in the warm-up round) and the warm-up's worst, plain Whoosh and
    FTS5 p50, unfiltered hits; for a name kind its ratios to both baselines (wall p50,
    first run, CPU p50: the one to trust on a busy machine). `times`: {"service",
    "service_cpu", "cold", "raw", "fts5"} -> {mix index: [ms]}; `results`: mix index ->
    plain Whoosh's result."""
    per_kind = {}
    for kind in dict.fromkeys(item["kind"] for item in mix):
        idx = [i for i, item in enumerate(mix) if item["kind"] == kind]
        first = mix[idx[0]]
        service = [t for i in idx for t in times["service"][i]]
        cold = [t for i in idx for t in times["cold"][i]]
        per_kind[kind] = {
            "q": first["q"], "exact": first.get("exact", False),
            "service": pct(service, 50), "service_p95": pct(service, 95),
            "service_cpu": pct([t for i in idx for t in times["service_cpu"][i]], 50),
            "first_ms": round(times["cold"][idx[0]][0], 1), "first_max_ms": round(max(cold), 1),
            "raw_whoosh": pct([t for i in idx for t in times["raw"][i]], 50),
            "fts5": pct([t for i in idx for t in times["fts5"][i]], 50),
            "hits_unfiltered": results[idx[0]].total,
        }
    for kind in NAME_KINDS:
        if kind not in per_kind:
            continue
        row = per_kind[kind]
        for suffix, key in ((EXACT, "vs_exact"), (WORD, "vs_word")):
            base = per_kind.get(kind + suffix)
            if base and base["service"]:
                row[key] = round(row["service"] / base["service"], 2)
                row["first_" + key] = round(row["first_ms"] / base["first_ms"], 2) if base["first_ms"] else None
                row["cpu_" + key] = round(row["service_cpu"] / base["service_cpu"], 2) if base["service_cpu"] else None
    return per_kind


def target_check(per_kind, docs):
    """Issue 19's first target: every kind's service p95 within the limit for this size
    (100 ms to 100,000 articles, 300 ms at 1,000,000), every name kind at most MAX_RATIO
    times its plain baselines."""
    limit = 100.0 if docs <= 100_000 else 300.0
    rows = []
    for kind, row in per_kind.items():
        check = {"kind": kind, "p95_ms": row["service_p95"], "p95_limit_ms": limit,
                 "p95_ok": row["service_p95"] is not None and row["service_p95"] <= limit}
        if kind in NAME_KINDS:
            for key in ("vs_exact", "vs_word"):
                if row.get(key) is not None:
                    check[key] = row[key]
                    check["cpu_" + key] = row.get("cpu_" + key)
                    check[key + "_ok"] = row[key] <= MAX_RATIO
        rows.append(check)
    return {"rows": rows, "met": all(r["p95_ok"] and r.get("vs_exact_ok", True) and r.get("vs_word_ok", True)
                                      for r in rows)}


def print_kinds(per_kind, check):
    print(f"{'by query kind (ms)':<22}{'p50':>7}{'p95':>7}{'CPU':>7}{'first':>7}{'1st max':>8}{'raw':>7}"
          f"{'fts5':>7}{'÷exact':>7}{'÷word':>7}{'hits':>7}  query")
    for kind, v in per_kind.items():
        ratios = "".join(f"{v[k]:>7.2f}" if v.get(k) is not None else f"{'':>7}" for k in ("vs_exact", "vs_word"))
        q = v["q"] + (" (exact=1)" if v.get("exact") else "")
        print(f"{kind:<22}{v['service']:>7.1f}{v['service_p95']:>7.1f}{v['service_cpu']:>7.1f}"
              f"{v['first_ms']:>7.1f}{v['first_max_ms']:>8.1f}"
              f"{v['raw_whoosh']:>7.1f}{v['fts5']:>7.1f}{ratios}{v['hits_unfiltered']:>7}  {q}")
    over = [r["kind"] for r in check["rows"] if not r["p95_ok"]]
    print(f"target: every kind's service p95 <= {check['rows'][0]['p95_limit_ms']:.0f} ms: "
          + ("met" if not over else "NOT met by " + ", ".join(over)))
    for r in check["rows"]:
        if "vs_exact" in r or "vs_word" in r:
            verdicts = [f"x{r[key]:.2f} {label} (CPU x{r['cpu_' + key]}): " + ("met" if r[key + "_ok"] else "NOT met")
                        for key, label in (("vs_exact", "its exact=1"), ("vs_word", "a plain word of its reach"))
                        if key in r]
            print(f"target p50 <= x{MAX_RATIO}: {r['kind']:<15} " + "; ".join(verdicts))


def median_ratio(per_kind):
    """The name kinds' median p50 ratio to a plain word of similar reach (one figure for
    the report's summary)."""
    ratios = [per_kind[k]["vs_word"] for k in NAME_KINDS if per_kind.get(k, {}).get("vs_word")]
    return round(statistics.median(ratios), 2) if ratios else None
