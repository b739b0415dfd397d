"""Test settings: the production settings, with all state in a fresh temporary folder."""

import atexit
import os
import shutil
import tempfile

if "ARCHIVE_DATA_DIR" not in os.environ:
    # Made here, removed when this process ends; processes the tests start inherit it.
    os.environ["ARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="archive-test-")
    atexit.register(shutil.rmtree, os.environ["ARCHIVE_DATA_DIR"], ignore_errors=True)

from archive.settings import *  # noqa: E402,F403

# Tests render pages without running collectstatic first.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# A file database, so that tests with several processes (gunicorn, concurrent writers)
# see the same data as the test itself.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

# Fast password hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# WhiteNoise looks for STATIC_ROOT at start-up; tests serve from the app folders instead.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
