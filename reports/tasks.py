"""Background work of reports: making a report's PDF."""

from django.db import OperationalError
from django.utils import timezone, translation

from ncen.celery import app
from ncen.models import TaskRun
from ncen.tasking import TrackedTask

from . import services
from .models import Report


@app.task(
    base=TrackedTask,
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=3,
)
def generate_report(self, *, report_id: str, language: str) -> dict:
    """Make a report's PDF for the user who asked, in the language they read the page in
    and their administration's time zone."""
    report = (
        Report.objects.select_related("requested_by__administration", "seizure")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return {"skipped": "report gone"}
    run_id = self.request.id

    def progress(done: int) -> None:
        TaskRun.objects.filter(pk=run_id).update(result={"done": done, "total": services.STEPS})

    with (
        translation.override(language),
        timezone.override(report.requested_by.administration.time_zone),
    ):
        return services.report_generate(report=report, progress=progress)
