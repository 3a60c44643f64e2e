"""Settings for Kampung KB, read from the environment and safe when unset.

Development needs no variable at all: DEBUG is off unless asked for, but the
``demo`` command and the test suite set it up explicitly. Production refuses to
start without SECRET_KEY.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.contrib.messages import constants as messages
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VERSION = "0.1.0"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for development, set DEBUG=1)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
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
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "cachalot",
    "kampungkb",
    "accounts",
    "villages",
    "training",
    "coaching",
    "overview",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kampungkb.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, compressed ahead
    # Pages compressed for slow connections. Against BREACH: Django masks the CSRF token
    # anew in every response and pads each compressed body with random bytes.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kampungkb.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kampungkb.middleware.LoginRequiredMiddleware",
    "kampungkb.middleware.RefuseNulCharactersMiddleware",
    "kampungkb.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kampungkb.urls"

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
                "accounts.context_processors.app",
            ],
        },
    },
]

# Widgets may use project templates (templates/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "kampungkb.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "overview:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Proxies in front of the app that append to X-Forwarded-For (0: the header is ignored).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))

# Login throttling: five failures lock the username from that address for an hour, and
# LOGIN_FAILURES_PER_ADDRESS failures an hour lock the address for every username.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# A refused attempt during a lockout neither extends it nor goes unanswered: it gets
# the lockout page, whichever of the two limits holds it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "accounts.lockout.AddressLimitHandler"
AXES_CLIENT_IP_CALLABLE = "kampungkb.clientip.client_ip"
LOGIN_FAILURES_PER_ADDRESS = 30

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True
# Grouped digits only where a template asks (intcomma): ids in markup must stay plain.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
# Activity photos. No URL serves this folder: each photo is sent by a view to those
# who may see its village. Put it where the deployment keeps data and backs it up.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded spreadsheets are read in memory; anything larger is refused by the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# A reason a person gives (an override's, a reopened visit's, a need's progress note)
# is kept in the history whole, whatever its length.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# "default": shared by every worker and kept across restarts, with no service beyond
# the database: the misses counted by the public certificate check (kampungkb/throttle.py).
# "queries": the results of ORM queries, kept by django-cachalot until any write to one
# of their tables (forms, admin, imports, `update()`, raw SQL alike) and shared by every
# worker through files. It spares a national user counting 84,000 villages on each page
# (docs/performance.md). Keys carry the database's identity: two never share a result.
# No page is cached. `migrate` creates the table of "default".
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kampungkb_cache",
    },
    "queries": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("QUERY_CACHE_DIR", BASE_DIR / "query-cache"),
        "KEY_PREFIX": hashlib.sha256(
            "{ENGINE} {HOST} {PORT} {NAME}".format_map(DATABASES["default"]).encode()
        ).hexdigest()[:16],
    },
}
CACHALOT_CACHE = "queries"
CACHALOT_QUERY_KEYGEN = "kampungkb.querycache.query_key"  # none inside a transaction
# A result read while another request was writing its table may outlive that write
# (docs/performance.md): none is kept longer than five minutes.
CACHALOT_TIMEOUT = 5 * 60
# Rows read a chunk at a time (exports, import checks) are not kept: they are too many.
CACHALOT_CACHE_ITERATORS = False
# Updated on every sign-in or request: caching them would only cost writes.
CACHALOT_UNCACHABLE_APPS = ("sessions", "axes")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
MESSAGE_TAGS = {messages.ERROR: "danger"}  # Bootstrap's name for the alert of an error

SESSION_ENGINE = "kampungkb.sessions"  # Django's database sessions, stricter keys
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The public base address printed in certificate QR codes (e.g. https://kkb.pontianak.go.id).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
