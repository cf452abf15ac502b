"""Production: everything secret or site-specific comes from the environment."""

from .base import *  # noqa: F403
from .env import ConfigurationError, env_bool, env_int, env_list, env_private_key, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ConfigurationError("SECRET_KEY must be a random string of at least 50 characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS is required, e.g. ALLOWED_HOSTS=ncen.customs.gov.fj")
DATABASES["default"] = database_from_url("DATABASE_URL", env_str("DATABASE_URL"))  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
REDIS_URL, CELERY_BROKER_URL = redis_urls("REDIS_URL", env_str("REDIS_URL"))  # noqa: F405

# The second factor is never optional in production.
NCEN_DEMO_MODE = False
NCEN_REQUIRE_SECOND_FACTOR = True

# TLS ends at the reverse proxy in front of gunicorn, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# The exchange signs what it sends: in production only over HTTPS, and never without a key.
if NCEN_EXCHANGE_HUB_URL:  # noqa: F405
    if not NCEN_EXCHANGE_HUB_URL.startswith("https://"):  # noqa: F405
        raise ConfigurationError(
            "NCEN_EXCHANGE_HUB_URL must start with https:// in production, "
            f"not {NCEN_EXCHANGE_HUB_URL!r}."  # noqa: F405
        )
    if not NCEN_EXCHANGE_MEMBER:  # noqa: F405
        raise ConfigurationError(
            "NCEN_EXCHANGE_MEMBER is required with NCEN_EXCHANGE_HUB_URL: the code this "
            "administration is registered under at the hub."
        )
    env_private_key("NCEN_EXCHANGE_KEY_FILE", NCEN_EXCHANGE_KEY_FILE)  # noqa: F405
