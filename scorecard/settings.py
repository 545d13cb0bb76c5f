"""Settings for Scorecard, read from the environment.

Defaults give the embedded mode used by `make run` and `make test`: SQLite under
var/, Celery tasks run inline, e-mail printed to the console. Production sets
DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and CELERY_BROKER_URL.
"""

from __future__ import annotations

from pathlib import Path

from scorecard.env import (
    ConfigError,
    env_bool,
    env_broker,
    env_database,
    env_int,
    env_list,
    env_site_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

_secret = env_str("SECRET_KEY", "")
if not _secret:
    if not DEBUG:
        raise ConfigError("SECRET_KEY: required when DEBUG is off (a long random string)")
    # Only ever used in the local embedded mode; production refuses to start without one.
    _secret = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo accounts (seed_demo) exist only in this mode; they have published passwords.
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "axes",
    "csp",
    "pgtrigger",
    "scorecard",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "assessments.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "assessments.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scorecard.urls"
WSGI_APPLICATION = "scorecard.wsgi.application"

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
                "assessments.context_processors.organisation_menu",
            ],
            # Catalog labels (code, title, source id) appear in most headings.
            "builtins": ["assessments.templatetags.catalog_labels"],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'scorecard.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assessments.User"
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: lock an account after repeated failures, for a cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
# Failures are counted per account (the normalised e-mail), whatever address they come
# from: spreading guesses over many addresses does not buy more of them. A counter per
# (address, account) would be redundant, since it can never reach the limit before this
# one; a counter per address alone would lock out a whole office behind one NAT address.
AXES_LOCKOUT_PARAMETERS = [["username"]]
# axes warns (W006) when no counter includes the address, because a counter keyed on user
# agent or cookies alone can be dodged by changing them. Ours is keyed on the account, which
# an attacker cannot rotate, so the warning does not apply.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Every spelling of an address (case, surrounding spaces) is one account, so one counter.
AXES_USERNAME_CALLABLE = "assessments.views.accounts.login_key"
# Which address a request comes from (django-ipware). By default only the direct peer
# (REMOTE_ADDR) counts and no forwarding header is believed, since any client can send one.
# Behind a load balancer, AXES_IPWARE_PROXY_COUNT is how many proxy addresses
# X-Forwarded-For carries besides the client's (0 behind a single balancer that sets it);
# a header with any other number of entries is not believed. Unset means "not behind a proxy".
_proxy_count = env_int("AXES_IPWARE_PROXY_COUNT", -1)  # -1: unset (an empty value too)
AXES_IPWARE_PROXY_COUNT = None if _proxy_count < 0 else _proxy_count
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(
    env_list(
        "AXES_IPWARE_META_PRECEDENCE_ORDER",
        ["REMOTE_ADDR"]
        if AXES_IPWARE_PROXY_COUNT is None
        else ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
    )
)
for _key in AXES_IPWARE_META_PRECEDENCE_ORDER:
    _header = _key.startswith("HTTP_") and _key.isupper() and _key.replace("_", "").isalnum()
    if _key != "REMOTE_ADDR" and not _header:
        raise ConfigError(
            f"AXES_IPWARE_META_PRECEDENCE_ORDER={','.join(AXES_IPWARE_META_PRECEDENCE_ORDER)!r}: "
            "expected request META keys such as HTTP_X_FORWARDED_FOR,REMOTE_ADDR"
        )
AXES_VERBOSE = False
# A locked-out login gets a page that says so and for how long (HTTP 429).
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives here and is only ever served through access-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
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

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Scorecard <scorecard@localhost>")

# Celery: without a broker, tasks run inline in the web process (embedded mode).
CELERY_BROKER_URL = env_broker("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Results are kept only where a caller waits on them (the worker smoke test, scripts).
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180, minimum=1)

# Sessions: short idle timeout, bounded absolute lifetime (see assessments.middleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Everything the browser loads comes from this origin; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP inside the compose network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
CATALOG_MAX_BYTES = env_int("CATALOG_MAX_BYTES", 32 * 1024 * 1024, minimum=1024)
# A catalog uploaded in the admin that is larger than this is imported by a Celery worker,
# with a progress page, instead of during the request (a 4 MB file takes a few seconds).
CATALOG_IMPORT_INLINE_BYTES = env_int("CATALOG_IMPORT_INLINE_BYTES", 1024 * 1024, minimum=0)
# PDF renders one person may queue per hour (a cached PDF of a finalised assessment and a
# render already under way for the same assessment cost nothing and are not counted).
PDF_RENDERS_PER_HOUR = env_int("PDF_RENDERS_PER_HOUR", 20, minimum=1)
# The address people reach this instance at: the PDF's QR code and verification link point
# to SITE_URL/verify/ (a PDF is typeset by a worker, with no request to take the host from).
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000")
# Fingerprint look-ups one client address may make on the public /verify/ page per window.
# The counts live in Django's cache: the default local-memory cache counts per process.
VERIFY_LOOKUPS_PER_WINDOW = env_int("VERIFY_LOOKUPS_PER_WINDOW", 30, minimum=1)
VERIFY_WINDOW_SECONDS = env_int("VERIFY_WINDOW_SECONDS", 60 * 60, minimum=1)
# Optional PAdES signature of every PDF scorecard: PEM files of the key and the certificate
# (with its chain); unset, PDFs are not signed (assessments/reports/signing.py).
REPORT_SIGNING_KEY = env_str("REPORT_SIGNING_KEY", "")
REPORT_SIGNING_CERT = env_str("REPORT_SIGNING_CERT", "")
REPORT_SIGNING_KEY_PASSPHRASE = env_str("REPORT_SIGNING_KEY_PASSPHRASE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
