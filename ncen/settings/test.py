"""The test suite: real PostgreSQL and Redis, fast hashing, mail kept in memory (or, in a
Celery worker started by a test, written to a folder the test reads)."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "django-insecure-test-only-key"  # noqa: S105 - tests only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if os.environ.get("NCEN_TEST_MAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["NCEN_TEST_MAIL_DIR"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
NCEN_DEMO_MODE = False
NCEN_REQUIRE_SECOND_FACTOR = True
CELERY_TASK_ALWAYS_EAGER = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploads of one test run go to a folder of their own, which a Celery worker started by a
# test is told to share.
MEDIA_ROOT = Path(  # noqa: F405
    os.environ.get("NCEN_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="ncen-test-media-")
)
