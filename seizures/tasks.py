"""Background work of seizures: the spreadsheet import."""

import hashlib
import time

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ncen.celery import app
from ncen.models import TaskRun
from ncen.tasking import TrackedTask

from . import imports

# How often the progress bar moves, at most.
PROGRESS_INTERVAL = 0.5


class _Progress:
    """Writes ``{"done": n, "total": m}`` on the run's row through a connection of its own:
    the import's transaction holds everything else back until it commits."""

    def __init__(self, run_id: str):
        self.run_id = run_id
        self.last = 0.0
        self.connection = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ncen_taskrun SET result = jsonb_build_object('done', %s, 'total', %s) "
                "WHERE id = %s",
                [done, total, self.run_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


@app.task(
    base=TrackedTask,
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=3,
)
def import_seizures(self, *, user_id: int, file: str, name: str, sha256: str) -> dict:
    """Import a checked upload as drafts of the user who confirmed it. Idempotent: a second
    delivery of the same run finds the first one's outcome and returns it."""
    run_id = self.request.id
    user = (
        get_user_model()
        .objects.select_related("administration", "office")
        .filter(pk=user_id, is_active=True)
        .first()
    )
    if user is None:
        return {"skipped": "user gone"}
    progress = _Progress(run_id)
    with (
        translation.override(user.administration.default_language),
        timezone.override(user.administration.time_zone),
    ):
        try:
            outcome = _import(
                run_id, user=user, file=file, name=name, sha256=sha256, progress=progress
            )
        except imports.ImportRefused as refused:
            # Nothing was saved; the rows are kept on the run for the page to list, and the
            # corrected file is a new upload.
            TaskRun.objects.filter(pk=run_id).update(
                result={"errors": imports.errors_as_dicts(refused.errors)}
            )
            imports.upload_discard(file)
            raise
        finally:
            progress.close()
    imports.upload_discard(file)
    return outcome


@transaction.atomic
def _import(run_id: str, *, user, file: str, name: str, sha256: str, progress: _Progress) -> dict:
    # Two deliveries of one run queue here; the second finds the first's seizures.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"import:{run_id}"])
    earlier = TaskRun.objects.filter(pk=run_id).values_list("result", flat=True).first()
    if earlier and "seizures" in earlier:
        return earlier
    try:
        data = imports.upload_read(file)
    except FileNotFoundError:
        return {"skipped": "upload gone"}
    if hashlib.sha256(data).hexdigest() != sha256:
        raise imports.ImportRefused(
            [imports.RowError(1, "", _("The stored file is not the one that was checked."))]
        )
    created = imports.seizures_import(by=user, data=data, file_name=name, progress=progress)
    outcome = {
        "done": len(created),
        "total": len(created),
        "seizures": [seizure.pk for seizure in created],
        "references": [seizure.reference for seizure in created],
    }
    # Saved with the seizures: a later delivery sees them both or neither.
    TaskRun.objects.filter(pk=run_id).update(result=outcome)
    return outcome
