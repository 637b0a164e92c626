"""Settings for every environment, driven by environment variables.

Development defaults are safe and need nothing set. ``COPRODUCE_ENV=production`` turns on the
production posture and refuses to start without a real secret key and allowed hosts.
Every variable is listed in docs/operations.md (a test keeps that list complete).
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Any

# civic_algorithms: OpenBLAS threads fight the web and task processes for the cores, which slows a
# panel's draw several times over on a busy machine (decision 0067). Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("COPRODUCE_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    """Read one environment variable as text."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Read an environment variable as a yes/no flag."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


ENVIRONMENT = env("COPRODUCE_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("COPRODUCE_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a random value of at least 50 characters.")
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only-key-never-use-it-anywhere-public-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver,[::1]"
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the host names the site answers on.")

# The public ledger signs its tree heads with this Ed25519 key: base64 of the raw 32-byte private
# key (docs/ledger.md). Required in production. In development and tests it is derived from the
# secret key and labelled "development key" on /ledger/: never publish anything signed by it.
LEDGER_SIGNING_KEY = env("COPRODUCE_LEDGER_SIGNING_KEY")
LEDGER_SIGNING_KEY_IS_DEVELOPMENT = not LEDGER_SIGNING_KEY
if PRODUCTION and LEDGER_SIGNING_KEY_IS_DEVELOPMENT:
    raise ImproperlyConfigured(
        "Set COPRODUCE_LEDGER_SIGNING_KEY to the base64 of a random 32-byte Ed25519 private key "
        "(docs/ledger.md says how to make one)."
    )
if LEDGER_SIGNING_KEY_IS_DEVELOPMENT:
    LEDGER_SIGNING_KEY = base64.b64encode(
        hashlib.sha256(b"coproduce ledger development key\n" + SECRET_KEY.encode()).digest()
    ).decode()
try:
    if len(base64.b64decode(LEDGER_SIGNING_KEY, validate=True)) != 32:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        "COPRODUCE_LEDGER_SIGNING_KEY must be the base64 of exactly 32 bytes."
    ) from None

# Equality answers (issue 16) are encrypted at rest with Fernet keys: a comma-separated list of
# url-safe base64 32-byte keys; the first encrypts, every one decrypts, so a new key goes first to
# rotate (docs/equality.md). Required in production: a key derived from the secret key would make
# every answer unreadable the day the secret key changes. Derived from it in development and tests.
EQUALITY_KEYS = env_list("COPRODUCE_EQUALITY_KEYS")
if PRODUCTION and not EQUALITY_KEYS:
    raise ImproperlyConfigured(
        "Set COPRODUCE_EQUALITY_KEYS to a Fernet key (docs/equality.md says how to make one)."
    )
if not EQUALITY_KEYS:
    EQUALITY_KEYS = [
        base64.urlsafe_b64encode(
            hashlib.sha256(b"coproduce equality development key\n" + SECRET_KEY.encode()).digest()
        ).decode()
    ]
try:
    if any(len(base64.urlsafe_b64decode(key.encode())) != 32 for key in EQUALITY_KEYS):
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        "Each key in COPRODUCE_EQUALITY_KEYS must be the url-safe base64 of exactly 32 bytes."
    ) from None
# Counts of people below this are not shown in equality tables; other cells are hidden with them so
# that they cannot be worked out from the totals (docs/disclosure.md).
EQUALITY_MIN_CELL = int(env("COPRODUCE_EQUALITY_MIN_CELL", "10"))
if EQUALITY_MIN_CELL < 2:
    raise ImproperlyConfigured("COPRODUCE_EQUALITY_MIN_CELL must be 2 or more.")

# The licence of everything on /data/ (docs/open-data.md): its name and the address of its text.
OPEN_DATA_LICENCE = env("COPRODUCE_OPEN_DATA_LICENCE", "Open Government Licence v3.0")
OPEN_DATA_LICENCE_URL = env(
    "COPRODUCE_OPEN_DATA_LICENCE_URL",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("COPRODUCE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "coproduce.common",
    "coproduce.search",
    "coproduce.accounts",
    "coproduce.organisations",
    "coproduce.services",
    "coproduce.notifications",
    "coproduce.transparency",
    "coproduce.contributions",
    "coproduce.outcomes",
    "coproduce.equality",
    "coproduce.insight",
    "coproduce.codesign",
    "coproduce.budgeting",
    "coproduce.conversations",
    "coproduce.panels",
    "coproduce.commissioning",
    "coproduce.assessment",
    "coproduce.governance",
    "coproduce.privacy",
    "coproduce.api",
    "coproduce.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous GET pages read from the replica when there is one (DATABASE_REPLICA_URL).
    "coproduce.common.middleware.ReplicaReadsMiddleware",
    # The database down or restarting: a 503 page (or JSON under /api/), not a 500.
    "coproduce.common.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A form too large to read: the site's 413 page, before CsrfViewMiddleware reads it.
    "coproduce.common.middleware.RequestTooLargeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "coproduce.config.urls"
FORM_RENDERER = "coproduce.common.forms.GovukFormRenderer"
WSGI_APPLICATION = "coproduce.config.wsgi.application"
ASGI_APPLICATION = "coproduce.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "coproduce" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coproduce.common.context_processors.site",
            ],
        },
    }
]

# --- Database: embedded SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Connections are checked before each request reuses them (CONN_HEALTH_CHECKS), so after a database
# restart every process reconnects by itself; while it is down, pages answer 503
# (common.middleware.DatabaseUnavailableMiddleware; docs/decisions/0920-database-unavailable.md).
# DATABASE_POOL=1: a psycopg pool per process, for threaded or ASGI servers; it needs CONN_MAX_AGE 0.
# Many machines share PostgreSQL through PgBouncer instead (docs/decisions/0921-connection-pooling-settings.md).
DATABASE_POOL = env_bool("DATABASE_POOL", default=False)
DATABASE_CONN_MAX_AGE = 0 if DATABASE_POOL else int(env("DATABASE_CONN_MAX_AGE", "60"))


def database(url: str) -> dict[str, Any]:
    """One DATABASES entry from a URL, with the site's connection settings."""
    settings_dict: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True)
    )
    if settings_dict["ENGINE"] == "django.db.backends.postgresql":
        # PgBouncer in transaction mode cannot keep a server-side cursor between transactions,
        # nor a prepared statement.
        transaction_pooler = env_bool("DATABASE_TRANSACTION_POOLER", default=False)
        settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = transaction_pooler
        if not transaction_pooler:
            # Parameters bound by the server, and a query a connection has run five times is
            # prepared: PostgreSQL then plans it once, not on every request (planning was most of
            # its work on a page; docs/decisions/0923-prepared-statements.md).
            settings_dict["OPTIONS"] = {
                **settings_dict.get("OPTIONS", {}),
                "server_side_binding": True,
                "prepare_threshold": 5,
            }
        if DATABASE_POOL:
            # A request waits up to 10 s for a connection, then gets the 503 page.
            pool = {
                "min_size": 1,
                "max_size": int(env("DATABASE_POOL_MAX_SIZE", "4")),
                "timeout": 10,
            }
            settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "pool": pool}
    elif DATABASE_POOL:
        raise ImproperlyConfigured("DATABASE_POOL works with PostgreSQL only.")
    return settings_dict


DATABASES = {"default": database(env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept like PostgreSQL's (DATABASE_CONN_MAX_AGE): opening one runs the pragmas
    # below and closing the last one checkpoints the WAL, 1-2 ms of CPU that every page paid
    # (docs/decisions/0803-sqlite-persistent-connections.md).
    DATABASES["default"]["OPTIONS"] = {
        # optimize=0x10002 lets SQLite gather the statistics it needs to choose our indexes.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            "PRAGMA optimize=0x10002;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
# An optional read replica (streaming replication of the same database): anonymous visitors' GET
# pages read from it, everything else uses "default" (common.dbrouters; decision 0922). Tests
# point it at the test database ("MIRROR"), so it needs no database of its own.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**database(DATABASE_REPLICA_URL), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["coproduce.common.dbrouters.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions and rate limits: the database cache embedded, Redis when REDIS_URL is set.
REDIS_URL = env("REDIS_URL")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "coproduce_cache",
            # Room for the pages cached for anonymous visitors (compressed, a few KiB each;
            # docs/decisions/0801-web-page-cache.md) beside sessions and rate limits.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Background jobs: django-tasks with the database worker (manage.py task_worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task still RUNNING after this many seconds is taken to have lost its worker (killed, crashed)
# and is put back in the queue by `manage.py task_worker` (docs/decisions/0900-task-recovery.md).
# Longer than the longest task: a task that outlives it may run twice at once.
COPRODUCE_TASK_TIMEOUT = int(env("COPRODUCE_TASK_TIMEOUT", "600"))
if COPRODUCE_TASK_TIMEOUT < 1:
    raise ImproperlyConfigured(
        "COPRODUCE_TASK_TIMEOUT must be a whole number of seconds, 1 or more."
    )

# --- Accounts: email as the login, Argon2, allauth with TOTP for staff.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
# A newcomer is asked the optional equality questions once, straight after signing up (issue 16).
ACCOUNT_SIGNUP_REDIRECT_URL = "equality:mine"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    # Not allauth's: anonymous survey answers, each of which sends an email (decision 0606).
    "insight_anonymous_answer": "10/h/ip",
    # Not allauth's: voting codes typed in, per address (against guessing); ballots cast, per
    # voter (the key), with a wide limit per address that a school or library still fits in.
    "budget_code_attempt": "10/10m/ip",
    "budget_ballot_cast": "1000/10m/ip,30/10m/key",
    # Statements added to an opinion map, per person (the key) and per address.
    "conversation_statement_add": "100/10m/ip,10/10m/key",
    # Votes on an opinion map, per participant and per address (a library or school shares one).
    "conversation_vote": "3000/10m/ip,300/10m/key",
    # Residents' codes typed in on an opinion map, per account (the key) and per address (an
    # event where codes are handed out shares one address) (decision 0112).
    "conversation_code_attempt": "100/10m/ip,10/10m/key",
    # Registration codes from panel letters typed in wrong, per address (right codes do not count).
    "panel_code_attempt": "10/10m/ip",
    # Tries at "Delete my account", each with the password (privacy.views_erasure).
    "account_delete": "5/10m/key",
}
ACCOUNT_SIGNUP_FORM_CLASS = "coproduce.accounts.forms.SignupForm"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "coproduce"
# The demo (`make demo`) accepts this code for the demo staff accounts. allauth refuses it unless
# DEBUG is on, so it can never work in production.
if DEBUG and env("COPRODUCE_DEMO_MFA_CODE"):
    MFA_TOTP_INSECURE_BYPASS_CODE = env("COPRODUCE_DEMO_MFA_CODE")

# --- Internationalisation: English and Welsh.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Cymraeg"))]
LOCALE_PATHS = [BASE_DIR / "coproduce" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files: GOV.UK Frontend compiled by `make css`, served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "coproduce" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Bids' attachments (commissioning): never served by the web server or under MEDIA_URL; only
    # the bid's download view reads them, after the deadline (decision 0077).
    "sealed": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("COPRODUCE_SEALED_DIR", str(VAR_DIR / "sealed"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# --- Email: in development printed and kept for the demo's "Emails sent by this demo" page
# (coproduce/common/mail.py); SMTP in production.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "coproduce.common.mail.DemoEmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "coproduce <no-reply@coproduce.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers. CSP: nothing inline but the one script of base.html, allowed by its hash
# (a nonce would differ on every response, so pages could not be cached whole: decision 0804).
# The nonce stays available to a page that needs one; such a page is never cached.
CSP_INLINE_SCRIPT_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"
# Maps of budget proposals (Leaflet): the tile server, as a Leaflet URL template such as
# "https://tile.example.org/{z}/{x}/{y}.png", and the credit its licence asks for. No tile
# server, no map: the pages list the same places (docs/operations.md).
MAP_TILE_URL = env("COPRODUCE_MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env("COPRODUCE_MAP_TILE_ATTRIBUTION")


def _tile_origin(url: str) -> list[str]:
    """The tile server's origin for img-src ({s} subdomains allowed with a wildcard)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}.", "*."))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, CSP_INLINE_SCRIPT_HASH, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_origin(MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A stale form (open too long, or signed in or out in another tab): our page, with the text written.
CSRF_FAILURE_VIEW = "coproduce.common.views.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("DJANGO_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Application settings.
# Residents' checks of an outcome indicator: a period with fewer answers shows "too few answers",
# never a number (decision 0071).
COPRODUCE_OUTCOMES_MIN_ANSWERS = 10
# The prefix of the Open Contracting ID of every commissioning round (registered with the OCP for
# real publication; decision 0080).
COPRODUCE_OCID_PREFIX = env("COPRODUCE_OCID_PREFIX", "ocds-coproduce")
# An assessment's results per standard are shown only from this many responses: fewer is "too few
# to report" (decision 0081).
COPRODUCE_ASSESSMENT_MIN_RESPONSES = 5
COPRODUCE_PAGE_SIZE = 20
COPRODUCE_API_TOKEN_TTL_DAYS = int(env("COPRODUCE_API_TOKEN_TTL_DAYS", "90"))

# Retention (docs/privacy.md; `manage.py retention_enforce`, daily): anonymous survey answers whose
# email confirmation never came, and accounts nobody has signed in to (erased as if their owner
# had deleted them; 0 keeps them for ever). Panels' registration data go after each panel's own
# retention days.
COPRODUCE_UNCONFIRMED_ANSWER_DAYS = int(env("COPRODUCE_UNCONFIRMED_ANSWER_DAYS", "7"))
COPRODUCE_INACTIVE_ACCOUNT_DAYS = int(env("COPRODUCE_INACTIVE_ACCOUNT_DAYS", "1095"))
# How many days a "Download my data" link works before its file is deleted (docs/privacy.md).
COPRODUCE_DATA_EXPORT_DAYS = int(env("COPRODUCE_DATA_EXPORT_DAYS", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}
