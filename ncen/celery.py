"""The Celery app: JSON messages on Redis, late acknowledgement, beat for schedules."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncen.settings.development")

app = Celery("ncen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
