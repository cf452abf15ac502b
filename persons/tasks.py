from django.db import OperationalError

from ncen.celery import app
from ncen.models import Administration
from ncen.tasking import TrackedTask

from . import services


@app.task(
    base=TrackedTask,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    retry_jitter=True,
    max_retries=5,
)
def find_duplicate_persons() -> dict:
    """Nightly: list each administration's likely duplicate persons for supervisors."""
    return {
        administration.code: services.duplicate_pairs_find(administration_id=administration.pk)
        for administration in Administration.objects.order_by("pk")
    }
