"""Approving, re-approving or withdrawing a shared record writes its outbox entries in the
same transaction; a national-only decision writes none."""

import hashlib
import html
import json
import re

import pytest
from django.db import transaction

from exchange.models import Message, OutboxEntry
from seizures import services
from seizures.selectors import approval_payload

from ..conftest import signed_in_client
from ..factories import decision, make_seizure
from .conftest import approved, reapproved

pytestmark = pytest.mark.django_db


def test_approval_writes_one_entry_per_destination_with_the_exact_payload(
    fj_officer, fj_supervisor
):
    approval = approved(fj_officer, fj_supervisor, distribution="regional_global")
    entries = list(OutboxEntry.objects.filter(seizure=approval.seizure))
    assert [(e.destination, e.message, e.version, e.state) for e in entries] == [
        ("regional", Message.SEIZURE, 1, OutboxEntry.State.PENDING),
        ("global", Message.SEIZURE, 1, OutboxEntry.State.PENDING),
    ]
    for entry in entries:
        body = approval_payload(approval=approval, destination=entry.destination)
        assert bytes(entry.payload) == body
        assert entry.payload_sha256 == hashlib.sha256(body).hexdigest()
        assert entry.record_uuid == approval.seizure.uuid
        assert entry.idempotency_key == f"FJ/{approval.seizure.uuid}/1"


def test_a_national_only_decision_writes_nothing(fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor, distribution="national")
    assert not OutboxEntry.objects.filter(seizure=approval.seizure).exists()


def test_the_entry_is_written_in_the_approvals_transaction(
    fj_officer, fj_supervisor, django_capture_on_commit_callbacks
):
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))

    seen_inside = []

    def approve_then_fail():
        with transaction.atomic():
            services.seizure_approve(
                by=fj_supervisor,
                seizure=seizure,
                expected_version=seizure.version,
                decision=decision(),
            )
            seen_inside.append(OutboxEntry.objects.filter(seizure=seizure).count())
            raise RuntimeError("the request failed after the approval")

    with pytest.raises(RuntimeError):
        approve_then_fail()
    assert seen_inside == [1]
    assert not OutboxEntry.objects.filter(seizure=seizure).exists()

    with django_capture_on_commit_callbacks() as callbacks:
        services.seizure_approve(
            by=fj_supervisor, seizure=seizure, expected_version=seizure.version, decision=decision()
        )
    assert OutboxEntry.objects.filter(seizure=seizure).count() == 1
    assert len(callbacks) >= 1  # the delivery task is sent once it commits


def test_reapproval_and_withdrawal_follow_in_order(fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor)
    seizure = reapproved(approval.seizure, fj_officer, fj_supervisor).seizure
    services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Wrong commodity.")
    entries = list(OutboxEntry.objects.filter(seizure=seizure).order_by("id"))
    assert [(e.message, e.version) for e in entries] == [
        (Message.SEIZURE, 1),
        (Message.SEIZURE, 2),
        (Message.WITHDRAWAL, 2),
    ]
    withdrawal = json.loads(bytes(entries[2].payload))
    assert withdrawal["message"] == "withdrawal"
    assert withdrawal["record"]["version"] == 2
    assert entries[2].idempotency_key.endswith("/2/withdrawal")


def test_a_withdrawal_reaches_every_destination_the_record_was_sent_to(fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor, distribution="regional_global")
    reapproved(approval.seizure, fj_officer, fj_supervisor, distribution="national")
    seizure = services.seizure_withdraw(
        by=fj_supervisor, seizure=approval.seizure, reason="Entered twice."
    )
    withdrawals = OutboxEntry.objects.filter(seizure=seizure, message=Message.WITHDRAWAL)
    assert sorted(withdrawals.values_list("destination", "version")) == [
        ("global", 2),
        ("regional", 2),
    ]


def test_the_withdrawn_record_s_page_shows_what_each_destination_is_told(fj_officer, fj_supervisor):
    """Shared regionally and globally, then approved again for national use only: the page
    shows the withdrawals the outbox holds for both, not the last approval's (none)."""
    approval = approved(fj_officer, fj_supervisor, distribution="regional_global")
    reapproved(approval.seizure, fj_officer, fj_supervisor, distribution="national")
    seizure = services.seizure_withdraw(
        by=fj_supervisor, seizure=approval.seizure, reason="Entered twice."
    )
    page = signed_in_client(fj_officer).get(f"/seizures/{seizure.pk}/").content.decode()
    shown = re.findall(r'<pre class="payload" data-destination="(\w+)">([^<]*)</pre>', page)
    told = OutboxEntry.objects.filter(seizure=seizure, message=Message.WITHDRAWAL).order_by("id")
    assert [(d, html.unescape(body)) for d, body in shown] == [
        (entry.destination, bytes(entry.payload).decode()) for entry in told
    ]
    assert [d for d, _body in shown] == ["regional", "global"]
    assert "What is sent to: Regional exchange" in page


def test_withdrawing_a_record_never_shared_writes_nothing(fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor, distribution="national")
    services.seizure_withdraw(by=fj_supervisor, seizure=approval.seizure, reason="Duplicate.")
    assert not OutboxEntry.objects.filter(seizure=approval.seizure).exists()
