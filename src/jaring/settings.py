"""One settings module; the environment decides the rest (DATABASE_URL, JARING_*)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("JARING_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("JARING_VAR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("JARING_DEBUG", "0") == "1"
# A development or demo install (`make demo`, the tests, CI): the public key below and local host
# names are allowed. Anywhere else, with DEBUG off, this is production and must be configured.
DEV = DEBUG or os.environ.get("JARING_DEV", "0") == "1"
_DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = os.environ.get("JARING_SECRET_KEY", _DEV_SECRET_KEY)
_hosts = os.environ.get("JARING_ALLOWED_HOSTS", "")
ALLOWED_HOSTS = _hosts.split(",") if _hosts else ["127.0.0.1", "localhost", "testserver"]


def _production_problems() -> list[str]:
    # The key signs sessions and salts the status check's NIK digests: a public or short one
    # lets anyone forge a session. Same bar as Django's own deploy check (security.W009).
    problems = []
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("JARING_SECRET_KEY must be a random value of at least 50 characters")
    if not _hosts:
        problems.append("JARING_ALLOWED_HOSTS must name the site's host names")
    return problems


if not DEV and (_problems := _production_problems()):
    raise ImproperlyConfigured(
        "Refusing to start in production (DEBUG off): "
        + "; ".join(_problems)
        + ". For a development or demo install set JARING_DEV=1 (see docs/operations.md)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Serves the interactive API docs' scripts locally instead of from a CDN.
    "ninja",
    # Before django_tasks_db: its `db_worker` command is core's, which recovers dead runs.
    "jaring.core",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "jaring.regions",
    "jaring.accounts",
    "jaring.registry",
    "jaring.imports",
    "jaring.dedupe",
    "jaring.programs",
    "jaring.enrolment",
    "jaring.contributions",
    "jaring.continuity",
    "jaring.agents",
    "jaring.claims",
    "jaring.compliance",
    "jaring.notify",
    "jaring.autodebit",
    "jaring.coverage",
    "jaring.web",
    "jaring.api",
    "jaring.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jaring.web.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user verified when the session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "jaring.web.middleware.RefusalMiddleware",
    "jaring.accounts.middleware.SessionLimitsMiddleware",
    # After the session limits: an expired session logs in again, it does not ask for a code.
    "jaring.accounts.middleware.LoginStepsMiddleware",
    "jaring.accounts.middleware.ReadAuditMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jaring.urls"
WSGI_APPLICATION = "jaring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jaring.web.nav.menu",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'jaring.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a background import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "worker-list"
LOGOUT_REDIRECT_URL = "login"
# OWASP ASVS level 2: at least 12 characters, not like the user's names, not among the 20,000
# most common passwords Django ships nor the 100,000 most breached ones (Have I Been Pwned, a
# shipped list), not all digits, not a repeat or a run.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "jaring.accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jaring.accounts.passwords.RepetitionValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account or client before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login lock-out: 5 failures in a row lock the account, and separately the client address, for
# JARING_LOCKOUT_MINUTES (an administrator unlocks sooner: `jaring unlock USER` or the admin).
AXES_FAILURE_LIMIT = int(os.environ.get("JARING_LOGIN_FAILURES", 5))
AXES_COOLOFF_TIME = int(os.environ.get("JARING_LOCKOUT_MINUTES", 30)) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "jaring.core.http.client_address"
AXES_VERBOSE = False
# The second factor (django-otp): a TOTP authenticator app for every role that sees whole NIKs,
# asked after the password (accounts.middleware.LoginStepsMiddleware). The app shows the account
# under this name.
OTP_TOTP_ISSUER = "Jaring"
# A session ends after JARING_IDLE_MINUTES without a request, and JARING_SESSION_HOURS after
# login whatever happens (accounts.middleware.SessionLimitsMiddleware).
JARING_IDLE_MINUTES = int(os.environ.get("JARING_IDLE_MINUTES", 30))
JARING_SESSION_HOURS = int(os.environ.get("JARING_SESSION_HOURS", 12))
SESSION_COOKIE_AGE = JARING_SESSION_HOURS * 3600

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("JARING_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEV:
    # Production is served over HTTPS only (docs/operations.md).
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("JARING_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Behind a TLS-terminating proxy: the header it sets to "https" (e.g. HTTP_X_FORWARDED_PROTO).
# Only set it when the proxy always sets or strips that header, or a client could claim HTTPS.
if _proxy_ssl_header := os.environ.get("JARING_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")
# The read audit (docs/operations.md): a read of up to JARING_READ_AUDIT_NAMED people keeps
# their NIKs (a person's page lists it); an export of more than JARING_EXPORT_REASON_OVER
# people asks for a reason first.
JARING_READ_AUDIT_NAMED = int(os.environ.get("JARING_READ_AUDIT_NAMED", 100))
JARING_EXPORT_REASON_OVER = int(os.environ.get("JARING_EXPORT_REASON_OVER", 100))
# A BPJS branch's own spreadsheet layouts, one TOML file each, beside the shipped ones
# (enrolment.exchange.profiles; docs/data-formats.md, "Export profiles").
JARING_EXPORT_PROFILES_DIR = Path(
    os.environ.get("JARING_EXPORT_PROFILES_DIR", PROJECT_DIR / "profiles")
)

# The header a reverse proxy puts the visitor's address in (e.g. HTTP_X_REAL_IP); without it the
# public status check's per-client limit would count the proxy, i.e. the whole city, as one.
JARING_CLIENT_IP_HEADER = os.environ.get("JARING_CLIENT_IP_HEADER", "")

# What an uploaded spreadsheet may unpack to, checked before it is parsed (a 1 MB xlsx can unpack
# to gigabytes). A million-row list passes: as xlsx about 650-800 MB unpacked, 75-150 MB of it
# shared strings; as csv 14 columns and lines under 200 bytes.
JARING_UPLOAD_MAX_UNPACKED_MB = int(os.environ.get("JARING_UPLOAD_MAX_UNPACKED_MB", 2048))
JARING_UPLOAD_MAX_SHARED_STRINGS_MB = int(
    os.environ.get("JARING_UPLOAD_MAX_SHARED_STRINGS_MB", 256)
)
JARING_UPLOAD_MAX_COLUMNS = int(os.environ.get("JARING_UPLOAD_MAX_COLUMNS", 1000))
JARING_UPLOAD_MAX_LINE_KB = int(os.environ.get("JARING_UPLOAD_MAX_LINE_KB", 64))
# A compliance case step's evidence file (PDF, JPEG or PNG), each.
JARING_EVIDENCE_MAX_BYTES = int(os.environ.get("JARING_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
# What the child process parsing one upload may take (core.sandbox): above what a million-row
# list needs (a whole import of one peaked at 1.7 GB as xlsx), a crafted file is stopped here.
JARING_UPLOAD_PARSE_MEMORY_MB = int(os.environ.get("JARING_UPLOAD_PARSE_MEMORY_MB", 3072))
JARING_UPLOAD_PARSE_SECONDS = int(os.environ.get("JARING_UPLOAD_PARSE_SECONDS", 600))

# Runs that recover (core.jobs): a run on another machine whose heartbeat is older than this is
# taken for dead; `jaring db_worker` looks for dead runs this often.
# Notifications (jaring.notify.channels): console (default), file or http (a generic gateway).
JARING_NOTIFY_CHANNEL = os.environ.get("JARING_NOTIFY_CHANNEL", "console")
JARING_NOTIFY_FILE = os.environ.get("JARING_NOTIFY_FILE", str(VAR_DIR / "outbox.jsonl"))
JARING_NOTIFY_GATEWAY_URL = os.environ.get("JARING_NOTIFY_GATEWAY_URL", "")
JARING_NOTIFY_GATEWAY_TOKEN = os.environ.get("JARING_NOTIFY_GATEWAY_TOKEN", "")
JARING_NOTIFY_GATEWAY_PAYLOAD = os.environ.get("JARING_NOTIFY_GATEWAY_PAYLOAD", "")
JARING_NOTIFY_GATEWAY_TIMEOUT = float(os.environ.get("JARING_NOTIFY_GATEWAY_TIMEOUT", 10))
JARING_JOB_LEASE_SECONDS = int(os.environ.get("JARING_JOB_LEASE_SECONDS", 60))
JARING_JOB_SWEEP_SECONDS = int(os.environ.get("JARING_JOB_SWEEP_SECONDS", 20))

# Scripts only from the site itself (htmx and Chart.js are vendored). Inline style attributes
# stay allowed: the dashboard's bars set their width in markup, and htmx adds its indicator style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JARING_LOG_LEVEL", "WARNING")},
}
