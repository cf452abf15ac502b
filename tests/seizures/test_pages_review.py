"""The approval workflow in the pages: the queue, each step, the preview, and refusals with
their status codes and messages."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ncen.models import Notification
from seizures import selectors, services
from seizures.models import Seizure

from ..conftest import signed_in_client
from ..factories import decision, make_seizure, submit_and_approve

pytestmark = pytest.mark.django_db

DECISION = {
    "distribution": "regional_global",
    "handling_code": "not_for_court",
    "handling_text": "",
    "source_reliability": "B",
    "information_accuracy": "2",
}


def _status(seizure) -> str:
    return Seizure.objects.get(pk=seizure.pk).status


def _submitted(officer) -> Seizure:
    return services.seizure_submit(by=officer, seizure=make_seizure(by=officer))


def _payloads(response) -> dict[str, bytes]:
    """The preview blocks of a page, as the bytes they show."""
    blocks = re.findall(
        r'<pre class="payload"[^>]*data-destination="(\w+)">(.*?)</pre>',
        response.content.decode(),
        re.DOTALL,
    )
    return {destination: html.unescape(body).encode() for destination, body in blocks}


def test_an_officer_submits_their_draft(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    client = signed_in_client(fj_officer)
    assert "Submit for review" in client.get(f"/seizures/{seizure.pk}/").content.decode()
    response = client.post(f"/seizures/{seizure.pk}/submit/", follow=True)
    assert _status(seizure) == "submitted"
    assert "is submitted for review" in response.content.decode()


def test_the_queue_lists_submitted_records_oldest_first_with_the_count(fj_officer, fj_supervisor):
    first, second = _submitted(fj_officer), _submitted(fj_officer)
    make_seizure(by=fj_officer)  # a draft is not waiting
    page = signed_in_client(fj_supervisor).get("/seizures/review/").content.decode()
    assert page.index(first.reference) < page.index(second.reference)
    assert re.search(r'Review queue <span class="badge">2</span>', page)


def test_a_supervisor_returns_from_the_queue_and_the_officer_reads_the_comment(
    fj_officer, fj_supervisor
):
    seizure = _submitted(fj_officer)
    response = signed_in_client(fj_supervisor).post(
        f"/seizures/{seizure.pk}/return/",
        {"comment": "Add the flight number.", "next": "/seizures/review/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/seizures/review/"
    assert _status(seizure) == "draft"
    officer = signed_in_client(fj_officer)
    returned = officer.get("/seizures/review/").content.decode()
    assert seizure.reference in returned
    assert "Add the flight number." in returned
    assert "Add the flight number." in officer.get(f"/seizures/{seizure.pk}/").content.decode()
    assert Notification.objects.get(recipient=fj_officer).kind == "returned"


def test_the_approval_page_previews_exactly_what_the_approval_sends(fj_officer, fj_supervisor):
    seizure = _submitted(fj_officer)
    client = signed_in_client(fj_supervisor)
    page = client.get(f"/seizures/{seizure.pk}/approve/")
    assert page.status_code == 200
    assert set(_payloads(page)) == {"regional"}  # the administration's default decision

    preview = client.post(
        f"/seizures/{seizure.pk}/approve/", {**DECISION, "version": 1, "preview": "1"}
    )
    previewed = _payloads(preview)
    assert set(previewed) == {"regional", "global"}
    assert _status(seizure) == "submitted"

    response = client.post(
        f"/seizures/{seizure.pk}/approve/", {**DECISION, "version": 1, "approve": "1"}
    )
    assert response.status_code == 302
    approval = Seizure.objects.get(pk=seizure.pk).last_approval
    for destination, sent in previewed.items():
        assert sent == selectors.approval_payload(approval=approval, destination=destination)

    detail = client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert "Approved, version 1" in detail
    assert "Not to be used in court without permission" in detail
    assert _payloads(client.get(f"/seizures/{seizure.pk}/")) == previewed


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"handling_code": "other"}, "Describe the other restriction."),
        ({"distribution": ""}, "This field is required."),
    ],
)
def test_an_incomplete_decision_is_refused_with_a_message(
    overrides, message, fj_officer, fj_supervisor
):
    seizure = _submitted(fj_officer)
    response = signed_in_client(fj_supervisor).post(
        f"/seizures/{seizure.pk}/approve/", {**DECISION, **overrides, "version": 1, "approve": 1}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _status(seizure) == "submitted"


def test_returning_without_a_comment_is_refused(fj_officer, fj_supervisor):
    seizure = _submitted(fj_officer)
    response = signed_in_client(fj_supervisor).post(f"/seizures/{seizure.pk}/return/", {})
    assert response.status_code == 400
    assert "Say what should be changed." in response.content.decode()
    assert _status(seizure) == "submitted"


def test_withdrawing_without_a_reason_is_refused(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    client = signed_in_client(fj_supervisor)
    response = client.post(f"/seizures/{seizure.pk}/withdraw/", {"reason": ""})
    assert response.status_code == 400
    assert "Say why the record is withdrawn." in response.content.decode()
    assert _status(seizure) == "approved"
    client.post(f"/seizures/{seizure.pk}/withdraw/", {"reason": "Wrong commodity."})
    assert _status(seizure) == "withdrawn"


# status: (page, data) of steps it does not allow
FORBIDDEN = {
    "draft": [
        ("return", {"comment": "No."}),
        ("approve", {**DECISION, "version": 1, "approve": 1}),
        ("withdraw", {"reason": "Wrong."}),
    ],
    "submitted": [("submit", {}), ("withdraw", {"reason": "Wrong."})],
    "approved": [
        ("submit", {}),
        ("return", {"comment": "No."}),
        ("approve", {**DECISION, "version": 1, "approve": 1}),
    ],
}


@pytest.mark.parametrize(
    ("status", "step", "data"),
    [(status, step, data) for status, steps in FORBIDDEN.items() for step, data in steps],
)
def test_forbidden_steps_are_refused_with_409(
    status, step, data, fj_officer, fj_supervisor, fj_second_supervisor
):
    seizure = make_seizure(by=fj_officer)
    if status != "draft":
        seizure = services.seizure_submit(by=fj_officer, seizure=seizure)
    if status == "approved":
        services.seizure_approve(
            by=fj_second_supervisor, seizure=seizure, expected_version=1, decision=decision()
        )
    response = signed_in_client(fj_supervisor).post(f"/seizures/{seizure.pk}/{step}/", data)
    assert response.status_code == 409
    assert f"Seizure {seizure.reference} is {status}" in response.content.decode()
    assert _status(seizure) == status


def test_a_withdrawn_record_refuses_every_step(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Not cocaine.")
    client = signed_in_client(fj_supervisor)
    for step, data in [*FORBIDDEN["draft"], ("submit", {})]:
        assert client.post(f"/seizures/{seizure.pk}/{step}/", data).status_code == 409
    assert client.get(f"/seizures/{seizure.pk}/edit/").status_code == 403
    assert _status(seizure) == "withdrawn"


def test_a_submitted_record_cannot_be_edited_while_it_waits(fj_officer):
    seizure = _submitted(fj_officer)
    client = signed_in_client(fj_officer)
    assert client.get(f"/seizures/{seizure.pk}/edit/").status_code == 403
    assert "Submit for review" not in client.get(f"/seizures/{seizure.pk}/").content.decode()


def test_editing_an_approved_record_sends_it_back_for_review(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    client = signed_in_client(fj_officer)
    page = client.get(f"/seizures/{seizure.pk}/edit/").content.decode()
    assert "approved version 1 stays what was shared" in page
    services.seizure_update(
        by=fj_officer, seizure=seizure, expected_version=1, values={"flight_number": "FJ1"}
    )
    detail = client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert "Last approved: version 1" in detail
    assert _status(seizure) == "submitted"


def test_officers_cannot_review(fj_officer, fj_supervisor):
    seizure = _submitted(fj_officer)
    client = signed_in_client(fj_officer)
    assert client.get(f"/seizures/{seizure.pk}/approve/").status_code == 403
    assert client.post(f"/seizures/{seizure.pk}/return/", {"comment": "x"}).status_code == 403
    assert _status(seizure) == "submitted"


def test_four_eyes_in_the_page(fj_supervisor):
    seizure = _submitted(fj_supervisor)
    client = signed_in_client(fj_supervisor)
    page = client.get(f"/seizures/{seizure.pk}/approve/").content.decode()
    assert "another supervisor must approve it" in page
    assert 'name="approve"' not in page
    response = client.post(
        f"/seizures/{seizure.pk}/approve/", {**DECISION, "version": 1, "approve": 1}
    )
    assert response.status_code == 403
    assert "four eyes" in response.content.decode()
    assert _status(seizure) == "submitted"


def test_other_administrations_get_404(fj_officer, ws_supervisor):
    seizure = _submitted(fj_officer)
    client = signed_in_client(ws_supervisor)
    assert client.get(f"/seizures/{seizure.pk}/approve/").status_code == 404
    for step in ("submit", "return", "withdraw"):
        assert client.post(f"/seizures/{seizure.pk}/{step}/", {"comment": "x"}).status_code == 404
    assert seizure.reference not in client.get("/seizures/review/").content.decode()
    assert _status(seizure) == "submitted"


def test_notifications_page_and_count(fj_officer, fj_supervisor):
    _submitted(fj_officer)
    client = signed_in_client(fj_supervisor)
    page = client.get("/notifications/").content.decode()
    assert re.search(r'Notifications <span class="badge">1</span>', page)
    assert "Submitted for your review" in page
    client.post("/notifications/read/")
    assert 'Notifications <span class="badge">' not in client.get("/").content.decode()


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_queue_page_is_pinned(fj_officer, fj_supervisor):
    """Session with its user, the supervisor's second-factor device, the navigation's two counts,
    the page's count, its records, their items: the same with 3 records waiting or 60 (more
    than a page)."""
    client = signed_in_client(fj_supervisor)
    for _ in range(3):
        _submitted(fj_officer)
    pinned = _queries(client, "/seizures/review/")
    for _ in range(57):
        _submitted(fj_officer)
    assert _queries(client, "/seizures/review/") == pinned == 7


def test_the_detail_page_of_an_approved_record_is_pinned(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor, distribution="regional")
    client = signed_in_client(fj_supervisor)
    # the detail page's 9 (see test_browse_query_counts), the supervisor's second-factor
    # device and the review queue's count; the approval comes with the record; its outbox
    # entries and their delivery attempts (tests/exchange/test_pages.py pins those further)
    assert _queries(client, f"/seizures/{seizure.pk}/") == 13
