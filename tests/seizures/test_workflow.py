"""The approval workflow through the services: each step, each refusal, four eyes, and two
supervisors approving at once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ncen import tasks
from ncen.exceptions import ConflictError, TransitionRefused
from ncen.models import AuditEntry, Notification, TaskRun
from seizures import services
from seizures.models import Approval, Seizure

from ..celery_worker import finished, sent_mail, worker_for
from ..factories import decision, make_seizure, submit_and_approve

pytestmark = pytest.mark.django_db


def _reload(seizure) -> Seizure:
    return Seizure.objects.get(pk=seizure.pk)


def _actions(seizure) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="seizures.seizure", object_id=str(seizure.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def test_submit_return_resubmit_approve(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    seizure = services.seizure_submit(by=fj_officer, seizure=seizure)
    assert seizure.status == "submitted"
    assert seizure.submitted_at is not None

    seizure = services.seizure_return(
        by=fj_supervisor, seizure=seizure, comment="Give the flight number."
    )
    assert (seizure.status, seizure.return_comment) == ("draft", "Give the flight number.")

    seizure = services.seizure_update(
        by=fj_officer, seizure=seizure, expected_version=1, values={"flight_number": "FJ911"}
    )
    seizure = services.seizure_submit(by=fj_officer, seizure=seizure)
    assert seizure.return_comment == ""
    approval = services.seizure_approve(
        by=fj_supervisor, seizure=seizure, expected_version=2, decision=decision()
    )

    seizure = _reload(seizure)
    assert (seizure.status, seizure.approved_by, seizure.last_approval) == (
        "approved",
        fj_supervisor,
        approval,
    )
    assert approval.number == 1
    assert approval.record_version == 2
    assert approval.record["conveyance"]["flight_number"] == "FJ911"
    assert _actions(seizure) == [
        "seizure_created",
        "seizure_submitted",
        "seizure_returned",
        "seizure_updated",
        "seizure_submitted",
        "seizure_approved",
    ]


def test_transitions_are_audited_with_the_reason(fj_officer, fj_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    services.seizure_return(by=fj_supervisor, seizure=seizure, comment="Add the IMO number.")
    entry = AuditEntry.objects.get(action="seizure_returned")
    assert (entry.actor, entry.before, entry.after, entry.reason) == (
        fj_supervisor,
        {"status": "submitted"},
        {"status": "draft"},
        "Add the IMO number.",
    )


FORBIDDEN_STEPS = {
    "submit": lambda s, by: services.seizure_submit(by=by, seizure=s),
    "return": lambda s, by: services.seizure_return(by=by, seizure=s, comment="No."),
    "approve": lambda s, by: services.seizure_approve(
        by=by, seizure=s, expected_version=s.version, decision=decision()
    ),
    "withdraw": lambda s, by: services.seizure_withdraw(by=by, seizure=s, reason="Wrong."),
}
# status: the steps it does not allow
REFUSED = {
    "draft": ["return", "approve", "withdraw"],
    "submitted": ["submit", "withdraw"],
    "approved": ["submit", "return", "approve"],
    "withdrawn": ["submit", "return", "approve", "withdraw"],
}


def seizure_in(status, *, officer, supervisor) -> Seizure:
    seizure = make_seizure(by=officer)
    if status == "draft":
        return seizure
    seizure = services.seizure_submit(by=officer, seizure=seizure)
    if status == "submitted":
        return seizure
    services.seizure_approve(
        by=supervisor, seizure=seizure, expected_version=seizure.version, decision=decision()
    )
    seizure = _reload(seizure)
    if status == "approved":
        return seizure
    return services.seizure_withdraw(by=supervisor, seizure=seizure, reason="It was wrong.")


@pytest.mark.parametrize(
    ("status", "step"), [(status, step) for status, steps in REFUSED.items() for step in steps]
)
def test_every_forbidden_transition_is_refused(
    status, step, fj_officer, fj_supervisor, fj_second_supervisor
):
    seizure = seizure_in(status, officer=fj_officer, supervisor=fj_second_supervisor)
    entries = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused, match=seizure.reference):
        FORBIDDEN_STEPS[step](seizure, fj_supervisor)
    assert _reload(seizure).status == status
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("step", ["return", "approve", "withdraw"])
def test_officers_do_not_review(step, fj_officer, fj_supervisor):
    status = "approved" if step == "withdraw" else "submitted"
    seizure = seizure_in(status, officer=fj_officer, supervisor=fj_supervisor)
    with pytest.raises(PermissionDenied):
        FORBIDDEN_STEPS[step](seizure, fj_officer)
    assert _reload(seizure).status == status


def test_an_officer_submits_only_their_own_records(fj_officer, fiji, suva):
    from ncen.models import Role

    from ..factories import UserFactory

    colleague = UserFactory(administration=fiji, office=suva, role=Role.OFFICER)
    seizure = make_seizure(by=colleague)
    with pytest.raises(PermissionDenied):
        services.seizure_submit(by=fj_officer, seizure=seizure)


def test_another_administration_cannot_touch_the_record(fj_officer, ws_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    for step in ("return", "approve"):
        with pytest.raises(PermissionDenied):
            FORBIDDEN_STEPS[step](seizure, ws_supervisor)
    assert _reload(seizure).status == "submitted"


# --- Four eyes ------------------------------------------------------------------------------


def test_a_supervisor_cannot_approve_what_they_entered(fj_supervisor):
    seizure = services.seizure_submit(by=fj_supervisor, seizure=make_seizure(by=fj_supervisor))
    with pytest.raises(PermissionDenied, match="four eyes"):
        services.seizure_approve(
            by=fj_supervisor, seizure=seizure, expected_version=1, decision=decision()
        )
    assert _reload(seizure).status == "submitted"


def test_a_supervisor_cannot_approve_what_they_changed_last(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    services.seizure_update(
        by=fj_supervisor, seizure=seizure, expected_version=1, values={"narrative": "Edited."}
    )
    seizure = services.seizure_submit(by=fj_officer, seizure=seizure)
    with pytest.raises(PermissionDenied, match="four eyes"):
        services.seizure_approve(
            by=fj_supervisor, seizure=seizure, expected_version=2, decision=decision()
        )


def _approve_directly(seizure, approver):
    seizure.status = "approved"
    seizure.approved_by = approver
    seizure.approved_at = timezone.now()
    seizure.save()


def test_the_database_refuses_an_approval_by_the_creator(fj_supervisor):
    """A direct ORM save, around the service: the constraint fires."""
    seizure = make_seizure(by=fj_supervisor)
    with pytest.raises(IntegrityError, match="seizure_approved_by_another"), transaction.atomic():
        _approve_directly(seizure, fj_supervisor)
    assert _reload(seizure).status == "draft"


def test_the_database_refuses_an_approval_by_the_last_editor(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    seizure.updated_by = fj_supervisor
    with pytest.raises(IntegrityError, match="seizure_approved_by_another"), transaction.atomic():
        _approve_directly(seizure, fj_supervisor)


def test_the_database_refuses_an_approved_record_without_approver(fj_officer):
    seizure = make_seizure(by=fj_officer)
    seizure.status = "approved"
    with pytest.raises(IntegrityError, match="seizure_approved_by_another"), transaction.atomic():
        seizure.save()


def test_the_database_accepts_another_supervisors_approval(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    _approve_directly(seizure, fj_supervisor)
    assert _reload(seizure).status == "approved"


def test_approvals_cannot_be_changed(fj_officer, fj_supervisor):
    approval = submit_and_approve(
        make_seizure(by=fj_officer), by=fj_officer, approver=fj_supervisor
    )
    with pytest.raises(Exception, match="approvals are never changed"), transaction.atomic():
        Approval.objects.filter(pk=approval.pk).update(source_reliability="X")
    with (
        pytest.raises(Exception, match="approvals are never changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM seizures_approval WHERE id = %s", [approval.pk])


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"distribution": ""}, "distribution"),
        ({"handling_code": ""}, "handling_code"),
        ({"handling_code": "other", "handling_text": "  "}, "handling_text"),
        ({"source_reliability": "E"}, "source_reliability"),
        ({"information_accuracy": 0}, "information_accuracy"),
    ],
)
def test_an_incomplete_decision_is_refused_and_nothing_changes(
    overrides, field, fj_officer, fj_supervisor
):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    with pytest.raises(ValidationError) as refused:
        services.seizure_approve(
            by=fj_supervisor, seizure=seizure, expected_version=1, decision=decision(**overrides)
        )
    assert field in refused.value.message_dict
    assert _reload(seizure).status == "submitted"
    assert not Approval.objects.exists()


def test_other_handling_with_its_text_is_kept(fj_officer, fj_supervisor):
    approval = submit_and_approve(
        make_seizure(by=fj_officer),
        by=fj_officer,
        approver=fj_supervisor,
        handling_code="other",
        handling_text="Not to be shared with the carrier.",
    )
    assert approval.handling_text == "Not to be shared with the carrier."


def test_a_return_needs_a_comment(fj_officer, fj_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    with pytest.raises(ValidationError) as refused:
        services.seizure_return(by=fj_supervisor, seizure=seizure, comment="  ")
    assert "comment" in refused.value.message_dict
    assert _reload(seizure).status == "submitted"


def test_a_withdrawal_needs_a_reason(fj_officer, fj_supervisor):
    submit_and_approve(
        seizure := make_seizure(by=fj_officer), by=fj_officer, approver=fj_supervisor
    )
    with pytest.raises(ValidationError) as refused:
        services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="")
    assert "reason" in refused.value.message_dict
    assert _reload(seizure).status == "approved"


def test_a_withdrawal_keeps_the_reason_and_clears_the_approver(fj_officer, fj_supervisor):
    submit_and_approve(
        seizure := make_seizure(by=fj_officer), by=fj_officer, approver=fj_supervisor
    )
    seizure = services.seizure_withdraw(
        by=fj_supervisor, seizure=seizure, reason="Test powder, not cocaine."
    )
    seizure = _reload(seizure)
    assert (seizure.status, seizure.withdrawal_reason, seizure.approved_by) == (
        "withdrawn",
        "Test powder, not cocaine.",
        None,
    )
    assert seizure.last_approval is not None


@pytest.mark.parametrize("returned", [False, True])
def test_a_shared_record_can_be_withdrawn_while_an_edit_waits(returned, fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    first = submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    seizure = services.seizure_update(
        by=fj_officer, seizure=_reload(seizure), expected_version=1, values={"narrative": "x"}
    )
    if returned:
        seizure = services.seizure_return(by=fj_supervisor, seizure=seizure, comment="Why?")
    seizure = services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Wrong.")
    seizure = _reload(seizure)
    assert (seizure.status, seizure.last_approval, seizure.submitted_at) == (
        "withdrawn",
        first,
        None,
    )


def test_approving_a_version_not_read_is_a_conflict(fj_officer, fj_supervisor):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    with pytest.raises(ConflictError):
        services.seizure_approve(
            by=fj_supervisor, seizure=seizure, expected_version=7, decision=decision()
        )
    assert _reload(seizure).status == "submitted"


# --- Editing an approved record ---------------------------------------------------------------


def test_editing_an_approved_record_leaves_the_approved_snapshot_until_reapproval(
    fj_officer, fj_supervisor
):
    seizure = make_seizure(by=fj_officer, flight_number="FJ910")
    first = submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    frozen = Approval.objects.get(pk=first.pk).record

    seizure = services.seizure_update(
        by=fj_officer,
        seizure=_reload(seizure),
        expected_version=1,
        values={"flight_number": "FJ999"},
    )
    seizure = _reload(seizure)
    assert (seizure.status, seizure.approved_by, seizure.last_approval) == (
        "submitted",
        None,
        first,
    )
    assert Approval.objects.get(pk=first.pk).record == frozen
    assert frozen["conveyance"]["flight_number"] == "FJ910"

    second = services.seizure_approve(
        by=fj_supervisor, seizure=seizure, expected_version=2, decision=decision()
    )
    assert second.number == 2
    assert second.record["conveyance"]["flight_number"] == "FJ999"
    assert Approval.objects.get(pk=first.pk).record == frozen
    assert _reload(seizure).last_approval == second


def test_submitted_and_withdrawn_records_cannot_be_edited(fj_officer, fj_supervisor):
    for status in ("submitted", "withdrawn"):
        seizure = seizure_in(status, officer=fj_officer, supervisor=fj_supervisor)
        with pytest.raises(PermissionDenied):
            services.seizure_update(
                by=fj_officer,
                seizure=seizure,
                expected_version=seizure.version,
                values={"narrative": "Changed."},
            )


# --- Notifications ----------------------------------------------------------------------------


def test_notifications_go_to_supervisors_then_to_the_creator(
    fj_officer, fj_supervisor, fj_second_supervisor
):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    assert sorted(
        Notification.objects.filter(kind="submitted").values_list("recipient__username", flat=True)
    ) == ["fj.supervisor", "fj.supervisor2"]
    services.seizure_return(by=fj_supervisor, seizure=seizure, comment="Route?")
    returned = Notification.objects.get(kind="returned")
    assert (returned.recipient, returned.comment, returned.actor) == (
        fj_officer,
        "Route?",
        fj_supervisor,
    )
    seizure = services.seizure_submit(by=fj_officer, seizure=_reload(seizure))
    services.seizure_approve(
        by=fj_supervisor, seizure=seizure, expected_version=1, decision=decision()
    )
    assert Notification.objects.get(kind="approved").recipient == fj_officer


@pytest.mark.django_db(transaction=True)
def test_notifications_are_emailed_once_after_commit(
    fj_officer, fj_supervisor, mailoutbox, request, monkeypatch
):
    with worker_for(tasks.email_notification, request, monkeypatch) as queue:
        services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
        notification = Notification.objects.get()
        # Queued when the submission committed; a failed run is told at once, with its message.
        run = finished(TaskRun.objects.get(name=tasks.email_notification.name))
        sent = sent_mail(queue)
    assert run.status == TaskRun.Status.SUCCEEDED, run.message
    assert (run.arguments, run.result) == ({"notification_id": notification.pk}, {"sent": True})
    assert [message["To"] for message in sent] == [fj_supervisor.email]
    assert "To review: seizure FJ-" in sent[0]["Subject"]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.link in sent[0].get_body(("plain",)).get_content()
    # A retry of the task sends nothing more.
    assert tasks.email_notification.run(notification_id=notification.pk) == {"sent": False}
    assert mailoutbox == []


# --- Two supervisors at once --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_approving_at_once_give_exactly_one_approval(
    fj_officer, fj_supervisor, fj_second_supervisor, request, monkeypatch
):
    with worker_for(tasks.email_notification, request, monkeypatch) as queue:
        seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
        outcomes = _approve_at_once(seizure, fj_supervisor, fj_second_supervisor)
        for run in TaskRun.objects.filter(name=tasks.email_notification.name):
            finished(run)
        sent = sent_mail(queue)
    assert outcomes.count("approved") == 1
    assert "cannot be approved now" in next(o for o in outcomes if o != "approved")
    assert Approval.objects.filter(seizure=seizure).count() == 1
    assert AuditEntry.objects.filter(action="seizure_approved").count() == 1
    # Each supervisor was asked to review it, and the officer hears of the one approval once.
    assert sorted((m["To"], m["Subject"]) for m in sent) == sorted(
        [
            (fj_officer.email, f"Approved: seizure {seizure.reference}"),
            (fj_supervisor.email, f"To review: seizure {seizure.reference}"),
            (fj_second_supervisor.email, f"To review: seizure {seizure.reference}"),
        ]
    )


def _approve_at_once(seizure, *supervisors) -> list[str]:
    """Each supervisor approves ``seizure`` in a thread of their own, all at the same moment:
    what each was told."""
    barrier = threading.Barrier(len(supervisors))
    outcomes = []

    def approve(supervisor):
        try:
            barrier.wait()
            services.seizure_approve(
                by=supervisor, seizure=seizure, expected_version=1, decision=decision()
            )
            outcomes.append("approved")
        except TransitionRefused as refused:
            outcomes.append(str(refused))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(s,)) for s in supervisors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
