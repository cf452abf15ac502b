from smtplib import SMTPException

from django.conf import settings
from django.db import OperationalError

from . import services
from .celery import app
from .sessions import SessionStore
from .tasking import TrackedTask

# The daily housekeeping: tracked, and tried again while the database is unreachable.
_DAILY = {
    "base": TrackedTask,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 60,
    "retry_jitter": True,
    "max_retries": 5,
}


@app.task(**_DAILY)
def deactivate_unused_accounts() -> dict:
    """Daily: warn owners of accounts nearing the inactivity limit, deactivate those past it."""
    return services.unused_accounts_deactivate(site_url=settings.NCEN_SITE_URL)


@app.task(**_DAILY)
def clear_expired_sessions() -> dict:
    """Daily: delete the sessions past their expiry, which sign nobody in any more
    (what Django's clearsessions command does, which nothing else runs)."""
    return {"deleted": SessionStore.clear_expired()}


@app.task(
    base=TrackedTask,
    autoretry_for=(OperationalError, SMTPException, OSError),
    retry_backoff=60,
    retry_jitter=True,
    max_retries=8,
)
def email_notification(notification_id: int) -> dict:
    """E-mail a notification to its recipient; a notification already e-mailed is skipped."""
    return services.notification_email(
        notification_id=notification_id, site_url=settings.NCEN_SITE_URL
    )
