"""The app under real gunicorn on loopback: configuration from the environment, static
files compressed and cached by WhiteNoise, no control socket in $HOME, clean Ctrl-C."""

import gzip
import http.client
import json
import os
import signal
import subprocess
from pathlib import Path

import brotli
import pytest

from .serving import PYTHON, ROOT, child_env, gunicorn, manage

pytestmark = pytest.mark.django_db(transaction=True)

GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def print_config(**env):
    full = dict(os.environ)
    for key in ("HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        full.pop(key, None)
    full.update(env)
    proc = subprocess.run(
        [GUNICORN, "--config", "archive/gunicorn.conf.py", "--print-config", "archive.wsgi"],
        cwd=ROOT, env=full, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    config = {}
    for line in proc.stdout.splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            config[key.strip()] = value.strip()
    return config


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_configuration_comes_from_the_environment():
    default = print_config()
    assert default["bind"] == "['127.0.0.1:8000']"
    assert default["control_socket_disable"] == "True"
    assert default["accesslog"] == "-"
    assert default["worker_class"] == "gthread"
    assert 2 <= int(default["workers"]) <= 8
    # Above the ~60 s the search backend waits for the index write lock.
    assert int(default["timeout"]) >= 90
    assert int(default["graceful_timeout"]) >= 10

    custom = print_config(HOST="0.0.0.0", PORT="9123", WEB_CONCURRENCY="3", GUNICORN_THREADS="2")
    assert custom["bind"] == "['0.0.0.0:9123']"
    assert custom["workers"] == "3"
    assert custom["threads"] == "2"
    assert print_config(HOST="::1", PORT="8001")["bind"] == "['[::1]:8001']"


@pytest.fixture
def production(tmp_path):
    """archive.settings (manifest + compressed static files) on the test database."""
    env = child_env(
        DJANGO_SETTINGS_MODULE="archive.settings",
        STATIC_ROOT=str(tmp_path / "static"),
        HOME=str(tmp_path / "home"),
    )
    env.pop("XDG_RUNTIME_DIR", None)
    (tmp_path / "home").mkdir()
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    return env, manifest, tmp_path


def test_static_files_are_compressed_and_cached_for_a_year(production):
    env, manifest, tmp_path = production
    hashed = manifest["css/archive.css"]
    assert hashed != "css/archive.css"  # a content hash in the name
    original = (ROOT / "static" / "css" / "archive.css").read_bytes()
    with gunicorn(env=env) as (port, _):
        status, headers, body = get(port, f"/static/{hashed}", {"Accept-Encoding": "br"})
        assert status == 200
        assert headers["content-encoding"] == "br"
        assert brotli.decompress(body) == original
        assert "max-age=315360000" in headers["cache-control"]
        assert "immutable" in headers["cache-control"]
        assert "accept-encoding" in headers["vary"].lower()
        assert headers["x-content-type-options"] == "nosniff"

        status, headers, body = get(port, f"/static/{hashed}", {"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["content-encoding"] == "gzip"
        assert gzip.decompress(body) == original

        status, headers, body = get(port, f"/static/{hashed}")
        assert status == 200 and "content-encoding" not in headers and body == original

        # Admin assets too (the admin works offline, without a CDN).
        status, headers, _ = get(port, "/static/" + manifest["admin/css/base.css"],
                                 {"Accept-Encoding": "gzip"})
        assert status == 200 and headers["content-encoding"] == "gzip"

        # Pages link the hashed names.
        status, headers, body = get(port, "/admin/login/")
        assert status == 200
        assert f"/static/{manifest['admin/css/base.css']}".encode() in body


def test_pages_under_gunicorn_no_control_socket_and_clean_ctrl_c(production):
    env, _, tmp_path = production
    log = tmp_path / "gunicorn.log"
    with gunicorn(env=env, stdout_path=log) as (port, proc):
        status, headers, body = get(port, "/admin/login/")
        assert status == 200
        assert headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        status, _, _ = get(port, "/sources/no-such-article/")
        assert status == 404
        # gunicorn 27 would create ~/.gunicorn/gunicorn.ctl; the config disables it.
        assert not (tmp_path / "home" / ".gunicorn").exists()
        assert list((tmp_path / "home").iterdir()) == []

        # Ctrl-C in a terminal: SIGINT to the whole process group, master and workers.
        # The server stops, exit status 0, no traceback.
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=120) == 0
    text = log.read_text()
    assert '"GET /admin/login/ HTTP/1.1" 200' in text  # access log on stdout
    assert "Traceback" not in text
    assert "Ctrl-C" in text
    assert "Search warm-up: " in text  # each worker searched once before serving
