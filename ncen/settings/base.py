"""Settings shared by every variant. Variants: development, test, production."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .env import (
    ConfigurationError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    redis_urls,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Variants set DEBUG and the defaults below before reading the environment.
DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "ncen",
    "seizures",
    "exchange",
    "persons",
    "reports",
    "analysis",
    "indicators",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "django_countries",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "ncen.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "ncen.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ncen.middleware.AdministrationContextMiddleware",
    "ncen.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ncen.urls"
WSGI_APPLICATION = "ncen.wsgi.application"

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
                "django.template.context_processors.i18n",
                "ncen.context_processors.ncen",
                "seizures.context_processors.review_queue",
            ],
        },
    },
]

FORM_RENDERER = "ncen.renderers.FormRenderer"

DATABASES = {
    "default": database_from_url(
        "DATABASE_URL", env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ncen")
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# JIT compiles for 25-55 ms and saves nothing on queries of a page (bench/README.md). An
# `options` parameter in DATABASE_URL replaces this.
DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL, CELERY_BROKER_URL = redis_urls(
    "REDIS_URL", env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
)

AUTH_USER_MODEL = "ncen.User"
AUTHENTICATION_BACKENDS = ["ncen.backends.ModelBackend"]
LOGIN_URL = "ncen:login"
LOGIN_REDIRECT_URL = "ncen:home"
LOGOUT_REDIRECT_URL = "ncen:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 72  # an invitation link is valid for three days
# Django's database sessions, kept in ncen.models.Session with the signed-in user and read
# with that user by one statement written once (ncen/sessions.py). django.contrib.sessions
# stays installed for its clearsessions command, which clears ours.
SESSION_ENGINE = "ncen.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Sign-in protection (ncen.services.signin).
NCEN_SIGNIN_FAILURE_LIMIT = env_int("NCEN_SIGNIN_FAILURE_LIMIT", 5, minimum=1)
NCEN_SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("NCEN_SIGNIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
NCEN_SIGNIN_LOCKOUT = timedelta(minutes=env_int("NCEN_SIGNIN_LOCKOUT_MINUTES", 15, minimum=1))
# How many reverse proxies in front of the web server append to X-Forwarded-For.
NCEN_TRUSTED_PROXIES = env_int("NCEN_TRUSTED_PROXIES", 0)
# Two-factor sign-in for supervisors and administrators. Only the demo may turn it off,
# and then its sign-in page says so; production forces it on.
NCEN_DEMO_MODE = env_bool("NCEN_DEMO_MODE", False)
NCEN_REQUIRE_SECOND_FACTOR = not NCEN_DEMO_MODE
OTP_TOTP_ISSUER = "nCEN"
# Accounts unused this long are deactivated; their owners are warned beforehand.
NCEN_INACTIVITY_DAYS = env_int("NCEN_INACTIVITY_DAYS", 90, minimum=1)
NCEN_INACTIVITY_WARNING_DAYS = env_int("NCEN_INACTIVITY_WARNING_DAYS", 14, minimum=1)
# Where users reach this instance, for links in e-mails that no request is behind.
NCEN_SITE_URL = env_str("NCEN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The regional exchange (exchange/, docs/exchange-protocol.md). A hub receives what member
# administrations share; a national instance sends to one. An instance can be both.
NCEN_HUB = env_bool("NCEN_HUB", False)
NCEN_EXCHANGE_HUB_URL = env_str("NCEN_EXCHANGE_HUB_URL", "").rstrip("/")
if NCEN_EXCHANGE_HUB_URL and urlsplit(NCEN_EXCHANGE_HUB_URL).scheme not in {"http", "https"}:
    raise ConfigurationError(
        f"NCEN_EXCHANGE_HUB_URL must start with https://, not {NCEN_EXCHANGE_HUB_URL!r}."
    )
# The code this instance's administration is registered under at the hub, and the private
# key it signs with (made by `manage.py exchange_keys`).
NCEN_EXCHANGE_MEMBER = env_str("NCEN_EXCHANGE_MEMBER", "").upper()
NCEN_EXCHANGE_KEY_FILE = env_str("NCEN_EXCHANGE_KEY_FILE", "")
NCEN_EXCHANGE_BATCH_SIZE = env_int("NCEN_EXCHANGE_BATCH_SIZE", 200, minimum=1)
# The first retry waits about this long, each next one twice as long, never more than the
# ceiling; each wait is drawn between half and all of that, so members do not retry in step.
NCEN_EXCHANGE_RETRY_BASE_SECONDS = env_int("NCEN_EXCHANGE_RETRY_BASE_SECONDS", 30, minimum=1)
NCEN_EXCHANGE_RETRY_CEILING_SECONDS = env_int(
    "NCEN_EXCHANGE_RETRY_CEILING_SECONDS", 60 * 60, minimum=1
)
NCEN_EXCHANGE_TIMEOUT_SECONDS = env_int("NCEN_EXCHANGE_TIMEOUT_SECONDS", 30, minimum=1)
# A worker that has held a claimed entry this long is taken for dead; the entry is sent again.
NCEN_EXCHANGE_SENDING_LEASE_SECONDS = env_int("NCEN_EXCHANGE_SENDING_LEASE_SECONDS", 5 * 60)
if NCEN_EXCHANGE_SENDING_LEASE_SECONDS <= NCEN_EXCHANGE_TIMEOUT_SECONDS:
    raise ConfigurationError(
        "NCEN_EXCHANGE_SENDING_LEASE_SECONDS must be longer than NCEN_EXCHANGE_TIMEOUT_SECONDS "
        f"({NCEN_EXCHANGE_TIMEOUT_SECONDS})."
    )
# Hub: the largest batch it reads, and how far a batch's clock may be from its own.
NCEN_HUB_MAX_BATCH_BYTES = env_int("NCEN_HUB_MAX_BATCH_BYTES", 10 * 1024 * 1024, minimum=1024)
NCEN_HUB_MAX_BATCH_ENTRIES = env_int("NCEN_HUB_MAX_BATCH_ENTRIES", 1000, minimum=1)
NCEN_HUB_CLOCK_SKEW_SECONDS = env_int("NCEN_HUB_CLOCK_SKEW_SECONDS", 15 * 60, minimum=1)
# Hub: the most messages one page of the feed returns (members ask for at most this many).
NCEN_HUB_FEED_PAGE_SIZE = env_int("NCEN_HUB_FEED_PAGE_SIZE", 200, minimum=1)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ncen.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / ".data" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
# MEDIA_URL is deliberately unset: attachments are served only by an access-checked view.
NCEN_ATTACHMENT_MAX_BYTES = env_int("NCEN_ATTACHMENT_MAX_MB", 15, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ncen@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated call gets 401 with WWW-Authenticate.
        "ncen.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ncen.api.permissions.IsSignedIn"],
    "DEFAULT_FILTER_BACKENDS": ["ncen.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "ncen.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ncen.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["ncen.api.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "nCEN API",
    "DESCRIPTION": (
        "National customs enforcement records. Authenticate with a session or with "
        "`Authorization: Token <key>`; see the README for how to get or rotate a token."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["ncen.api.permissions.IsSignedIn"],
    # Several models have a `status`; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "SeizureStatusEnum": "seizures.models.Seizure.Status",
        "TaskRunStatusEnum": "ncen.models.TaskRun.Status",
        "AttachmentKindEnum": "seizures.models.Attachment.Kind",
        "OfficeKindEnum": "ncen.models.Office.Kind",
        "RoleEnum": "ncen.models.Role",
        "LinkRoleEnum": "persons.models.LinkRole",
        "IdentityDocumentKindEnum": "persons.models.IdentityDocument.Kind",
        "BusinessKindEnum": "persons.models.Business.Kind",
        "ConveyanceKindEnum": "persons.models.Conveyance.Kind",
    },
}

CELERY_TASK_SERIALIZER = "json"
# The queue this instance's web processes, workers and beat share. Instances that share one
# Redis (a hub and a national instance on one machine) each need their own.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # outcomes live in ncen.TaskRun, which the UI shows
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "deactivate-unused-accounts": {
        "task": "ncen.tasks.deactivate_unused_accounts",
        "schedule": crontab(hour=2, minute=15),
    },
    "clear-expired-sessions": {
        "task": "ncen.tasks.clear_expired_sessions",
        "schedule": crontab(hour=2, minute=30),
    },
    "find-duplicates": {
        "task": "persons.tasks.find_duplicates",
        "schedule": crontab(hour=3, minute=0),
    },
    "prune-person-names": {
        "task": "persons.tasks.prune_person_names",
        "schedule": crontab(hour=2, minute=45),
    },
    # Whatever a lost message or a failed attempt left in the outbox is sent from here.
    "exchange-sweep-outbox": {
        "task": "exchange.tasks.sweep_outbox",
        "schedule": env_int("NCEN_EXCHANGE_SWEEP_SECONDS", 30, minimum=1),
    },
    # The dashboard's counts written since are folded into its rollup (analysis.counts).
    "analysis-compact-seizure-counts": {
        "task": "analysis.tasks.compact_seizure_counts",
        "schedule": 60,
    },
    # What the other members shared regionally comes in from the hub's feed.
    "exchange-pull-feed": {
        "task": "exchange.tasks.pull_feed",
        "schedule": env_int("NCEN_EXCHANGE_PULL_SECONDS", 5 * 60, minimum=1),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".data" / "celerybeat-schedule")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every step of every report at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}
