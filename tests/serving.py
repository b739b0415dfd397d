"""Helpers for the serving/safety tests: Sources made directly, a clean index, subprocesses
(manage.py, scripts, gunicorn) that see the test database and the test index.

Nothing here assumes SQLite: a subprocess gets a DATABASE_URL for whatever database the
test run uses (the file test database or PostgreSQL's test database).
"""

import itertools
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_counter = itertools.count(1)


def backend():
    from haystack import connections

    return connections["default"].get_backend()


def clear_index():
    backend().clear()


def index_pks():
    """pks (ints) of the Source documents in the index, read through haystack."""
    from haystack.query import SearchQuerySet

    from sources.models import Source

    sqs = SearchQuerySet().models(Source).all()
    total = sqs.count()
    return {int(r.pk) for r in sqs[0:max(total, 1)] if r is not None}


def database_url():
    """A URL for the database the tests use right now (the test database)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    if connection.vendor == "postgresql":
        user = quote(s.get("USER") or "", safe="")
        password = quote(s.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = s.get("HOST") or "localhost"
        port = f":{s['PORT']}" if s.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{s['NAME']}"
    raise AssertionError(f"no URL for database vendor {connection.vendor}")


def child_env(**extra):
    """Environment for a subprocess that must see this test run's database and index."""
    env = dict(os.environ)
    env.pop("ARCHIVE_DEBUG", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings"),
            "ARCHIVE_DATA_DIR": str(settings.DATA_DIR),
            "ARCHIVE_WHOOSH_PATH": settings.HAYSTACK_CONNECTIONS["default"]["PATH"],
            "DATABASE_URL": database_url(),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(*args, env=None, timeout=600, check=True):
    proc = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


SCRIPT_PRELUDE = """
import django, os, sys
django.setup()
"""


def script(code, env=None, **popen):
    """Start `python -c <prelude + code>` with Django set up on the test database."""
    return subprocess.Popen(
        [PYTHON, "-c", SCRIPT_PRELUDE + code],
        cwd=ROOT,
        env=env or child_env(),
        stdout=popen.pop("stdout", subprocess.PIPE),
        stderr=popen.pop("stderr", subprocess.PIPE),
        text=True,
        **popen,
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, limit=90):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"server exited {proc.returncode}\n{out}\n{err}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listening on port {port}")


@contextmanager
def gunicorn(env=None, workers=2, stdout_path=None):
    """gunicorn with the project's config on a free loopback port; yields (port, proc)."""
    port = free_port()
    env = dict(env or child_env())
    env.update({"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers)})
    out = open(stdout_path, "w+") if stdout_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "archive/gunicorn.conf.py",
         "archive.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT if stdout_path else subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group, as in a terminal
    )
    try:
        wait_for_port(port, proc)
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if stdout_path:
            out.close()


def signals_off():
    """Context manager: changes made inside it do not reach the index."""
    from django.apps import apps

    signal_processor = apps.get_app_config("haystack").signal_processor

    @contextmanager
    def _off():
        from sources import signals

        # Source QuerySet.update reindexes through signals.touch, not through signals.
        touch = signals.touch
        signal_processor.teardown()
        signals.touch = lambda *pks: None
        try:
            yield
        finally:
            signals.touch = touch
            signal_processor.setup()

    return _off()
