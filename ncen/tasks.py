from smtplib import SMTPException

from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from . import services
from .celery import app
from .models import Session
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
    (Django's clearsessions command, which nothing else runs)."""
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return {"deleted": deleted}


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
