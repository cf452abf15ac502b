"""A developer's machine and the demo of `make run`."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = True
# Not a secret: development only. Production refuses to start without SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only-key")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
