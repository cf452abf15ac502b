"""Asking for, following and downloading reports, in the pages and the API: a report is its
requester's alone, another administration's ids answer 404, and every download is in the
trail."""

import pytest
from django.core.exceptions import PermissionDenied

from ncen.audit import Action
from ncen.models import AuditEntry, Role, TaskRun
from reports import services
from reports.models import Report

from ..conftest import _user, api_client, signed_in_client
from ..factories import make_seizure
from .conftest import make_report

pytestmark = pytest.mark.django_db


def test_the_seizure_page_offers_a_pdf_report_that_queues_a_worker(
    fj_officer, django_assert_num_queries
):
    seizure = make_seizure(by=fj_officer)
    client = signed_in_client(fj_officer)
    page = client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert f'action="/seizures/{seizure.pk}/report/"' in page
    assert "PDF report" in page
    # Session with its user, the seizure (without its detail relations), the service's
    # visibility check, and the run and report written in a savepoint.
    with django_assert_num_queries(7):
        response = client.post(f"/seizures/{seizure.pk}/report/")
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/"
    assert (report.kind, report.seizure, report.requested_by) == ("seizure", seizure, fj_officer)
    assert report.run.name == "reports.tasks.generate_report"
    assert report.run.arguments == {"report_id": str(report.pk), "language": "en"}
    page = client.get(response["Location"]).content.decode()
    assert f'data-task-status="/reports/{report.pk}/status/"' in page
    assert "js/task_progress.js" in page
    assert client.get(f"/reports/{report.pk}/status/").json()["status"] == "queued"


def test_asking_for_a_report_needs_a_post(fj_officer):
    seizure = make_seizure(by=fj_officer)
    response = signed_in_client(fj_officer).get(f"/seizures/{seizure.pk}/report/")
    assert response.status_code == 405
    assert not Report.objects.exists()


def test_a_made_report_is_downloaded_and_each_download_is_in_the_trail(fj_officer):
    seizure = make_seizure(by=fj_officer)
    report = make_report(fj_officer, seizure)
    TaskRun.objects.filter(pk=report.run_id).update(status=TaskRun.Status.SUCCEEDED)
    client = signed_in_client(fj_officer)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f'href="/reports/{report.pk}/download/"' in page
    for _attempt in range(2):
        response = client.get(f"/reports/{report.pk}/download/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="{seizure.reference}-report.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    downloads = AuditEntry.objects.filter(action=Action.REPORT_DOWNLOADED)
    assert downloads.count() == 2
    assert {(e.actor_id, e.object_id) for e in downloads} == {(fj_officer.pk, str(seizure.pk))}


def test_another_administration_and_a_colleague_get_404_everywhere(
    fj_officer, fj_supervisor, ws_officer
):
    seizure = make_seizure(by=fj_officer)
    report = make_report(fj_officer, seizure)
    colleague = _user("fj.officer2", fj_officer.administration, Role.OFFICER, fj_officer.office)
    for user in (ws_officer, fj_supervisor, colleague):
        client = signed_in_client(user)
        for suffix in ("", "status/", "download/"):
            assert client.get(f"/reports/{report.pk}/{suffix}").status_code == 404, (user, suffix)
        api = api_client(user)
        assert api.get(f"/api/v1/reports/{report.pk}/").status_code == 404
        assert api.get(f"/api/v1/reports/{report.pk}/download/").status_code == 404
    assert signed_in_client(ws_officer).post(f"/seizures/{seizure.pk}/report/").status_code == 404
    assert not AuditEntry.objects.filter(action=Action.REPORT_DOWNLOADED).exists()
    assert Report.objects.count() == 1


def test_signed_out_readers_get_nothing(fj_officer, client):
    report = make_report(fj_officer, make_seizure(by=fj_officer))
    response = client.get(f"/reports/{report.pk}/download/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 401


def test_a_report_holding_nominal_data_is_refused_to_its_requester_once_demoted(
    fj_officer, fj_supervisor
):
    from ..factories import make_full_case

    report = make_report(fj_supervisor, make_full_case(by=fj_officer))
    assert report.includes_nominal
    fj_supervisor.role = Role.OFFICER
    fj_supervisor.save()
    with pytest.raises(PermissionDenied):
        services.report_download_record(by=fj_supervisor, report=report)
    assert not AuditEntry.objects.filter(action=Action.REPORT_DOWNLOADED).exists()


def test_the_api_answers_202_with_the_url_to_follow(fj_officer):
    seizure = make_seizure(by=fj_officer)
    api = api_client(fj_officer)
    response = api.post("/api/v1/reports/", {"kind": "seizure", "seizure": seizure.pk})
    assert response.status_code == 202, response.content
    body = response.json()
    report = Report.objects.get()
    assert body["id"] == str(report.pk)
    assert body["status"] == "queued"
    assert body["ready"] is False
    assert body["download_url"] is None
    assert body["status_url"] == f"http://testserver/api/v1/reports/{report.pk}/"
    assert api.get(body["status_url"]).json()["status"] == "queued"
    # Not made yet: nothing to download.
    assert api.get(f"/api/v1/reports/{report.pk}/download/").status_code == 404


def test_the_api_gives_a_made_report_s_pdf(fj_officer, django_assert_num_queries):
    report = make_report(fj_officer, make_seizure(by=fj_officer))
    api = api_client(fj_officer)
    body = api.get(f"/api/v1/reports/{report.pk}/").json()
    assert body["ready"] is True
    assert body["pages"] == report.pages
    assert body["download_url"] == f"http://testserver/api/v1/reports/{report.pk}/download/"
    response = api.get(body["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action=Action.REPORT_DOWNLOADED).count() == 1
    # Following a report: the token with its user, the report with its run and seizure.
    with django_assert_num_queries(2):
        assert api.get(f"/api/v1/reports/{report.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "newsletter"}, "kind"),
        ({"kind": "seizure"}, "seizure"),
        ({"kind": "seizure", "seizure": "x"}, "seizure"),
    ],
)
def test_the_api_says_what_is_wrong_with_a_request(fj_officer, payload, field):
    response = api_client(fj_officer).post("/api/v1/reports/", payload)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Report.objects.exists()


def test_the_api_does_not_report_on_another_administration_s_seizure(fj_officer, ws_officer):
    seizure = make_seizure(by=fj_officer)
    response = api_client(ws_officer).post(
        "/api/v1/reports/", {"kind": "seizure", "seizure": seizure.pk}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["seizure"] == [
        "No such seizure among those you may see."
    ]
    assert not Report.objects.exists()


def test_the_reports_api_is_in_the_schema(fj_officer):
    schema = api_client(fj_officer).get("/api/schema/").content.decode()
    assert "/api/v1/reports/:" in schema
    assert "/api/v1/reports/{id}/:" in schema
    assert "/api/v1/reports/{id}/download/:" in schema
    assert "application/pdf" in schema
