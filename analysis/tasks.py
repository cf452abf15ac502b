"""Background work of the analysis: keeping the rollup's changes few."""

from dataclasses import asdict

from django.db import OperationalError

from ncen.celery import app

from . import counts


# Not a TrackedTask: it runs every minute and would bury the task list in rows.
@app.task(autoretry_for=(OperationalError,), retry_backoff=5, retry_jitter=True, max_retries=3)
def compact_seizure_counts() -> dict:
    """Beat, and once a bulk import commits: fold the rollup's changes into it."""
    done = counts.compact()
    return {"skipped": "another compaction is running"} if done is None else asdict(done)
