"""Settings for the Archive. Everything a deployment changes comes from the environment.

The embedded default keeps all state (SQLite database, Whoosh index, generated secret key)
in ARCHIVE_DATA_DIR. DATABASE_URL and ARCHIVE_SEARCH_ENGINE/ARCHIVE_SEARCH_URL switch to a
server database and search engine without code changes.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Behind a TLS-terminating proxy set ARCHIVE_HTTPS=1: secure cookies, HSTS, redirects.
HTTPS = env_bool("ARCHIVE_HTTPS")
DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def load_secret_key():
    """SECRET_KEY from the environment, else one generated once and kept in DATA_DIR."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # O_EXCL: when several workers start at once, exactly one writes the key.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = load_secret_key()
DEBUG = env_bool("ARCHIVE_DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    # sources before haystack: its rebuild_index and update_index (which point to
    # `manage.py index`) take precedence over haystack's.
    "sources",
    "haystack",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "archive.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'archive.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers, an import and the admin write at once: WAL lets readers
    # go on during a write, and the timeout makes writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed admin logins: five tries per user and address, twenty per address over all
# usernames (archive.login_lockout), then a one-hour lock-out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "archive.login_lockout.AddressLimitHandler"
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies (ARCHIVE_PROXY_COUNT of them; 1 with ARCHIVE_HTTPS) every client
# would share the proxy's address, and five wrong passwords from anyone would lock a curator
# out: archive.client_ip reads the client's address from X-Forwarded-For instead.
PROXY_COUNT = int(os.environ.get("ARCHIVE_PROXY_COUNT", "1" if HTTPS else "0"))
AXES_CLIENT_IP_CALLABLE = "archive.client_ip.client_ip"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security defaults.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Search. The Whoosh index lives beside the database; another engine is a setting away.
SEARCH_ENGINE = os.environ.get("ARCHIVE_SEARCH_ENGINE", "engine.backend.ArchiveWhooshEngine")
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": SEARCH_ENGINE,
        "PATH": os.environ.get("ARCHIVE_WHOOSH_PATH", str(DATA_DIR / "whoosh")),
        "URL": os.environ.get("ARCHIVE_SEARCH_URL", ""),
        "INDEX_NAME": os.environ.get("ARCHIVE_SEARCH_INDEX", "archive"),
        # "Did you mean": haystack's engines keep a spelling vocabulary only when asked.
        "INCLUDE_SPELLING": True,
    }
}
HAYSTACK_SIGNAL_PROCESSOR = "sources.signals.OnCommitSignalProcessor"
# A failed index write must surface, not vanish: the database stays the source of truth
# and `manage.py index catch-up` / `index repair` fix what an outage left behind.
HAYSTACK_SILENTLY_FAIL = False
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 10

# Ingest limits.
ARCHIVE_MAX_FILE_BYTES = int(os.environ.get("ARCHIVE_MAX_FILE_BYTES", str(5 * 1024 * 1024)))
# Uploads in the admin (sources.uploads): one request's size, and what its zips may unpack to.
ARCHIVE_MAX_UPLOAD_BYTES = int(os.environ.get("ARCHIVE_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
ARCHIVE_MAX_UNPACKED_BYTES = int(os.environ.get("ARCHIVE_MAX_UNPACKED_BYTES", str(1024 * 1024 * 1024)))
ARCHIVE_MAX_UPLOAD_FILES = int(os.environ.get("ARCHIVE_MAX_UPLOAD_FILES", "20000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
