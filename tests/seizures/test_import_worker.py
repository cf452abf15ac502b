"""The import on a real Celery worker: progress on the TaskRun row, all or nothing."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from ncen.models import AuditEntry, TaskRun
from seizures.imports import import_confirm, import_preview
from seizures.models import Code, Seizure
from seizures.tasks import _Progress, import_seizures

from ..celery_worker import finished, worker_for
from .import_files import GOOD_ROWS, as_xlsx

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(transactional_db, request, monkeypatch):
    with worker_for(import_seizures, request, monkeypatch) as queue:
        yield queue


def _confirmed(user) -> TaskRun:
    preview = import_preview(by=user, upload=SimpleUploadedFile("march.xlsx", as_xlsx(GOOD_ROWS)))
    assert preview.checked.ok
    return import_confirm(by=user, token=preview.token)


def test_a_worker_imports_the_file_and_leaves_the_outcome_on_the_run(worker, fj_officer):
    run = finished(_confirmed(fj_officer))
    assert run.status == TaskRun.Status.SUCCEEDED, run.message
    seizures = list(Seizure.objects.order_by("reference_number"))
    assert [s.reference_number for s in seizures] == [1, 2, 3]
    assert run.result["seizures"] == [s.pk for s in seizures]
    assert run.result["done"] == run.result["total"] == 3
    assert sum(s.items.count() for s in seizures) == 4
    assert {s.created_by_id for s in seizures} == {fj_officer.pk}
    assert AuditEntry.objects.filter(action="seizures_imported").count() == 1
    # The upload is gone once imported; the run says what was made of it.
    assert not default_storage.exists(f"imports/{run.arguments['file']}")


def test_a_row_refused_when_the_worker_runs_leaves_nothing_saved(worker, fj_officer):
    run = finished(_confirmed_after_retiring(fj_officer))
    assert run.status == TaskRun.Status.FAILED
    assert not Seizure.objects.exists()
    assert run.result["errors"] == [
        {"row": 4, "column": "Commodity", "message": "This entry is retired; choose a current one."}
    ]
    assert "row 4, Commodity" in run.message


def _confirmed_after_retiring(user) -> TaskRun:
    """Preview with the entry current, then retire it before the worker picks the run up."""
    preview = import_preview(by=user, upload=SimpleUploadedFile("march.xlsx", as_xlsx(GOOD_ROWS)))
    assert preview.checked.ok
    Code.objects.filter(list="commodity", code="cigarettes").update(is_retired=True)
    return import_confirm(by=user, token=preview.token)


def test_progress_is_visible_while_the_import_transaction_is_open(fj_officer):
    run = TaskRun.objects.create(name=import_seizures.name, requested_by=fj_officer)
    progress = _Progress(str(run.pk))
    try:
        with transaction.atomic():
            Seizure.objects.select_for_update().exists()  # the import's transaction is open
            progress(2, 3)
            # Written by a connection of its own, so already committed for every reader.
            assert TaskRun.objects.get(pk=run.pk).result == {"done": 2, "total": 3}
            transaction.set_rollback(True)
    finally:
        progress.close()
    assert TaskRun.objects.get(pk=run.pk).result == {"done": 2, "total": 3}
