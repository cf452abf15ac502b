"""Background work of indicators: checking new records against them."""

from django.db import OperationalError

from ncen.celery import app
from ncen.tasking import TrackedTask

from . import services


@app.task(
    base=TrackedTask,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=5,
)
def check_seizure(*, seizure_id: int, actor_id: int) -> dict:
    """Check a newly submitted or approved record against the active indicators; a retry
    adds no second hit or alert."""
    return services.indicators_check(seizure_id=seizure_id, actor_id=actor_id)
