"""gunicorn settings for the Archive: `gunicorn --config archive/gunicorn.conf.py archive.wsgi`.

Everything a deployment changes comes from the environment:

  HOST, PORT          address to bind (default 127.0.0.1:8000; loopback unless asked)
  WEB_CONCURRENCY     worker processes (default one per core, at least 2, at most 8)
  GUNICORN_THREADS    threads per worker (default 4)
  GUNICORN_TIMEOUT    seconds before a silent worker is killed (default 120)
  GUNICORN_GRACEFUL_TIMEOUT  seconds in-flight requests get on shut-down (default 30)

Static files are served by WhiteNoise inside the app (compressed, manifest-named, cached
for a year), so no separate web server is needed in the embedded set-up.
"""

import multiprocessing
import os
import signal


def _int_env(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _default_workers():
    # One per core, not gunicorn's 2 x cores + 1: a search is CPU work, and each process
    # builds its own per-segment caches (its threads share them). Load test at 100,000
    # articles on 2 cores: 5 workers 5.5 requests/s, article pages p95 48 s; 2 workers
    # 21.9/s, 2.5 s. Past 8 an embedded Whoosh index (one writer, many readers each
    # holding open segment files) gains nothing.
    try:
        cores = multiprocessing.cpu_count()
    except NotImplementedError:
        cores = 1
    return max(2, min(cores, 8))


host = os.environ.get("HOST", "127.0.0.1").strip() or "127.0.0.1"
port = _int_env("PORT", 8000)
bind = [f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"]

workers = _int_env("WEB_CONCURRENCY", _default_workers())
threads = _int_env("GUNICORN_THREADS", 4)
worker_class = "gthread"

# An admin save can wait for the Whoosh write lock: the search backend retries it for up
# to ~60 s before giving up. The worker timeout must be well above that, or gunicorn
# would kill the worker in the middle of a save.
timeout = _int_env("GUNICORN_TIMEOUT", 120)
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Bound request size and header abuse (uploads do not go through the web app).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = _int_env("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200

# Logs to the terminal / journal: access log and error log on stdout/stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

proc_name = "archive"

# gunicorn >= 25.1 opens a control socket by default ($XDG_RUNTIME_DIR/gunicorn.ctl or
# ~/.gunicorn/gunicorn.ctl). The Archive does not use gunicornc; do not leave a socket
# (and a folder) in the user's home.
control_socket_disable = True

# Only trust X-Forwarded-* from a proxy on this machine (the default); a TLS proxy on
# another host is named with FORWARDED_ALLOW_IPS, which gunicorn reads itself.


def on_starting(server):
    """Make Ctrl-C graceful: the first SIGINT lets in-flight requests finish.

    gunicorn treats SIGINT as a quick shutdown (workers exit at once, an admin save in
    progress would be cut off). Here the first Ctrl-C stops the listeners and gives the
    workers graceful_timeout seconds; a second Ctrl-C during that wait still forces a
    quick exit (gunicorn's own "Quick shutdown requested" path).
    """

    def handle_int():
        server.log.info("Ctrl-C: finishing requests in flight (Ctrl-C again to force)")
        server.stop(graceful=True)
        raise StopIteration

    server.handle_int = handle_int


def post_worker_init(worker):
    # Ctrl-C in a terminal reaches every process in the foreground group, workers too.
    # Workers ignore it and wait for the master's SIGTERM (graceful) or SIGQUIT (forced).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm_up(worker)


def _warm_up(worker):
    """Load the search engine's caches before this worker serves (sources.warm_up): a
    worker also starts anew after max_requests."""
    from sources.warm_up import warm_up

    try:
        seconds = warm_up(between_steps=worker.notify)
    except Exception as exc:  # no index yet, a database being migrated: serve anyway
        worker.log.warning("Search warm-up skipped: %s: %s", type(exc).__name__, exc)
    else:
        worker.log.info("Search warm-up: %.1f s", seconds)
