#!/usr/bin/env python
"""How well the archive found the generated corpus's versions (issue 16), after an import.

    ARCHIVE_DATA_DIR=... python bench/versions_quality.py MANIFEST.jsonl

Truth: the manifest's `version_of` (bench/reprint_copies.py). Found: the archive's version
groups (sources.versions), every pair of members a pair. Prints one JSON object:
precision and recall of the pairs, groups found and meant, pairs of articles that share a
passage (TextOverlap rows that are not versions). bench/run.py runs it after the import.
"""
from __future__ import annotations

import itertools
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pairs(groups):
    return {pair for members in groups for pair in itertools.combinations(sorted(members), 2)}


def main(manifest):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from sources.models import Source, TextOverlap, VersionMembership

    number_of = {}
    meant = defaultdict(list)
    for line in open(manifest, encoding="utf-8"):
        meta = json.loads(line)
        number_of[Path(meta["path"]).name] = meta["n"]
        if "version_of" in meta:
            meant[meta["version_of"]].append(meta["n"])
    files = dict(Source.objects.values_list("pk", "source_file"))
    found = defaultdict(list)
    for source_pk, group in VersionMembership.objects.values_list("source_id", "group_id"):
        number = number_of.get(Path(files[source_pk]).name)
        if number is not None:
            found[group].append(number)
    truth, got = pairs(meant.values()), pairs(found.values())
    hits = len(truth & got)
    print(json.dumps({
        "versions_precision": round(hits / len(got), 4) if got else None,
        "versions_recall": round(hits / len(truth), 4) if truth else None,
        "versions_groups_found": len(found),
        "versions_groups_meant": len(meant),
        "text_overlap_rows": TextOverlap.objects.count(),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
