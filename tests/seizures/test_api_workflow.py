"""The approval workflow in the API: the steps as actions on a seizure, the queue, the
preview, and refusals in the one error format."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seizures import selectors, services
from seizures.models import Seizure

from ..conftest import api_client
from ..factories import decision, make_seizure, submit_and_approve

pytestmark = pytest.mark.django_db

DECISION = {
    "distribution": "regional_global",
    "handling_code": "no_onward_sharing",
    "source_reliability": "A",
    "information_accuracy": 1,
}


def _url(seizure, step="") -> str:
    return f"/api/v1/seizures/{seizure.pk}/{step + '/' if step else ''}"


def _status(seizure) -> str:
    return Seizure.objects.get(pk=seizure.pk).status


def _error(response) -> dict:
    return response.json()["error"]


def test_submit_return_submit_approve(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    officer, supervisor = api_client(fj_officer), api_client(fj_supervisor)
    assert officer.post(_url(seizure, "submit")).json()["status"] == "submitted"

    returned = supervisor.post(_url(seizure, "return"), {"comment": "Which flight?"})
    assert (returned.json()["status"], returned.json()["return_comment"]) == (
        "draft",
        "Which flight?",
    )
    officer.post(_url(seizure, "submit"))
    approved = supervisor.post(_url(seizure, "approve"), {**DECISION, "version": 1})
    assert approved.status_code == 200
    body = approved.json()
    assert body["status"] == "approved"
    assert body["last_approval"]["number"] == 1
    assert body["last_approval"]["approved_by"] == "fj.supervisor"
    assert body["last_approval"]["handling_code"] == "no_onward_sharing"


def test_the_preview_is_byte_for_byte_what_the_approval_sends(fj_officer, fj_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    client = api_client(fj_supervisor)
    previews = {}
    for destination in ("regional", "global"):
        response = client.get(_url(seizure, "preview"), {**DECISION, "destination": destination})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        previews[destination] = response.content
    client.post(_url(seizure, "approve"), {**DECISION, "version": 1})
    approval = Seizure.objects.get(pk=seizure.pk).last_approval
    for destination, previewed in previews.items():
        assert previewed == selectors.approval_payload(approval=approval, destination=destination)
    assert json.loads(previews["global"])["destination"] == "global"


def test_the_preview_takes_the_administrations_defaults(fj_officer, fj_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    client = api_client(fj_supervisor)
    payload = client.get(_url(seizure, "preview"), {"destination": "regional"}).json()
    assert payload["sharing"]["distribution"] == "regional"
    refused = client.get(_url(seizure, "preview"), {"destination": "global"})
    assert refused.status_code == 400
    assert "destination" in _error(refused)["fields"]
    unknown = client.get(_url(seizure, "preview"), {"destination": "regional", "colour": "red"})
    assert unknown.status_code == 400
    assert "colour" in _error(unknown)["fields"]


@pytest.mark.parametrize(
    ("step", "data", "field"),
    [
        ("approve", {"version": 1}, "distribution"),
        ("approve", {**DECISION, "handling_code": "other", "version": 1}, "handling_text"),
        ("return", {"comment": ""}, "comment"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_changes(
    step, data, field, fj_officer, fj_supervisor
):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    response = api_client(fj_supervisor).post(_url(seizure, step), data)
    assert response.status_code == 400
    assert field in _error(response)["fields"]
    assert _status(seizure) == "submitted"


def test_a_withdrawal_needs_a_reason(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    client = api_client(fj_supervisor)
    response = client.post(_url(seizure, "withdraw"), {"reason": " "})
    assert response.status_code == 400
    assert _error(response)["fields"] == {"reason": ["Say why the record is withdrawn."]}
    assert _status(seizure) == "approved"
    assert client.post(_url(seizure, "withdraw"), {"reason": "Wrong."}).json()["status"] == (
        "withdrawn"
    )


FORBIDDEN = {
    "draft": [
        ("return", {"comment": "No."}),
        ("approve", {**DECISION, "version": 1}),
        ("withdraw", {"reason": "Wrong."}),
    ],
    "submitted": [("submit", {}), ("withdraw", {"reason": "Wrong."})],
    "approved": [
        ("submit", {}),
        ("return", {"comment": "No."}),
        ("approve", {**DECISION, "version": 1}),
    ],
}


@pytest.mark.parametrize(
    ("status", "step", "data"),
    [(status, step, data) for status, steps in FORBIDDEN.items() for step, data in steps],
)
def test_forbidden_steps_answer_409(
    status, step, data, fj_officer, fj_supervisor, fj_second_supervisor
):
    seizure = make_seizure(by=fj_officer)
    if status != "draft":
        seizure = services.seizure_submit(by=fj_officer, seizure=seizure)
    if status == "approved":
        services.seizure_approve(
            by=fj_second_supervisor, seizure=seizure, expected_version=1, decision=decision()
        )
    response = api_client(fj_supervisor).post(_url(seizure, step), data)
    assert response.status_code == 409
    assert _error(response)["code"] == "transition_refused"
    assert f"is {status}" in _error(response)["message"]
    assert _status(seizure) == status


def test_withdrawn_records_refuse_every_step(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Wrong.")
    client = api_client(fj_supervisor)
    for step, data in [*FORBIDDEN["draft"], ("submit", {})]:
        assert client.post(_url(seizure, step), data).status_code == 409


def test_officers_get_403_for_review_steps(fj_officer, fj_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    client = api_client(fj_officer)
    for step, data in [("return", {"comment": "x"}), ("approve", {**DECISION, "version": 1})]:
        response = client.post(_url(seizure, step), data)
        assert response.status_code == 403
        assert _error(response)["code"] == "permission_denied"
    assert client.get(_url(seizure, "preview"), {"destination": "regional"}).status_code == 403
    assert _status(seizure) == "submitted"


def test_four_eyes_answers_403(fj_supervisor):
    seizure = services.seizure_submit(by=fj_supervisor, seizure=make_seizure(by=fj_supervisor))
    response = api_client(fj_supervisor).post(_url(seizure, "approve"), {**DECISION, "version": 1})
    assert response.status_code == 403
    assert "four eyes" in _error(response)["message"]
    assert _status(seizure) == "submitted"


def test_a_stale_version_answers_409_conflict(fj_officer, fj_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    response = api_client(fj_supervisor).post(_url(seizure, "approve"), {**DECISION, "version": 3})
    assert response.status_code == 409
    assert _error(response)["code"] == "conflict"


def test_status_and_approver_are_not_client_writable(fj_officer, fj_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    api_client(fj_supervisor).post(
        _url(seizure, "approve"),
        {**DECISION, "version": 1, "status": "withdrawn", "approved_by": fj_officer.pk},
    )
    seizure = Seizure.objects.get(pk=seizure.pk)
    assert (seizure.status, seizure.approved_by) == ("approved", fj_supervisor)


def test_other_administrations_get_404(fj_officer, ws_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    client = api_client(ws_supervisor)
    for step in ("submit", "return", "approve", "withdraw"):
        response = client.post(_url(seizure, step), {"comment": "x", "reason": "x"})
        assert response.status_code == 404
    assert client.get(_url(seizure, "preview"), {"destination": "regional"}).status_code == 404
    assert client.get("/api/v1/seizures/queue/").json()["count"] == 0
    assert _status(seizure) == "submitted"


def test_the_queue_is_oldest_first(fj_officer, fj_supervisor):
    first = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    second = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    make_seizure(by=fj_officer)
    rows = api_client(fj_supervisor).get("/api/v1/seizures/queue/").json()["results"]
    assert [row["reference"] for row in rows] == [first.reference, second.reference]
    assert api_client(fj_officer).get("/api/v1/seizures/queue/").json()["count"] == 0


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": 500})
    assert response.status_code == 200
    return len(captured)


def test_the_queue_endpoint_is_pinned(fj_officer, fj_supervisor):
    """Token and user, count, rows, their items: the same for 3 records waiting or 30."""
    client = api_client(fj_supervisor)
    for _ in range(3):
        services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    assert _queries(client, "/api/v1/seizures/queue/") == 4
    for _ in range(27):
        services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    assert _queries(client, "/api/v1/seizures/queue/") == 4


def test_the_workflow_actions_are_in_the_schema(fj_officer):
    schema = api_client(fj_officer).get("/api/schema/", {"format": "json"}).json()
    for step in ("submit", "return", "approve", "withdraw", "preview"):
        assert f"/api/v1/seizures/{{id}}/{step}/" in schema["paths"]
    assert "/api/v1/seizures/queue/" in schema["paths"]
    assert "/api/v1/sharing-policy/" in schema["paths"]
