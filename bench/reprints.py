#!/usr/bin/env python
"""Version detection, two ways, on one generated corpus with reprints (issue 16).

    python bench/reprints.py [--docs 2000] [--seed 1] [--json OUT]

The corpus is bench/generate.py's, reprints included (bench/reprint_copies.py: the
manifest's `version_of` is the truth). Both methods see the articles one by one, as an
import does, each looking up the earlier ones, and both check their candidates exactly
with sources.ingest.reprints.compare (what the archive stores), so they differ only in
how they find candidates:

* modm      the archive's own: the shingles whose hash is 0 mod SAMPLE_MODULUS, in a
            key -> articles table (the PassageKey table, here a dict); keys held by more
            than MAX_KEY_POSTINGS articles are boilerplate.
* minhash   datasketch's MinHash (NUM_PERM permutations) in a MinHashLSH at LSH_THRESHOLD.

Reported per method: precision and recall of the version pairs against the truth, the
shared-passage pairs found, candidates compared, and milliseconds per article (finding
plus checking; the shingling both share is reported apart). Pure Python: no database.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from sources.ingest import reprints  # noqa: E402

NUM_PERM = 128
LSH_THRESHOLD = 0.4  # Jaccard; a version with every edit is ~0.75, one paragraph dropped of six ~0.8


def corpus(docs, seed, folder):
    manifest = folder / "manifest.jsonl"
    generate.generate(docs, folder / "corpus", seed=seed, manifest=str(manifest), jobs=1, progress=False)
    metas = sorted((json.loads(line) for line in manifest.open(encoding="utf-8")), key=lambda m: m["n"])
    texts = [Path(m["path"]).read_text(encoding="utf-8") for m in metas]
    groups = defaultdict(list)
    for meta in metas:
        if "version_of" in meta:
            groups[meta["version_of"]].append(meta["n"])
    truth = {pair for members in groups.values() for pair in itertools.combinations(sorted(members), 2)}
    return texts, truth


def modm(printed):
    """As sources.versions does it, with a dict for the PassageKey table."""
    postings, key_counts = defaultdict(list), {}
    for n, fingerprint in enumerate(printed):
        common = Counter()
        keys = reprints.keys(fingerprint.distinct).tolist()
        for key in keys:
            holders = postings[key]
            if len(holders) <= reprints.MAX_KEY_POSTINGS:
                common.update(holders)
            holders.append(n)
        key_counts[n] = len(keys)
        yield n, reprints.candidates(common, key_counts, len(keys))


def minhash(printed):
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for n, fingerprint in enumerate(printed):
        sketch = MinHash(num_perm=NUM_PERM, hashfunc=int)
        sketch.update_batch((fingerprint.distinct.view("uint64") & 0xFFFFFFFF).tolist())
        yield n, lsh.query(sketch)
        lsh.insert(n, sketch)


def run(method, printed, truth):
    started = time.perf_counter()
    found, passages, compared = set(), 0, 0
    for n, candidates in method(printed):
        for other in candidates:
            compared += 1
            overlap = reprints.compare(printed[other], printed[n])
            if overlap.is_version:
                found.add((other, n))
            passages += overlap.is_shared_passage
    seconds = time.perf_counter() - started
    hits = len(found & truth)
    return {
        "precision": round(hits / len(found), 4) if found else None,
        "recall": round(hits / len(truth), 4) if truth else None,
        "version_pairs": len(found),
        "passage_pairs": passages,
        "compared": compared,
        "ms_per_article": round(seconds * 1000 / len(printed), 3),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-reprints-") as folder:
        texts, truth = corpus(args.docs, args.seed, Path(folder))
    started = time.perf_counter()
    printed = [reprints.Fingerprint.of(text) for text in texts]
    report = {
        "docs": args.docs, "seed": args.seed, "true_version_pairs": len(truth),
        "shingling_ms_per_article": round((time.perf_counter() - started) * 1000 / len(texts), 3),
        "modm": run(modm, printed, truth),
        "minhash": run(minhash, printed, truth),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
