"""A report made by a real Celery worker, followed and downloaded as the page does."""

import io

import pytest
from django.db import transaction
from pypdf import PdfReader

from ncen.audit import Action
from ncen.models import AuditEntry, TaskRun
from reports import services
from reports.models import Report
from reports.tasks import generate_report

from ..celery_worker import finished, wait_until, worker_for
from ..conftest import signed_in_client
from ..factories import make_full_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(transactional_db, request, monkeypatch):
    with worker_for(generate_report, request, monkeypatch) as queue:
        yield queue


def _followed(client, status_url: str) -> dict:
    """The report's status as the page reads it, once it says the report is finished."""

    def state() -> dict:
        return client.get(status_url).json()

    return wait_until(
        lambda: (now := state())["finished"] and now,
        timeout=90,
        what="the report",
        state=lambda: state()["status"],
    )


def test_a_worker_makes_the_report_the_page_follows_and_downloads(worker, fj_officer):
    seizure = make_full_case(by=fj_officer)
    client = signed_in_client(fj_officer)
    location = client.post(f"/seizures/{seizure.pk}/report/")["Location"]
    report = Report.objects.get()
    state = _followed(client, f"{location}status/")
    assert state["status"] == TaskRun.Status.SUCCEEDED, state["message"]
    assert state["ready"] is True
    assert (state["done"], state["total"], state["percent"]) == (4, 4, 100)
    page = client.get(location).content.decode()
    assert "Download the PDF" in page
    response = client.get(f"/reports/{report.pk}/download/")
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == state["pages"] >= 2
    for page in reader.pages:
        text = page.extract_text()
        assert seizure.reference in text
        assert "No handling code: not approved yet" in text
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Package 6: blocks wrapped in black plastic" in text


def test_a_report_whose_requester_was_deactivated_meanwhile_fails_with_the_reason(
    worker, fj_officer
):
    seizure = make_full_case(by=fj_officer, photos=0)
    with transaction.atomic():
        report = services.report_request(
            by=fj_officer, kind=Report.Kind.SEIZURE, seizure=seizure, language="en"
        )
        # Deactivated before the worker runs (the task leaves on commit): it reads as them.
        fj_officer.is_active = False
        fj_officer.save()
    run = finished(report.run, timeout=90)
    assert run.status == TaskRun.Status.FAILED
    assert "no longer among those you may see" in run.message
    report.refresh_from_db()
    assert not report.file
    assert not AuditEntry.objects.filter(action=Action.REPORT_GENERATED).exists()


def test_a_worker_makes_the_bulletin_asked_for_from_the_dashboard(worker, fj_officer):
    from datetime import UTC, datetime

    from ..factories import code, make_seizure

    for day in (3, 17):
        make_seizure(by=fj_officer, occurred_at=datetime(2025, 3, day, 2, tzinfo=UTC))
    client = signed_in_client(fj_officer)
    drugs = code("commodity", "drugs").pk
    location = client.post(
        "/reports/bulletin/",
        {"occurred_from": "2025-03-01", "occurred_to": "2025-03-31", "commodity": drugs},
    )["Location"]
    report = Report.objects.get()
    state = _followed(client, f"{location}status/")
    assert state["status"] == TaskRun.Status.SUCCEEDED, state["message"]
    assert (state["done"], state["total"]) == (4, 4)
    response = client.get(f"/reports/{report.pk}/download/")
    assert 'filename="bulletin-FJ-2025-03-01-2025-03-31.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == state["pages"]
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Seizure bulletin: 1 Mar 2025 to 31 Mar 2025" in text
    assert "Commodity Drugs" in text
    assert "Seizures 2" in text
    assert "March 2025 2" in text
