"""Background work that a person can follow: every task run leaves a ``TaskRun`` row.

Tasks take ids and JSON-ready keyword arguments, are sent only once the transaction that
asked for them commits, and declare their own retries.
"""

from celery import Task
from django.db import transaction
from django.utils import timezone

from . import context
from .models import TaskRun


def enqueue(task: Task, *, requested_by=None, administration=None, **kwargs) -> TaskRun:
    """Record the run and send the task when the current transaction commits."""
    run = TaskRun.objects.create(
        name=task.name,
        arguments=kwargs,
        requested_by=requested_by,
        administration=administration or getattr(requested_by, "administration", None),
    )
    transaction.on_commit(lambda: task.apply_async(kwargs=kwargs, task_id=str(run.pk)))
    return run


class TrackedTask(Task):
    """Base class that keeps the task's ``TaskRun`` row current through every attempt."""

    def __call__(self, *args, **kwargs):
        token = context.request_id.set(f"task:{self.request.id}")
        try:
            return super().__call__(*args, **kwargs)
        finally:
            context.request_id.reset(token)

    def before_start(self, task_id, args, kwargs):
        # Scheduled tasks arrive without a row: beat does not go through enqueue().
        run, _created = TaskRun.objects.get_or_create(
            pk=task_id, defaults={"name": self.name, "arguments": kwargs}
        )
        run.status = TaskRun.Status.RUNNING
        run.attempts += 1
        run.started_at = timezone.now()
        run.save(update_fields=["status", "attempts", "started_at"])

    def on_success(self, retval, task_id, args, kwargs):
        TaskRun.objects.filter(pk=task_id).update(
            status=TaskRun.Status.SUCCEEDED, result=retval, message="", finished_at=timezone.now()
        )

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        TaskRun.objects.filter(pk=task_id).update(
            status=TaskRun.Status.RETRYING, message=f"{type(exc).__name__}: {exc}"
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        TaskRun.objects.filter(pk=task_id).update(
            status=TaskRun.Status.FAILED,
            message=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
