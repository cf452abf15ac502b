from smtplib import SMTPException

from django.conf import settings
from django.db import OperationalError

from . import services
from .celery import app
from .tasking import TrackedTask


@app.task(
    base=TrackedTask,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    retry_jitter=True,
    max_retries=5,
)
def deactivate_unused_accounts() -> dict:
    """Daily: warn owners of accounts nearing the inactivity limit, deactivate those past it."""
    return services.unused_accounts_deactivate(site_url=settings.NCEN_SITE_URL)


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
