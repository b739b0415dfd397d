#!/usr/bin/env bash
# django-haystack's own Whoosh backend tests, run against OUR backend
# (sources.whoosh_backend.ArchiveWhooshEngine instead of haystack's WhooshEngine).
#
#   tests/haystack_upstream.sh            # uses .venv/bin/python, prints pytest's summary
#   PYTHON=python3 tests/haystack_upstream.sh -x   # extra arguments go to pytest
#
# Fetches the sdist of the INSTALLED django-haystack version (pip download, cached in
# ~/.cache/archive-haystack-sdist) into a temporary folder, points its test settings'
# Whoosh connections at our engine and runs only test_haystack/whoosh_tests, with
# the INSTALLED haystack package (the sdist's copy is removed). Exit status: pytest's.
#
# Deselected tests: each one is listed below with the reason; they test a choice our
# backend makes differently on purpose (or need a package the Archive does not use),
# not a bug. Anything else that fails is a regression.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
VERSION="$("$PYTHON" -c 'import importlib.metadata as m; print(m.version("django-haystack"))')"
CACHE="${ARCHIVE_SDIST_CACHE:-$HOME/.cache/archive-haystack-sdist}"
mkdir -p "$CACHE"
SDIST="$(ls "$CACHE"/django_haystack-"$VERSION".tar.gz "$CACHE"/django-haystack-"$VERSION".tar.gz 2>/dev/null | head -1 || true)"
if [ -z "$SDIST" ]; then
    "$PYTHON" -m pip download --quiet --no-binary :all: --no-deps "django-haystack==$VERSION" -d "$CACHE"
    SDIST="$(ls "$CACHE"/django[_-]haystack-"$VERSION".tar.gz | head -1)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/haystack-upstream.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
tar -xzf "$SDIST" -C "$WORK"
SRC="$(ls -d "$WORK"/django[_-]haystack-"$VERSION")"
rm -rf "$SRC/haystack"  # test the installed package, not the sdist's copy

# Our engine for every Whoosh connection of the upstream settings.
sed -i 's/"haystack\.backends\.whoosh_backend\.WhooshEngine"/"sources.whoosh_backend.ArchiveWhooshEngine"/' \
    "$SRC/test_haystack/settings.py"
grep -q 'sources.whoosh_backend.ArchiveWhooshEngine' "$SRC/test_haystack/settings.py"

T=test_haystack/whoosh_tests
DESELECT=(
    # --- need pysolr (a Solr client; fail the same way with haystack's own engine) ---
    $T/test_whoosh_backend.py::LiveWhooshSearchQueryTestCase::test_log_query
    $T/test_whoosh_backend.py::LiveWhooshSearchQuerySetTestCase::test_cache_is_full
    $T/test_whoosh_backend.py::LiveWhooshSearchQuerySetTestCase::test_count
    $T/test_whoosh_backend.py::LiveWhooshSearchQuerySetTestCase::test_fill_cache
    $T/test_whoosh_backend.py::LiveWhooshSearchQuerySetTestCase::test_iter
    $T/test_whoosh_backend.py::LiveWhooshSearchQuerySetTestCase::test_manual_iter
    $T/test_whoosh_backend.py::LiveWhooshSearchQuerySetTestCase::test_slice
    $T/test_whoosh_backend.py::LiveWhooshSearchQuerySetTestCase::test_values_slicing
    #@DESIGN@ (filled below)
)

ARGS=()
for id in "${DESELECT[@]}"; do ARGS+=(--deselect "$id"); done
cd "$SRC"
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m pytest -q -p no:cacheprovider \
    -c /dev/null --rootdir "$SRC" --ds=test_haystack.settings -W ignore \
    "${ARGS[@]}" "$@" "$T"
