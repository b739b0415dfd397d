#!/usr/bin/env python
"""Load test: the real server (gunicorn + the project's config) under concurrent searches
while a curator saves articles in the admin.

    .venv/bin/python bench/load.py --seconds 60 --connections 16 [--docs 1000 | --data-dir D]

What it does, all on loopback and in a temporary ARCHIVE_DATA_DIR (SQLite + Whoosh, the
embedded default; --database-url to use a server database instead):

1. migrate, collectstatic, import the seeds plus a generated corpus (bench/generate.py,
   --docs articles; 0 for the seeds only), index catch-up;
2. create a superuser with a random password;
3. start gunicorn on a free 127.0.0.1 port with archive/gunicorn.conf.py;
4. for --seconds: --connections threads (http.client, keep-alive) request a bounded mix
   of real queries: words from the titles, facet filters with real values, sorting,
   paging, the JSON API, article pages, the home page; meanwhile one more thread logs
   into the admin and posts Source change forms (a title edit) every --save-every s;
5. prints requests/s, p50/p95/p99 latency (overall and per kind), errors and each gunicorn
   worker's peak resident memory, and writes
   them as JSON (--json, default bench/out/load-<timestamp>.json).

Not part of the test suite: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")


# --- set-up ---------------------------------------------------------------------------------


def run(args, env, **kwargs):
    started = time.monotonic()
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc, time.monotonic() - started


def manage(env, *args):
    return run([PYTHON, "manage.py", *args], env)


FACTS = r"""
import json, random
from django.db.models import Count
from sources.models import Country, Organisation, Source, MentionedYear
published = Source.objects.published()
countries = list(Country.objects.filter(source__is_published=True).annotate(n=Count("source"))
                 .order_by("-n").values_list("name", flat=True)[:15])
orgs = list(Organisation.objects.filter(source__is_published=True).annotate(n=Count("source"))
            .order_by("-n").values_list("name", flat=True)[:15])
years = sorted({d.year for d in published.exclude(published=None).dates("published", "year")})
slugs = list(published.order_by("?").values_list("slug", flat=True)[:200])
words = set()
for title in published.order_by("?").values_list("title", flat=True)[:400]:
    words.update(w.lower() for w in title.split() if w.isalpha() and len(w) > 4)
pks = list(published.order_by("?").values_list("pk", flat=True)[:50])
print(json.dumps({"countries": countries, "organisations": orgs, "years": years,
                  "slugs": slugs, "words": sorted(words)[:300], "pks": pks,
                  "total": published.count()}))
"""

MAKE_ADMIN = r"""
from django.contrib.auth import get_user_model
User = get_user_model()
User.objects.filter(username="loadtest").delete()
User.objects.create_superuser("loadtest", "loadtest@example.org", "%s")
"""


def query_mix(facts, size, seed=7):
    """A bounded, deterministic list of (kind, path)."""
    rng = random.Random(seed)
    words = facts["words"] or ["kazakhstan", "security", "government"]
    countries = facts["countries"] or [""]
    orgs = facts["organisations"] or [""]
    years = [str(y) for y in facts["years"]] or ["2016"]
    slugs = facts["slugs"]
    mix = []
    for _ in range(size):
        roll = rng.random()
        word = rng.choice(words)
        if roll < 0.25:
            mix.append(("search", "/search/?" + urlencode({"q": word})))
        elif roll < 0.40:
            mix.append(("search", "/search/?" + urlencode({"q": word, "country": rng.choice(countries)})))
        elif roll < 0.50:
            mix.append(("search", "/search/?" + urlencode(
                {"country": rng.choice(countries), "organisation": rng.choice(orgs)})))
        elif roll < 0.58:
            mix.append(("search", "/search/?" + urlencode({"year": rng.choice(years), "sort": "newest"})))
        elif roll < 0.63:
            mix.append(("search", "/search/?" + urlencode({"q": word, "page": 2})))
        elif roll < 0.66:
            two = " ".join(rng.sample(words, 2)) if len(words) > 1 else word
            mix.append(("search", "/search/?" + urlencode({"q": f'"{two}" OR {word}', "sort": "oldest"})))
        elif roll < 0.80:
            mix.append(("api", "/api/search?" + urlencode(
                {"q": word, "country": rng.choice(countries)})))
        elif roll < 0.95 and slugs:
            mix.append(("article", f"/sources/{rng.choice(slugs)}/"))
        else:
            mix.append(("home", "/"))
    return mix


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, limit=120):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


# --- clients --------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (kind, seconds, status)
        self.errors = []

    def add(self, kind, seconds, status, detail=None):
        with self.lock:
            self.samples.append((kind, seconds, status))
            if detail:
                self.errors.append(detail)


def reader(port, mix, deadline, recorder, seed):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    order = list(range(len(mix)))
    rng.shuffle(order)
    i = 0
    while time.monotonic() < deadline:
        kind, path = mix[order[i % len(order)]]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
            status = response.status
            elapsed = time.perf_counter() - started
            ok = status in (200, 404) if kind == "search" and "page=2" in path else status == 200
            # The admin saver's title edits give an article a new slug; the old one redirects.
            moved = kind == "article" and status == 301 and (response.getheader("Location") or "").startswith("/sources/")
            ok = ok or moved
            recorder.add(kind, elapsed, status, None if ok else f"{status} {path}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            recorder.add(kind, time.perf_counter() - started, 0, f"{type(exc).__name__}: {exc} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.close()


class FormParser(HTMLParser):
    """The fields of the first form with method=post (as a browser would submit it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = []
        self.in_form = False
        self.done = False
        self.textarea = None
        self.select = None
        self.select_value = None
        self.first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post" and "id" in a and a["id"].endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a.get("name")
            if not name or kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.select_value = None
            self.first_option = None
            self.multiple = "multiple" in a
            self.selected = []
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in a:
                self.selected.append(value)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True
        elif tag == "textarea" and self.textarea:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select:
            if self.selected:
                self.fields.extend((self.select, v) for v in self.selected)
            elif not self.multiple and self.first_option is not None:
                self.fields.append((self.select, self.first_option))
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


class AdminClient:
    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)

    def _headers(self, extra=None):
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(self, method, path, body=None):
        headers = self._headers()
        if body is not None:
            body = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data.decode("utf-8", "replace")

    def csrf(self):
        return self.cookies.get("csrftoken", "")

    def login(self, password):
        self.request("GET", "/admin/login/")
        status, headers, _ = self.request(
            "POST", "/admin/login/?next=/admin/",
            {"username": "loadtest", "password": password, "csrfmiddlewaretoken": self.csrf(),
             "next": "/admin/"},
        )
        if status != 302:
            sys.exit(f"admin login failed: {status}")

    def save(self, pk, n):
        path = f"/admin/sources/source/{pk}/change/"
        status, _, html = self.request("GET", path)
        if status != 200:
            return status, f"GET {path}: {status}"
        parser = FormParser()
        parser.feed(html)
        fields = [(k, v) for k, v in parser.fields if k != "_saveasnew"]
        fields = [(k, re.sub(r" \[load \d+\]$", "", v) + f" [load {n}]") if k == "title" else (k, v)
                  for k, v in fields]
        fields.append(("_save", "Save"))
        status, headers, html = self.request("POST", path, dict_multi(fields))
        if status != 302:
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
            return status, f"POST {path}: {status} {errors[:3]}"
        return status, None


def dict_multi(pairs):
    return pairs  # urlencode accepts a list of pairs (repeated keys kept)


def admin_saver(port, password, pks, deadline, recorder, every):
    client = AdminClient(port)
    client.login(password)
    n = 0
    rng = random.Random(11)
    while time.monotonic() < deadline:
        n += 1
        pk = rng.choice(pks)
        started = time.perf_counter()
        try:
            status, error = client.save(pk, n)
        except Exception as exc:  # noqa: BLE001
            status, error = 0, f"{type(exc).__name__}: {exc}"
        recorder.add("admin_save", time.perf_counter() - started, status, error)
        pause = every - (time.perf_counter() - started)
        if pause > 0:
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))


# --- report ---------------------------------------------------------------------------------


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def summary(samples, seconds):
    times = sorted(s for _, s, _ in samples)
    ms = lambda v: None if v is None else round(v * 1000, 1)  # noqa: E731
    return {
        "requests": len(samples),
        "per_second": round(len(samples) / seconds, 1) if seconds else None,
        "p50_ms": ms(percentile(times, 50)),
        "p95_ms": ms(percentile(times, 95)),
        "p99_ms": ms(percentile(times, 99)),
        "max_ms": ms(times[-1] if times else None),
        "mean_ms": ms(statistics.fmean(times) if times else None),
    }


def machine():
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model or platform.processor(),
            "python": platform.python_version(), "system": platform.platform()}


def worker_memory(master_pid):
    """Peak and current resident memory (MB) of each gunicorn worker (the master's children)."""
    peaks, now = [], []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() != str(master_pid):
            continue
        peaks.append(round(int(fields["VmHWM"].split()[0]) / 1024, 1))
        now.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return {"workers": len(peaks), "peak_max": max(peaks, default=None), "peak": sorted(peaks),
            "now": sorted(now)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--docs", type=int, default=1000, help="generated articles besides the seeds")
    ap.add_argument("--workers", type=int, help="gunicorn workers (default: the config's)")
    ap.add_argument("--save-every", type=float, default=1.0, help="seconds between admin saves")
    ap.add_argument("--mix", type=int, default=500, help="distinct requests in the query mix")
    ap.add_argument("--database-url", help="use this database instead of SQLite in the temp dir")
    ap.add_argument("--json", help="write results here (default bench/out/load-<time>.json)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    ap.add_argument("--data-dir", help="serve this prepared ARCHIVE_DATA_DIR (e.g. a bench/run.py "
                    "--prepare-only folder) instead of importing into a temporary one")
    args = ap.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="archive-load-"))
    data_dir = Path(args.data_dir).resolve() if args.data_dir else workdir / "data"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ARCHIVE_", "DJANGO_")) and k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "ARCHIVE_DATA_DIR": str(data_dir),
        "STATIC_ROOT": str(workdir / "static"),
        "PYTHONPATH": str(ROOT),
        "GUNICORN_LOG_LEVEL": "warning",
    })
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    timings = {}
    proc = None
    try:
        print(f"Data in {workdir}", flush=True)
        _, timings["migrate_s"] = manage(env, "migrate", "--noinput")
        _, timings["collectstatic_s"] = manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        if not args.data_dir:
            paths = [str(ROOT / "seeds")]
            if args.docs > 0 and (ROOT / "bench" / "generate.py").exists():
                _, timings["generate_s"] = run(
                    [PYTHON, "bench/generate.py", "--docs", str(args.docs), "--out",
                     str(workdir / "corpus"), "--quiet"], env)
                paths.append(str(workdir / "corpus"))
            print(f"Importing {' '.join(paths)} ...", flush=True)
            _, timings["import_s"] = manage(env, "import_sources", *paths)
            _, timings["catch_up_s"] = manage(env, "index", "catch-up", "--no-progress")
        password = secrets.token_urlsafe(18)
        manage(env, "shell", "-c", MAKE_ADMIN % password)
        facts = json.loads(manage(env, "shell", "-c", FACTS)[0].stdout.strip().splitlines()[-1])
        mix = query_mix(facts, args.mix)
        print(f"{facts['total']} published articles; {len(mix)} distinct requests", flush=True)

        port = free_port()
        genv = dict(env, HOST="127.0.0.1", PORT=str(port))
        if args.workers:
            genv["WEB_CONCURRENCY"] = str(args.workers)
        log = open(workdir / "gunicorn.log", "w")
        proc = subprocess.Popen([GUNICORN, "--config", "archive/gunicorn.conf.py", "archive.wsgi"],
                                cwd=ROOT, env=genv, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        wait_for_port(port, proc)
        # Warm-up: every worker opens the index once.
        warm = Recorder()
        reader(port, mix[:20], time.monotonic() + 3, warm, 0)

        recorder = Recorder()
        print(f"Load: {args.connections} connections for {args.seconds:.0f} s, "
              f"admin save every {args.save_every} s", flush=True)
        started = time.monotonic()
        deadline = started + args.seconds
        threads = [threading.Thread(target=reader, args=(port, mix, deadline, recorder, i))
                   for i in range(args.connections)]
        if facts["pks"]:
            threads.append(threading.Thread(
                target=admin_saver,
                args=(port, password, facts["pks"], deadline, recorder, args.save_every)))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        workers_rss = worker_memory(proc.pid)

        samples = recorder.samples
        reads = [s for s in samples if s[0] != "admin_save"]
        result = {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(),
            "seconds": round(elapsed, 1),
            "connections": args.connections,
            "workers": int(genv.get("WEB_CONCURRENCY") or 0) or "config default",
            "articles": facts["total"],
            "database": "DATABASE_URL" if args.database_url else "SQLite (embedded)",
            "setup": {k: round(v, 1) for k, v in timings.items()},
            "reads": summary(reads, elapsed),
            "by_kind": {kind: summary([s for s in samples if s[0] == kind], elapsed)
                        for kind in sorted({s[0] for s in samples})},
            "errors": len(recorder.errors),
            "error_examples": recorder.errors[:10],
            "worker_rss_mb": workers_rss,
        }
        out = Path(args.json) if args.json else ROOT / "bench" / "out" / (
            "load-" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S") + ".json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")

        r = result["reads"]
        print(f"\nReads: {r['requests']} in {elapsed:.1f} s = {r['per_second']} req/s; "
              f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms")
        for kind, s in result["by_kind"].items():
            print(f"  {kind:11} {s['requests']:7} req  p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  "
                  f"p99 {s['p99_ms']} ms")
        print(f"gunicorn workers: peak resident {workers_rss['peak_max']} MB (largest worker), "
              f"now {workers_rss['now']} MB")
        print(f"Errors: {result['errors']}")
        for example in result["error_examples"]:
            print(f"  {example}")
        print(f"JSON: {out}")
        return 1 if result["errors"] else 0
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
