"""Delivery from the outbox to the hub: acknowledged once, in version order, retried with a
growing backoff while the hub is down, never retried once rejected."""

import json
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from exchange import delivery
from exchange.models import DeliveryAttempt, Member, OutboxEntry, RegionalRecord, RegionalVersion
from exchange.payload import utc_iso
from ncen.canonical import canonical_json
from seizures import services

from .conftest import approved, reapproved

pytestmark = pytest.mark.django_db


def entries_of(seizure):
    return list(OutboxEntry.objects.filter(seizure=seizure).order_by("id"))


def make_due(seizure=None):
    due = OutboxEntry.objects.filter(state=OutboxEntry.State.PENDING)
    if seizure is not None:
        due = due.filter(seizure=seizure)
    due.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_an_approved_record_is_delivered_and_acknowledged(hub, fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor)
    result = delivery.deliver()
    assert result["accepted"] == 1
    [entry] = entries_of(approval.seizure)
    assert (entry.state, entry.outcome, entry.attempts) == ("acknowledged", "accepted", 1)
    assert entry.acknowledged_at is not None
    assert [a.outcome for a in entry.attempts_made.all()] == ["accepted"]
    record = RegionalRecord.objects.get()
    assert (record.record_uuid, record.version) == (approval.seizure.uuid, 1)


def test_the_global_entry_waits_while_the_regional_one_is_delivered(hub, fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor, distribution="regional_global")
    delivery.deliver()
    states = {e.destination: e.state for e in entries_of(approval.seizure)}
    assert states == {"regional": "acknowledged", "global": "pending"}


def test_an_answer_lost_on_the_way_back_is_acknowledged_as_a_duplicate(
    hub, fj_officer, fj_supervisor, monkeypatch
):
    approval = approved(fj_officer, fj_supervisor)

    def stored_then_link_dropped(url, body, headers, timeout):
        hub(url, body, headers, timeout)
        raise TimeoutError("timed out")

    monkeypatch.setattr(delivery, "transport", stored_then_link_dropped)
    delivery.deliver()
    [entry] = entries_of(approval.seizure)
    assert entry.state == "pending"
    assert "timed out" in entry.last_error
    monkeypatch.setattr(delivery, "transport", hub)
    make_due()
    delivery.deliver()
    entry.refresh_from_db()
    assert (entry.state, entry.outcome, entry.attempts) == ("acknowledged", "duplicate", 2)
    assert RegionalVersion.objects.count() == 1
    assert [a.outcome for a in entry.attempts_made.order_by("id")] == ["failed", "duplicate"]


def test_versions_of_a_record_go_out_in_order_and_the_withdrawal_last(
    hub, fj_officer, fj_supervisor
):
    approval = approved(fj_officer, fj_supervisor)
    reapproved(approval.seizure, fj_officer, fj_supervisor)
    seizure = services.seizure_withdraw(
        by=fj_supervisor, seizure=approval.seizure, reason="The powder was flour."
    )
    first = entries_of(seizure)[0]
    member = Member.objects.get(code="FJ")

    # Each claim takes only the oldest unsettled message of the record.
    token, claimed = delivery.claim(
        administration_id=seizure.administration_id, destination="regional", limit=10
    )
    assert [e.pk for e in claimed] == [first.pk]
    assert (
        delivery.claim(
            administration_id=seizure.administration_id, destination="regional", limit=10
        )[1]
        == []
    )
    delivery.settle(
        token=token,
        batch=token,
        entries=claimed,
        results={},
        error="down",
        started_at=timezone.now(),
    )

    # Version 1 failed: nothing after it goes before it.
    make_due(seizure)
    delivery.deliver()
    received = list(
        RegionalVersion.objects.filter(record__member=member).values_list("version", "message")
    )
    assert received == [(1, "seizure"), (2, "seizure"), (2, "withdrawal")]
    record = RegionalRecord.objects.get()
    assert record.version == 2
    assert record.withdrawn_at is not None
    assert [e.state for e in entries_of(seizure)] == ["acknowledged"] * 3


def test_while_the_hub_is_down_entries_wait_with_a_growing_backoff(hub, fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor)
    hub.down = True
    before = timezone.now()
    result = delivery.deliver()
    assert result["failed"] == 1
    [entry] = entries_of(approval.seizure)
    assert (entry.state, entry.attempts) == ("pending", 1)
    assert "could not be reached" in entry.last_error
    assert before + timedelta(seconds=15) <= entry.next_attempt_at
    assert entry.next_attempt_at <= timezone.now() + timedelta(seconds=30)

    assert delivery.deliver()["batches"] == 0  # not due yet: nothing is sent
    make_due()
    delivery.deliver()
    entry.refresh_from_db()
    assert entry.attempts == 2
    assert entry.next_attempt_at >= timezone.now() + timedelta(seconds=29)

    hub.down = False
    make_due()
    delivery.deliver()
    entry.refresh_from_db()
    assert (entry.state, entry.last_error) == ("acknowledged", "")


def test_backoff_doubles_with_jitter_and_stops_at_the_ceiling(settings):
    settings.NCEN_EXCHANGE_RETRY_BASE_SECONDS = 30
    settings.NCEN_EXCHANGE_RETRY_CEILING_SECONDS = 3600
    most = [delivery.backoff_delay(n, rand=lambda: 1.0) for n in range(1, 11)]
    assert most == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    least = [delivery.backoff_delay(n, rand=lambda: 0.0) for n in range(1, 4)]
    assert least == [15, 30, 60]
    assert delivery.backoff_delay(10_000, rand=lambda: 1.0) == 3600
    for attempts in range(1, 12):
        delay = delivery.backoff_delay(attempts)
        assert delivery.backoff_delay(attempts, rand=lambda: 0.0) <= delay <= 3600


def test_a_rejected_entry_is_not_retried_and_keeps_the_hubs_reason(
    hub, fj_officer, fj_supervisor, monkeypatch
):
    approval = approved(fj_officer, fj_supervisor)
    real = delivery.batch_body

    def with_a_broken_payload(**kwargs):
        body = real(**kwargs)
        return body.replace(b'"source_reliability":"B"', b'"source_reliability":"Q"')

    monkeypatch.setattr(delivery, "batch_body", with_a_broken_payload)
    delivery.deliver()
    [entry] = entries_of(approval.seizure)
    assert entry.state == "rejected"
    assert "schema" in entry.reason
    calls = len(hub.calls)
    OutboxEntry.objects.filter(pk=entry.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver()["batches"] == 0
    assert len(hub.calls) == calls


def test_a_batch_the_hub_refuses_whole_waits_with_its_reason(hub, fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor)
    Member.objects.update(is_active=False)
    delivery.deliver()
    [entry] = entries_of(approval.seizure)
    assert entry.state == "pending"
    assert "HTTP 401" in entry.last_error
    assert "No active member 'FJ'" in entry.last_error


def test_what_a_dead_worker_held_goes_back_to_the_queue(hub, fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor)
    OutboxEntry.objects.update(
        state="sending", claimed_at=timezone.now() - delivery.sending_lease() - timedelta(seconds=1)
    )
    delivery.sweep()
    [entry] = entries_of(approval.seizure)
    assert entry.state == "acknowledged"


def test_nothing_is_sent_without_a_hub(settings, fj_officer, fj_supervisor):
    settings.NCEN_EXCHANGE_HUB_URL = ""
    approval = approved(fj_officer, fj_supervisor)
    assert "NCEN_EXCHANGE_HUB_URL" in delivery.deliver()["not_configured"]
    assert entries_of(approval.seizure)[0].state == "pending"


@pytest.mark.django_db(transaction=True)
def test_two_claimers_at_once_never_take_the_same_entry(fj_officer, fj_supervisor):
    seizures = [approved(fj_officer, fj_supervisor).seizure for _ in range(12)]
    administration_id = seizures[0].administration_id
    start = threading.Barrier(2)
    taken = {0: [], 1: []}

    def claimer(n):
        try:
            start.wait()
            while True:
                _token, entries = delivery.claim(
                    administration_id=administration_id, destination="regional", limit=2
                )
                if not entries:
                    return
                taken[n].extend(entry.pk for entry in entries)
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not set(taken[0]) & set(taken[1])
    assert sorted(taken[0] + taken[1]) == sorted(OutboxEntry.objects.values_list("pk", flat=True))
    assert len(taken[0] + taken[1]) == 12
    assert OutboxEntry.objects.filter(state="sending", attempts=1).count() == 12


def test_a_claim_takes_nothing_already_taken(fj_officer, fj_supervisor):
    approved(fj_officer, fj_supervisor)
    OutboxEntry.objects.update(state="sending")
    assert (
        delivery.claim(
            administration_id=fj_officer.administration_id, destination="regional", limit=10
        )[1]
        == []
    )
    assert DeliveryAttempt.objects.count() == 0


def test_a_claim_takes_no_more_than_its_limit_whatever_the_statistics_say(
    fj_officer, fj_supervisor
):
    """Analysed while nothing was due, the table's statistics make a nested loop look cheap:
    the claim must still pick its rows once, not once per row it updates (each pick taking
    the next rows, up to the whole queue)."""
    for _ in range(6):
        approved(fj_officer, fj_supervisor)
    OutboxEntry.objects.update(state=OutboxEntry.State.ACKNOWLEDGED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE exchange_outboxentry")
    OutboxEntry.objects.filter(destination="regional").update(
        state=OutboxEntry.State.PENDING, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    administration_id = fj_officer.administration_id
    first = delivery.claim(administration_id=administration_id, destination="regional", limit=2)[1]
    second = delivery.claim(administration_id=administration_id, destination="regional", limit=2)[1]
    assert len(first) == len(second) == 2
    assert {entry.pk for entry in first}.isdisjoint(entry.pk for entry in second)
    assert OutboxEntry.objects.filter(state=OutboxEntry.State.SENDING).count() == 4


def test_the_batch_is_the_canonical_json_of_its_entries(hub, fj_officer, fj_supervisor):
    """The stored payloads are spliced into the body as they are: the body must still be the
    canonical form of the whole batch, each payload the stored bytes."""
    seizures = [approved(fj_officer, fj_supervisor).seizure for _ in range(2)]
    entries = list(
        OutboxEntry.objects.filter(seizure__in=seizures).select_related("administration")
    )
    now = timezone.now()
    batch = uuid.uuid4()
    body = delivery.batch_body(batch=batch, member="FJ", entries=entries, now=now)
    parsed = json.loads(body)
    assert body == canonical_json(parsed)
    assert parsed == {
        "format": delivery.BATCH_FORMAT,
        "batch": str(batch),
        "member": "FJ",
        "sent_at": utc_iso(now),
        "entries": [
            {
                "key": entry.idempotency_key,
                "sha256": entry.payload_sha256,
                "payload": json.loads(bytes(entry.payload)),
            }
            for entry in entries
        ],
    }
    for entry, sent in zip(entries, parsed["entries"], strict=True):
        assert canonical_json(sent["payload"]) == bytes(entry.payload)
