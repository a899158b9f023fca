"""Ripple settings: one file, every deployment value read from the environment.

A fresh clone runs with no environment at all (DEBUG on, SQLite, a development
secret key). Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

DEVELOPMENT_SECRET_KEY = "django-insecure-ripple-development-key-never-use-in-production"  # noqa: S105 - refused below when DEBUG is off
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: the development key is refused when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = "Ripple"

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "tracker",  # before django_tasks_db: its db_worker command replaces the one there
    "django_tasks_db",
    "education",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed (whitenoise has compressed the static files already, and
    # answers them above, before this). A trends page of 144 KB travels as about a
    # tenth of it; CSRF tokens are masked afresh on every page, which BREACH needs.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the one chosen with the switch (a cookie), else the browser's;
    # UserLanguageMiddleware below puts a signed-in person's own choice first.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tracker.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Staff and clinicians: signed out when idle, and asked for their second factor.
    "tracker.middleware.IdleTimeoutMiddleware",
    "tracker.middleware.SecondFactorMiddleware",
    "tracker.middleware.PatientTimezoneMiddleware",
    "tracker.middleware.PrivatePagesMiddleware",
    # django-axes wants to be last, so it sees every failed login.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracker.context_processors.safety",
                "tracker.context_processors.offline_user",
            ],
        },
    },
]

# Database: SQLite file by default, anything dj-database-url understands otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two
        # concurrent saves queue behind the busy timeout instead of failing
        # with "database is locked" halfway through.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so tests that save from several threads share one database:
    # beside the database itself, so suites on two databases can run side by side.
    name = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(name.with_name(f"test-{name.name}"))}
    # A missing file is an outage (a 503; manage.py says how to make one), not
    # a new empty database that looks like Ripple without its accounts. Only creating
    # one on purpose makes it: `make migrate` sets RIPPLE_NEW_DATABASE=1.
    if not env_bool("RIPPLE_NEW_DATABASE", False):
        DATABASES["default"]["NAME"] = (
            f"file:{quote(str(name))}?mode=rw"  # Django opens it as a URI
        )
else:
    # A database that stops answering must not hold a request until gunicorn kills it
    # (config/gunicorn.py's timeout is above both): connecting gives up after 5 s, and
    # a statement after 15 s. The worker and migrate run without the statement limit
    # (DATABASE_STATEMENT_TIMEOUT=0, README): their work may rightly take longer.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    statement = f"-c statement_timeout={env_int('DATABASE_STATEMENT_TIMEOUT', 15) * 1000}"
    options["options"] = f"{options.get('options', '')} {statement}".strip()

# Counts (password resets) and kept PDFs: each process's memory by default; several
# gunicorn workers share one with RIPPLE_CACHE_URL=redis://127.0.0.1:6379/1.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("RIPPLE_CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("RIPPLE_CACHE_URL"),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tracker.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the patient with the user (one query fewer a page).
    "tracker.access.PatientBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A second factor (tracker/accounts/two_factor.py, django-otp): wrong codes wait
# 1, 2, 4, 8… seconds (doubling with each one in a row), for app and recovery codes.
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin lists devices, never their secrets
# Staff and clinicians are signed out after this long without a request.
IDLE_TIMEOUT_MINUTES = env_int("RIPPLE_IDLE_TIMEOUT_MINUTES", 30)

# django-axes: failed logins lock by username and address (5 in 15 minutes), by
# username from any address (20) and by address over any usernames (40): see
# tracker/accounts/lockout.py. A successful login clears its username's count.
AXES_HANDLER = "tracker.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies, the client is the Nth address from the right of
# X-Forwarded-For (django-ipware); with none, only REMOTE_ADDR is trusted.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

LANGUAGE_CODE = "en-gb"
# English and Spanish. A browser asking for any English gets "en-gb" (its dates and
# spelling); Spanish from anywhere gets "es". The catalogues are in locale/ and are
# compiled by `make` (the .mo files are built, not kept in git).
LANGUAGES = [("en-gb", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Short dates ("3 Dec 2026", "3 dic 2026") as the SHORT_DATE_FORMAT of each language:
# templates write |date:"SHORT_DATE_FORMAT", code formats.date_format(day, "SHORT_DATE_FORMAT").
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("RIPPLE_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# In production, static files get hashed names and (unless a proxy in front compresses
# them, RIPPLE_COMPRESS_STATIC=0) gzip and brotli copies made by collectstatic.
STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
if not env_bool("RIPPLE_COMPRESS_STATIC", True):
    STATIC_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else STATIC_STORAGE
    },
}

# Shown on the page itself when low mood or anxiety is rated severe. A deployment sets
# its own line, for example "the 988 Suicide and Crisis Lifeline (call or text 988)";
# without one, pages name the local emergency number.
CRISIS_LINE = env_str("RIPPLE_CRISIS_LINE", "")
# The same in Spanish, for pages in Spanish (for the 988 Lifeline: "la línea 988 de
# prevención del suicidio y crisis (llame o envíe un mensaje al 988)"); without
# one, Spanish pages show the line above.
CRISIS_LINE_ES = env_str("RIPPLE_CRISIS_LINE_ES", "")
# How long internet addresses and browser names in the access log, and login and
# lockout records, are kept before the daily pruning removes them.
RETENTION_DAYS = env_int("RIPPLE_RETENTION_DAYS", 365)

# Who answers questions about personal data where this Ripple runs, for the privacy
# notice: an email address, or the clinic's privacy office.
PRIVACY_CONTACT = env_str("RIPPLE_PRIVACY_CONTACT", "")

# Background work (reminders, rescoring, PDFs) goes on a queue kept in the database:
# `make run` starts its worker (`manage.py db_worker`) beside the server. Bigger
# deployments can name another backend here (see README, "Background work").
TASKS = {
    "default": {
        "BACKEND": env_str("RIPPLE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# With RIPPLE_TASKS_BACKEND=django_tasks_rq.RQBackend, the queue is in Redis, run by
# `manage.py rqworker default --with-scheduler --job-class django_tasks_rq.Job`.
RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0")}}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS.append("django_rq")  # its worker command
RQ_SHOW_ADMIN_LINK = False  # its dashboard is not mounted: the queue is watched from Redis

# Reports as PDF are made by that worker, one at a time per patient, and at most this
# many an hour for each who asks (the patient, each clinician, each share link).
REPORT_PDFS_PER_HOUR = env_int("RIPPLE_REPORT_PDFS_PER_HOUR", 6)

# Where Ripple is reached from outside, for links in emails sent by the worker.
SITE_URL = env_str("RIPPLE_SITE_URL", "http://127.0.0.1:8000")

# Web push for reminders (see tracker/reminders/push.py): base64url of the raw P-256
# private key; development makes its own. The subject tells push services who sends.
VAPID_PRIVATE_KEY = env_str("RIPPLE_VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env_str("RIPPLE_VAPID_SUBJECT", "mailto:ripple@localhost")
# The push services browsers subscribe with; the server posts to no other host (a
# made-up endpoint must not make it call addresses inside its own network). A
# leading dot matches any host under that domain.
PUSH_SERVICE_HOSTS = env_list(
    "RIPPLE_PUSH_HOSTS",
    "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,.notify.windows.com",
)

# Email: the console in development, SMTP from the environment in production.
if env_str("EMAIL_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                # A stuck mail server must not hang a password-reset request.
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ripple <ripple@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Requests larger than this are refused with a 400 before a view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Content Security Policy: no inline script anywhere; htmx's own indicator
# styles are switched off in base.html, so styles stay strict too.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True  # read by the server alone
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers often check over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Every handler passes config.redact: no share token, reset token or query string, no
# exception message (PostgreSQL quotes the failing row in it) and no SQL reaches a log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "config.redact.RedactFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (its console and mail_admins) are replaced by the root's,
        # whose filter they lack; the development server's request lines included.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # The PDF's helpers narrate every step at INFO (~80 lines a report).
        **{
            name: {"level": "WARNING"}
            for name in ["kaleido", "choreographer", "logistro", "weasyprint", "fontTools"]
        },
    },
}
