"""ExoCheck settings: one module, configured by environment variables.

Development works with no configuration at all (SQLite, DEBUG on). With DEBUG off,
every value a production deployment must choose is required and start-up fails with
one ImproperlyConfigured line naming what is missing.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def dev_secret_key(path: Path) -> str:
    if not path.exists():
        temporary = path.with_suffix(f".{os.getpid()}")
        temporary.write_text(secrets.token_urlsafe(50))
        os.replace(temporary, path)
    return path.read_text().strip()


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# The test suite runs with production-like settings (DEBUG off) but without HTTPS redirects.
TESTING = env_bool("EXOCHECK_TESTING", default="pytest" in sys.modules)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Development and tests only: a random key made once per checkout and kept in a
        # git-ignored file, so sessions survive runserver reloads. Never used with DEBUG off.
        SECRET_KEY = dev_secret_key(BASE_DIR / ".dev-secret-key")
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment "
            "(or DEBUG=true for development)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING) else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Set ALLOWED_HOSTS to the comma-separated host names you serve."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "core",
    "clinics",
    "suppliers",
    "products",
    "notifications",
    "assessments",
    "portal",
    "exports",
    "lifecycle",
    # The JSON API (api/, docs/api.md); "ninja" serves its Swagger UI from static files.
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clinics.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, with the session's device read by a query compiled once.
    "clinics.middleware_mfa.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "clinics.middleware.CurrentClinicMiddleware",
    "axes.middleware.AxesMiddleware",
    # After a password, a user with two-factor authentication sees no page but the code step.
    "clinics.middleware_mfa.SecondFactorMiddleware",
    # A NUL in the path or query string (PostgreSQL cannot store it) gets the 400 page
    # before any view reads it (core/input_guard.py); after the user, clinic and code step
    # are settled, so the page has the usual navigation and shows it to no one owing a code.
    "core.input_guard.RefuseUnstorableInputMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "clinics.context_processors.current_clinic",
                "notifications.context_processors.nav_counts",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# SQLite (development, `make run`) shares one file between runserver and the task worker.
# Django's defaults (rollback journal, deferred transactions) let a writer that started as a
# reader fail at once with "database is locked". IMMEDIATE takes the write lock at BEGIN, so
# a second writer waits (up to `timeout` seconds) instead; WAL lets readers carry on while
# one connection writes. Long work (PDF renders, upload checks) stays outside transactions.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_config(url: str) -> dict:
    config = dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**config.get("OPTIONS", {}), **SQLITE_OPTIONS}
    return config


DATABASES = {
    "default": database_config(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "clinics.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Tests only: Argon2 is slow by design and most test time went on hashing fixtures'
    # passwords. Production keeps Argon2 first (tests/test_password_hashing.py checks it).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset by email (clinics/password_reset.py): the link works once and for an hour;
# at most PASSWORD_RESET_LIMIT requests an hour per email and per client address.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", "3600"))
PASSWORD_RESET_LIMIT = 5
PASSWORD_RESET_WINDOW = timedelta(hours=1)

# Two-factor authentication (django-otp; clinics/mfa.py): an authenticator app (TOTP) and
# recovery codes. Wrong codes are counted with wrong passwords by clinics/throttle.py (the
# log-in policy, one count per user in the database), so django-otp's own per-device
# back-off is off: one rule, one message. Device secrets are hidden in the admin.
OTP_TOTP_ISSUER = "ExoCheck"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# The supplier country list (suppliers/countries.py) is django-countries' English list, which
# names Nauru by its Nauruan name, "Naoero": the English name is the one people look for.
COUNTRIES_OVERRIDE = {"NR": "Nauru"}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Vendored front-end packages come from npm (package.json), never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]

# Uploaded evidence is never under STATIC/MEDIA URLs: it is served only by a view that
# checks clinic membership, so MEDIA_URL is deliberately not routed anywhere.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Media on S3-compatible object storage (django-storages) when a bucket is named. The bucket
# stays private: files are streamed by the membership-checked download view, never linked.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env_bool("AWS_S3_SERVER_SIDE_ENCRYPTION", default=False)
            else {},
        },
    }
# Path-style addressing ("path") for S3-compatible stores that need it (MinIO, moto).
if AWS_STORAGE_BUCKET_NAME and os.environ.get("AWS_S3_ADDRESSING_STYLE"):
    STORAGES["default"]["OPTIONS"]["addressing_style"] = os.environ["AWS_S3_ADDRESSING_STYLE"]
EVIDENCE_MAX_UPLOAD_BYTES = int(os.environ.get("EVIDENCE_MAX_UPLOAD_MB", "20")) * 1024 * 1024
# The assessment register above this many rows is written by the task worker, with progress
# on the exports page, instead of being streamed in the request (exports/services.py).
REGISTER_EXPORT_SYNC_ROWS = int(os.environ.get("REGISTER_EXPORT_SYNC_ROWS", "2000"))
FILE_UPLOAD_PERMISSIONS = 0o640

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Nothing a request depends on is kept in one process (docs/deployment.md, "Scaling out"):
# sessions, log-in lockouts (django-axes) and every throttle counter are rows in the
# database, uploads and reports are in STORAGES["default"] (S3 when a bucket is named), the
# task queue is the database. With REDIS_URL set (e.g. redis://127.0.0.1:6379/0) the cache is
# Redis, shared by every app server and worker, and sessions are read through it
# (cached_db: written to both, the database stays the record, so losing Redis logs no one
# out). Without it the cache is per-process memory, right for one server: nothing correct-
# ness depends on is cached, so N servers without Redis only cache less.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several deployments (or test runs) can share one Redis without mixing keys.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "exocheck"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Lockouts are AccessAttempt rows (never the cache), so a lockout on one server holds on all.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Sessions end after an hour of inactivity: shared clinic workstations are common.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "3600"))
# Sliding expiry, refreshed at most once a minute by SessionIdleRefreshMiddleware.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login protection (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# Keep a lasting record of every failed log-in (attempt rows are cleared on success).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind N reverse proxies the client address is N hops from the right of X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# Usernames longer than axes' 255-character column are cut to fit (config/security.py).
AXES_USERNAME_CALLABLE = "config.security.axes_username"

# The audit trail is read-only: no "revert" in the admin (clinics/admin_history.py enforces it).
SIMPLE_HISTORY_REVERT_DISABLED = True

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if not DEBUG and not TESTING:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ExoCheck <no-reply@exocheck.invalid>")
# SMTP for invitation emails (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 20

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

PAGINATE_BY = 20
# Requests one API token may make per minute (api/auth.py; counted in the database).
API_RATE_LIMIT_PER_MINUTE = int(os.environ.get("API_RATE_LIMIT_PER_MINUTE", "120"))
FORMS_URLFIELD_ASSUME_HTTPS = True

# The site's public address, e.g. https://exocheck.example: absolute links printed in PDF
# reports and sent in invitation emails use it, never the request's Host header. Empty: the
# report prints the bare path (no link).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, not {SITE_URL!r}.")

# Every PDF render runs in a child process with hard limits (assessments/reports/isolated.py):
# past them it is stopped and the user is told the report is too large. Keep the timeout
# below gunicorn's --timeout. The test suite renders in-process (fast, and its fetcher tests
# spy on WeasyPrint); tests/assessments/test_render_limits.py runs the isolated path.
PDF_RENDER_TIMEOUT_SECONDS = float(os.environ.get("PDF_RENDER_TIMEOUT_SECONDS", "20"))
PDF_RENDER_MEMORY_MB = int(os.environ.get("PDF_RENDER_MEMORY_MB", "1024"))
# 512 MB: the largest report the field limits allow needs about 210-300 MB of address space.
if PDF_RENDER_TIMEOUT_SECONDS <= 0 or PDF_RENDER_MEMORY_MB < 512:
    raise ImproperlyConfigured(
        "PDF_RENDER_TIMEOUT_SECONDS must be above 0 and PDF_RENDER_MEMORY_MB at least 512."
    )
PDF_RENDER_ISOLATED = not TESTING

# What a page kept whole (clinics.kept.kept_page) is kept for of the menu around it: the
# navbar's own app says, since apps below it in the import layers keep pages too.
KEPT_PAGE_MENU_PARTS = "notifications.context_processors.menu_parts"
# Columns the tenancy middleware reads in the same query as the request's membership: the
# navbar's counts and the clinic's stamp, defined by the navbar's app (one round trip fewer
# on every signed-in page).
MEMBERSHIP_READ_ALONG = "notifications.context_processors.read_along_membership"

# Pages for signed-in users are sent with Cache-Control: no-store unless the view chose
# otherwise (clinics/middleware.py); it needs request.user, so it follows authentication.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "clinics.middleware.NoStoreForSignedInMiddleware",
)

# Re-entering one's password while signed in (sign-off, the old password at a password
# change) is throttled with the log-in policy above: AXES_FAILURE_LIMIT wrong passwords, then
# AXES_COOLOFF_TIME. The counters are rows in the database (clinics.ReauthThrottle, see
# clinics/throttle.py), shared by every process and server: no shared cache is needed.
