"""Guwen settings: one module, configured entirely from the environment.

Profiles (GUWEN_PROFILE): ``dev`` (default for manage.py), ``test`` (default
under pytest) and ``production``. Nothing exists only in production; the
production profile only tightens transport security.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from guwen.envconf import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GUWEN_VAR_DIR", str(BASE_DIR / "var")))

PROFILE = env_str("GUWEN_PROFILE", "test" if "PYTEST_VERSION" in os.environ else "dev")
if PROFILE not in {"dev", "test", "production"}:
    raise ValueError(f"GUWEN_PROFILE must be dev, test or production, got {PROFILE!r}")
TESTING = PROFILE == "test"
PRODUCTION = PROFILE == "production"

if TESTING:
    SECRET_KEY = "test-only-secret-key-not-for-use-anywhere-else-0123456789abcdef"
    GUWEN_DATA_KEY = "test-only-data-key-0123456789abcdef0123456789abcdef"
else:
    SECRET_KEY = env_secret("SECRET_KEY", generate_into=VAR_DIR / "secret_key")
    # Encrypts personal numbers (身份证号) and keys their matching hashes. Losing it makes
    # stored ID numbers unreadable, so it is kept apart from SECRET_KEY and never rotated silently.
    GUWEN_DATA_KEY = env_secret("GUWEN_DATA_KEY", generate_into=VAR_DIR / "data_key")
# Earlier data keys, still accepted for reading until `manage.py rotate_data_key` has re-encrypted
# everything under GUWEN_DATA_KEY (comma-separated, or one per line in GUWEN_DATA_KEYS_RETIRED_FILE).
GUWEN_DATA_KEYS_RETIRED = (
    env_list("GUWEN_DATA_KEYS_RETIRED", []) or env_secret("GUWEN_DATA_KEYS_RETIRED").split()
)

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] + (["testserver"] if TESTING else [])
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "guwen.core.vendor_apps.TotpConfig",  # django_otp.plugins.otp_totp, named in Chinese
    "guwen.core.vendor_apps.AxesConfig",  # axes
    "ninja",
    "django_ratelimit",
    "csp",
    "django_tasks",
    "guwen.core.vendor_apps.TasksDatabaseConfig",  # django_tasks_db
    "guwen.core",
    "guwen.regions",
    "guwen.accounts",
    "guwen.notifications",
    "guwen.knowledge",
    "guwen.duty",
    "guwen.consultations",
    "guwen.mediation",
    "guwen.outreach",
    "guwen.subsidy",
    "guwen.reports",
    "guwen.evaluation",
    "guwen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "guwen.accounts.middleware.RequireVerifiedStaffMiddleware",
    "guwen.accounts.middleware.RequirePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view reads request.GET: control characters refused, bidi controls removed.
    "guwen.core.middleware.PlainTextQueryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "guwen.core.middleware.PrivateNoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "guwen.urls"
WSGI_APPLICATION = "guwen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guwen.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'guwen.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", DEFAULT_SQLITE) or DEFAULT_SQLITE
# Persistent connections on both databases: closing the last SQLite connection checkpoints the WAL
# (an fsync per request), and a PostgreSQL connection costs a fork on the server.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue on busy_timeout instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------------
# One cache that every web process and worker shares (rate-limit counts, cached look-ups): Redis
# with REDIS_URL, else Django's database cache (the table ``guwen_cache``, made by ``migrate``'s
# companion ``createcachetable``). A per-process memory cache would give each process its own
# limits and its own stale copies.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "guwen_cache",
            # The database cache's incr() writes the value again with the default timeout: a day
            # keeps every rate-limit window's count until its window ends.
            "TIMEOUT": 86_400,
            "OPTIONS": {"MAX_ENTRIES": env_int("GUWEN_DB_CACHE_MAX_ENTRIES", 50_000)},
        }
    }
# Values read on every request and changed seldom (communities by code, deadline and urgency rules,
# holidays, law names, notification routing) are kept there by guwen.core.cache: a save bumps the
# value's version, so every process sees it at once; this timeout is only a safety net.
GUWEN_CACHE_SECONDS = env_int("GUWEN_CACHE_SECONDS", 300)

# --- Content-Security-Policy (django-csp) --------------------------------------------------
# Scripts only from the site's own files, never inline or from elsewhere (government intranets
# have no outside network, and every asset is served by the app). Inline styles stay allowed: a
# few style attributes and htmx's indicator style, which run no code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- API ------------------------------------------------------------------------------------
# Every list of the API pages the same way, with bounded limit and offset.
NINJA_PAGINATION_CLASS = "guwen.core.pagination.BoundedPagination"

# --- rate limits ----------------------------------------------------------------------------
# Requests one client address may make, counted in the shared cache by django-ratelimit
# (guwen/core/ratelimit.py): "N/P" with P in s, m, h or d and an optional multiplier ("20/10m" is
# 20 per 10 minutes); an empty value turns the limit off. Mobile networks put many residents
# behind one address, so the defaults are generous.
GUWEN_RATE_LIMITS = {
    # questions through the public page and the API (one rule for both)
    "intake": env_str("GUWEN_RATE_INTAKE", "20/10m"),
    # status look-ups by phone and receipt code: a guard against guessing codes
    "status": env_str("GUWEN_RATE_STATUS", "20/10m"),
    # on-site duty bookings made from one address, and for one phone number from any address
    "booking": env_str("GUWEN_RATE_BOOKING", "10/h"),
    "booking_phone": env_str("GUWEN_RATE_BOOKING_PHONE", "5/d"),
    # booking look-ups and cancellations by booking code and phone: a guard against guessing codes
    "booking_lookup": env_str("GUWEN_RATE_BOOKING_LOOKUP", "20/10m"),
    # satisfaction questionnaires filled from a community's QR code
    "survey": env_str("GUWEN_RATE_SURVEY", "20/10m"),
}
# Questionnaires a community needs per quarter before its survey score counts as representative.
GUWEN_SURVEY_MIN_SAMPLE = env_int("GUWEN_SURVEY_MIN_SAMPLE", 20)
# How long the appraisal's live preview may lag the other modules' records (the shared cache keeps
# it; evaluation's own inputs, ratings and assignments refresh it at once).
GUWEN_APPRAISAL_PREVIEW_SECONDS = env_int("GUWEN_APPRAISAL_PREVIEW_SECONDS", 300)
RATELIMIT_USE_CACHE = "default"
# django-ratelimit knows only third-party Redis clients by name (W001, for Django's own Redis
# cache, whose incr is atomic), and calls the database cache's incr not atomic (E003): without
# Redis, two requests from one address in the same instant may be counted once. Deployments with
# several web processes set REDIS_URL; for one street's load the database cache is exact enough.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]

# --- background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- accounts, passwords, login -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: argon2 would slow the suite
    if TESTING
    else [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
# Failures count per username across every address (spraying a password from many addresses
# locks the account as surely as guessing from one), and per username and address.
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The Chinese lockout page with the time the username may try again (429 with Retry-After).
AXES_LOCKOUT_CALLABLE = "guwen.accounts.views.locked_out"
AXES_VERBOSE = False
# The client's address behind the deployment's own reverse proxies (see guwen/core/clientip.py):
# rate limits, the audit trail and login lockouts all use it.
GUWEN_TRUSTED_PROXIES = env_list("GUWEN_TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "guwen.core.clientip.client_ip"

OTP_TOTP_ISSUER = "顾问 Guwen"
# Judicial-office and bureau accounts must pass TOTP. The demo may waive it; every page then
# says so in a banner, so a waived deployment is never mistaken for a secured one.
GUWEN_WAIVE_STAFF_TOTP = env_bool("GUWEN_WAIVE_STAFF_TOTP", False)

# --- i18n / time ----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "guwen" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it
# Front-end libraries come from npm (package-lock.json) and are served by the app: no CDN.
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
# Outside production WhiteNoise serves straight from the app and npm folders, so `make run` and test
# servers need no collectstatic; production serves the collected, hashed, compressed files.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files live outside the web root and are only served through scoped views.
MEDIA_ROOT = Path(env_str("GUWEN_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# Seconds a LibreOffice conversion of an official document (.docx → PDF) may take (guwen.core.documents).
GUWEN_SOFFICE_TIMEOUT = env_int("GUWEN_SOFFICE_TIMEOUT", 120)
# Days a generated document version that is no longer current stays in the cache (the worker's sweep).
GUWEN_DOCUMENT_CACHE_DAYS = env_int("GUWEN_DOCUMENT_CACHE_DAYS", 30)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- logging: never personal data -----------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_query": {"()": "guwen.core.logfilters.DropQueryStrings"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_query"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # runserver's request lines, through the same filter
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- email ---------------------------------------------------------------------------------
_MAIL = "django.core.mail.backends."
EMAIL_BACKEND = env_str("EMAIL_BACKEND", _MAIL + ("smtp" if PRODUCTION else "console") + ".EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "guwen@localhost")

# --- Guwen ----------------------------------------------------------------------------------
GUWEN_SITE_NAME = env_str("GUWEN_SITE_NAME", "顾问 · 社区法律顾问服务平台")
# The site's public address (https://…): links and QR codes that leave the site (notifications,
# notice boards, webhooks) are absolute from it; without it they take the request's own host.
GUWEN_PUBLIC_BASE_URL = env_str("GUWEN_PUBLIC_BASE_URL", "").rstrip("/")
GUWEN_SHARED_DIR = Path(env_str("GUWEN_SHARED_DIR", str(BASE_DIR.parent / "shared")))
GUWEN_RETENTION_YEARS = env_int("GUWEN_RETENTION_YEARS", 5)
# Triage reads a sentence embedding beside its TF-IDF features (guwen.knowledge.embedding). Off:
# TF-IDF alone, a few points less accurate and a hundred times faster. The test profile keeps it
# off except in the tests that measure it, so the suite does not embed every question it asks.
GUWEN_TRIAGE_EMBEDDINGS = env_bool("GUWEN_TRIAGE_EMBEDDINGS", not TESTING)

# --- notifications ---
# Outbound senders: which ones are on, robot URLs and e-mail lists are data per region (admin:
# 通知渠道配置); how hard to try is configured here.
GUWEN_NOTIFY_MAX_ATTEMPTS = env_int("GUWEN_NOTIFY_MAX_ATTEMPTS", 6)
GUWEN_NOTIFY_BACKOFF_SECONDS = env_int("GUWEN_NOTIFY_BACKOFF_SECONDS", 30)
GUWEN_NOTIFY_BACKOFF_MAX_SECONDS = env_int("GUWEN_NOTIFY_BACKOFF_MAX_SECONDS", 3600)
GUWEN_NOTIFY_TIMEOUT_SECONDS = env_int("GUWEN_NOTIFY_TIMEOUT_SECONDS", 10)
GUWEN_NOTIFY_SWEEP_SECONDS = env_int("GUWEN_NOTIFY_SWEEP_SECONDS", 30)
GUWEN_NOTIFY_SWEEP_BATCH = env_int("GUWEN_NOTIFY_SWEEP_BATCH", 100)
# A new delivery is sent by its queued task; the sweep steps in only after this grace period.
GUWEN_NOTIFY_SWEEP_GRACE_SECONDS = env_int("GUWEN_NOTIFY_SWEEP_GRACE_SECONDS", 120)
# An SMS provider: a class with send(*, phone, text). The default writes a masked log line only.
GUWEN_SMS_BACKEND = env_str("GUWEN_SMS_BACKEND", "guwen.notifications.senders.LogOnlySmsBackend")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("guwen.notifications.context_processors.unread")
