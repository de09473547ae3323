"""Settings for the help desk, driven by environment variables only.

Production differs from development by values, never by code: every knob is
read here through one strict `environ.Env`, and a missing or malformed value
fails at start-up with a message that names it.

Without DATABASE_URL / REDIS_URL the app runs on embedded parts (SQLite, a
filesystem Celery broker, an in-memory channel layer) so `make run` needs no
outside service.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=true for local development only)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "channels",
    "helpdesk",  # project-wide commands (seed_demo)
    "accounts",
    "tickets",
    "sla",
    "knowledge_base",
    "surveys",
    "recovery",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "helpdesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)  # the embedded database's home
    # WAL lets the web process read while the worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery -------------------------------------------------------------------

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
else:
    # kombu's filesystem transport: an embedded broker shared by web, worker and beat.
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"

# --- Auth ---------------------------------------------------------------------

AUTHENTICATION_BACKENDS = ["accounts.backends.EmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# --- I18N ---------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from npm (package.json); served straight from their dist folders.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Nothing routes this URL: attachments are streamed by tickets/views after an access check.
MEDIA_URL = "/media/"

MAX_ATTACHMENT_BYTES = env.int("MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
MAX_ATTACHMENTS_PER_MESSAGE = env.int("MAX_ATTACHMENTS_PER_MESSAGE", default=5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Email --------------------------------------------------------------------

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Help Desk <support@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Inbound mail: IMAP_URL is one or more comma-separated imaps://user:pass@host:993/MAILBOX.
IMAP_URL = env.str("IMAP_URL", default="")
IMAP_TIMEOUT = env.int("IMAP_TIMEOUT", default=30)
IMAP_BATCH = env.int("IMAP_BATCH", default=200)
INBOUND_EMAIL_TOKEN = env.str("INBOUND_EMAIL_TOKEN", default="")
MAX_INBOUND_EMAIL_BYTES = env.int("MAX_INBOUND_EMAIL_BYTES", default=25 * 1024 * 1024)
MAX_OUTBOUND_ATTACHMENT_BYTES = env.int("MAX_OUTBOUND_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# Our own addresses besides DEFAULT_FROM_EMAIL (mail from them is a loop), and
# mailing lists whose List-Id we accept (a support address that is itself a group).
INBOUND_EMAIL_ADDRESSES = env.list("INBOUND_EMAIL_ADDRESSES", default=[])
INBOUND_EMAIL_ALLOWED_LIST_IDS = env.list("INBOUND_EMAIL_ALLOWED_LIST_IDS", default=[])

# --- Surveys (owned by the surveys app) ----------------------------------------------
# When a ticket is solved (or a recovery case closes) a survey is emailed after
# SURVEY_DELAY_HOURS, moved out of the customer's local quiet hours
# [SURVEY_QUIET_START_HOUR, SURVEY_QUIET_END_HOUR) to the end of them; a customer
# gets at most one survey per SURVEY_THROTTLE_DAYS; one reminder goes out
# SURVEY_REMINDER_HOURS after an unanswered send (0: none); links and answers
# close SURVEY_EXPIRY_DAYS after sending. SURVEY_KIND_ON_SOLVE: csat, nps or effort.

SURVEY_DELAY_HOURS = env.int("SURVEY_DELAY_HOURS", default=24)
SURVEY_QUIET_START_HOUR = env.int("SURVEY_QUIET_START_HOUR", default=21)
SURVEY_QUIET_END_HOUR = env.int("SURVEY_QUIET_END_HOUR", default=9)
SURVEY_THROTTLE_DAYS = env.int("SURVEY_THROTTLE_DAYS", default=30)
SURVEY_REMINDER_HOURS = env.int("SURVEY_REMINDER_HOURS", default=72)
SURVEY_EXPIRY_DAYS = env.int("SURVEY_EXPIRY_DAYS", default=14)
SURVEY_KIND_ON_SOLVE = env.str("SURVEY_KIND_ON_SOLVE", default="csat")
for _name, _ok in (
    ("SURVEY_DELAY_HOURS", SURVEY_DELAY_HOURS >= 0),
    ("SURVEY_QUIET_START_HOUR", 0 <= SURVEY_QUIET_START_HOUR <= 23),
    ("SURVEY_QUIET_END_HOUR", 0 <= SURVEY_QUIET_END_HOUR <= 23),
    ("SURVEY_THROTTLE_DAYS", SURVEY_THROTTLE_DAYS >= 0),
    ("SURVEY_EXPIRY_DAYS", SURVEY_EXPIRY_DAYS >= 1),
    ("SURVEY_REMINDER_HOURS", 0 <= SURVEY_REMINDER_HOURS < SURVEY_EXPIRY_DAYS * 24),
    ("SURVEY_KIND_ON_SOLVE", SURVEY_KIND_ON_SOLVE in ("csat", "nps", "effort")),
):
    if not _ok:
        raise ImproperlyConfigured(f"{_name} has an invalid value: {globals()[_name]!r}.")

# --- Chat and SMS ----------------------------------------------------------------
# A chat nobody picks up within this many seconds is told so and goes on by email.
CHAT_PICKUP_TIMEOUT_SECONDS = env.int("CHAT_PICKUP_TIMEOUT_SECONDS", default=120)
# POST /hooks/sms/ needs this shared secret; empty: the hook is off (403).
SMS_WEBHOOK_TOKEN = env.str("SMS_WEBHOOK_TOKEN", default="")
SMS_BACKEND = env.str("SMS_BACKEND", default="tickets.channels.sms.backends.ConsoleBackend")
SMS_FROM_NUMBER = env.str("SMS_FROM_NUMBER", default="")

# --- API ------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "helpdesk.api.pagination.Pagination",
    # Size- and depth-limited JSON: deeply nested or huge bodies answer 4xx, never 500.
    "DEFAULT_PARSER_CLASSES": [
        "helpdesk.api.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "helpdesk.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth_token": env.str("THROTTLE_AUTH_TOKEN", default="20/min"),
        "user": env.str("THROTTLE_USER", default="600/min"),
        "anon": env.str("THROTTLE_ANON", default="60/min"),
    },
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Help desk API",
    "DESCRIPTION": "Tickets, messages, knowledge base, service recovery and surveys.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Several apps have a `status`; name the ticket one so the schema stays stable.
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.Status",
        "SurveyKindEnum": "surveys.models.SurveyKind",
    },
}

# --- Security -------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

HELPDESK_TICKET_PREFIX = "HD"
