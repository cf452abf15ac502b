from django.db import OperationalError

from ncen.celery import app
from ncen.tasking import TrackedTask

from . import delivery, pull


@app.task(
    base=TrackedTask,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=5,
)
def deliver_outbox() -> dict:
    """Send the outbox's due entries to the hub; queued by each approval or withdrawal
    that writes one. Safe to run any number of times at once: entries are claimed."""
    return delivery.deliver()


# Not a TrackedTask: it runs every 30 seconds and would bury the task list in rows. What it
# sends leaves its trace in exchange.DeliveryAttempt, which the exchange page shows.
@app.task(autoretry_for=(OperationalError,), retry_backoff=5, retry_jitter=True, max_retries=3)
def sweep_outbox() -> dict:
    """Beat: send whatever is due, so that no entry waits on a message Redis lost."""
    return delivery.sweep()


# Not a TrackedTask either, for the same reason: each run's outcome is kept on
# exchange.FeedPull, which the exchange page and `exchange_status` show.
@app.task(autoretry_for=(OperationalError,), retry_backoff=5, retry_jitter=True, max_retries=3)
def pull_feed() -> dict:
    """Beat: take in what the other members shared regionally since the last pull."""
    return pull.pull()
