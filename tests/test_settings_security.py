"""Production settings: DEBUG off by default, `check --deploy` clean with the production
environment, HTTPS behaviour switchable for a TLS-terminating proxy."""

import json
import os
import secrets
import stat
import subprocess
import sys

import pytest
from django.test import override_settings

from .serving import ROOT

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_PROXY_SSL_HEADER": s.SECURE_PROXY_SSL_HEADER,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def production_env(tmp_path, **extra):
    """The environment of a deployment: archive.settings, nothing from the test run."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARCHIVE_", "SECURE_", "DJANGO_"))
        and key not in {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "archive.settings",
            "ARCHIVE_DATA_DIR": str(tmp_path / "data"),
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def settings_in(env):
    proc = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def check_deploy(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_debug_is_off_unless_asked(tmp_path):
    assert settings_in(production_env(tmp_path))["DEBUG"] is False
    assert settings_in(production_env(tmp_path, ARCHIVE_DEBUG="0"))["DEBUG"] is False
    assert settings_in(production_env(tmp_path, ARCHIVE_DEBUG="1"))["DEBUG"] is True


def test_production_static_files_are_compressed_and_hashed(tmp_path):
    backend = settings_in(production_env(tmp_path))["STATICFILES"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = production_env(
        tmp_path,
        ARCHIVE_HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="archive.example.org",
        CSRF_TRUSTED_ORIGINS="https://archive.example.org",
    )
    proc = check_deploy(env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues" in proc.stdout + proc.stderr


def test_check_deploy_is_clean_with_a_generated_secret_key(tmp_path):
    proc = check_deploy(production_env(tmp_path, ARCHIVE_HTTPS="1"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_deploy_complains_without_https(tmp_path):
    """The check is real: plain HTTP (no ARCHIVE_HTTPS) is reported."""
    proc = check_deploy(production_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(64)))
    assert proc.returncode != 0
    assert "security.W008" in proc.stdout + proc.stderr  # SECURE_SSL_REDIRECT


def test_https_settings_follow_the_environment(tmp_path):
    plain = settings_in(production_env(tmp_path))
    assert plain["SECURE_SSL_REDIRECT"] is False
    assert plain["SECURE_PROXY_SSL_HEADER"] is None
    assert plain["SESSION_COOKIE_SECURE"] is False
    assert plain["SECURE_HSTS_SECONDS"] == 0

    https = settings_in(production_env(tmp_path, ARCHIVE_HTTPS="1"))
    assert https["SECURE_SSL_REDIRECT"] is True
    assert https["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert https["SESSION_COOKIE_SECURE"] is True
    assert https["CSRF_COOKIE_SECURE"] is True
    assert https["SECURE_HSTS_SECONDS"] >= 31536000

    hosts = settings_in(production_env(tmp_path, ALLOWED_HOSTS="a.example, b.example"))
    assert hosts["ALLOWED_HOSTS"] == ["a.example", "b.example"]


def test_generated_secret_key_is_private_and_stable(tmp_path):
    env = production_env(tmp_path)
    first = settings_in(env)["SECRET_KEY"]
    second = settings_in(env)["SECRET_KEY"]
    assert first == second and len(first) >= 50
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings_in(production_env(tmp_path, SECRET_KEY="from-env" * 8))["SECRET_KEY"] == (
        "from-env" * 8
    )


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_behind_a_tls_proxy(client):
    """Plain HTTP is redirected to HTTPS; the proxy's X-Forwarded-Proto is believed;
    HSTS and secure cookies on HTTPS."""
    response = client.get("/admin/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/admin/login/"

    response = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response.cookies["csrftoken"]["secure"]
