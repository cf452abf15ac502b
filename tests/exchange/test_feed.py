"""The hub's feed: signed GETs, refused whole when the member, signature or clock is wrong;
other members' regional messages only, in the order stored, after an opaque cursor."""

import json
import threading
import urllib.parse
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.test import Client
from django.utils import timezone

from exchange import delivery, feed, signing
from exchange.feed import FEED_PATH, assign_feed_positions, request_message
from exchange.models import Member, OutboxEntry, RegionalVersion
from exchange.payload import utc_iso

from .conftest import approved, reapproved

pytestmark = pytest.mark.django_db


@pytest.fixture
def ws_key(tmp_path):
    return signing.generate_private_key(tmp_path / "ws.pem")


@pytest.fixture
def ws_member(db, ws_key):
    return Member.objects.create(
        code="WS", name="Samoa Customs", public_key=signing.public_key_text(ws_key)
    )


def get_feed(key, *, member="WS", after=None, limit=None, timestamp=None, query=None, sign=None):
    params = {name: value for name, value in (("after", after), ("limit", limit)) if value}
    query = urllib.parse.urlencode(params) if query is None else query
    timestamp = timestamp or utc_iso(timezone.now())
    message = request_message(method="GET", path=FEED_PATH, query=query, timestamp=timestamp)
    signature = signing.sign(key, sign or message)
    return Client().get(
        f"{FEED_PATH}?{query}" if query else FEED_PATH,
        headers={
            "X-NCEN-Member": member,
            "X-NCEN-Timestamp": timestamp,
            "X-NCEN-Signature": signature,
        },
    )


def read_all(key, *, limit=None) -> tuple[list[dict], str]:
    entries, cursor = [], None
    while True:
        answer = get_feed(key, after=cursor, limit=limit).json()
        entries += answer["entries"]
        cursor = answer["next"]
        if not answer["more"]:
            return entries, cursor


def test_a_member_reads_the_others_records_with_handling_code_and_grades(
    hub, ws_member, ws_key, fj_officer, fj_supervisor
):
    seizure = approved(
        fj_officer, fj_supervisor, handling_code="not_for_court", source_reliability="A"
    ).seizure
    delivery.deliver()
    response = get_feed(ws_key)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["format"] == "ncen.feed/1"
    assert answer["more"] is False
    [entry] = answer["entries"]
    assert (entry["member"], entry["uuid"], entry["version"], entry["message"]) == (
        "FJ",
        str(seizure.uuid),
        1,
        "seizure",
    )
    assert entry["handling_code"] == "not_for_court"
    assert (entry["source_reliability"], entry["information_accuracy"]) == ("A", 2)
    assert entry["payload"]["sharing"]["handling_code"] == "not_for_court"
    # Nothing new after the cursor it gave.
    again = get_feed(ws_key, after=answer["next"]).json()
    assert again["entries"] == []
    assert again["next"] == answer["next"]


def test_versions_and_withdrawal_come_in_the_order_the_hub_stored_them(
    hub, ws_member, ws_key, fj_officer, fj_supervisor
):
    from seizures import services

    seizure = approved(fj_officer, fj_supervisor).seizure
    delivery.deliver()
    first = get_feed(ws_key).json()
    reapproved(seizure, fj_officer, fj_supervisor)
    delivery.deliver()
    second = get_feed(ws_key, after=first["next"]).json()
    seizure.refresh_from_db()
    services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Wrong case.")
    delivery.deliver()
    third = get_feed(ws_key, after=second["next"]).json()
    entries = first["entries"] + second["entries"] + third["entries"]
    assert [(e["version"], e["message"]) for e in entries] == [
        (1, "seizure"),
        (2, "seizure"),
        (2, "withdrawal"),
    ]
    assert "handling_code" not in entries[2]


def test_a_withdrawn_records_content_no_longer_leaves_the_hub(
    hub, ws_member, ws_key, fj_officer, fj_supervisor
):
    from seizures import services

    seizure = approved(fj_officer, fj_supervisor).seizure
    delivery.deliver()
    seizure.refresh_from_db()
    services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Wrong case.")
    delivery.deliver()
    # A member that had not read it yet (new, or its cursor behind) gets the withdrawal only.
    entries, _cursor = read_all(ws_key, limit=1)
    assert [(e["uuid"], e["message"]) for e in entries] == [(str(seizure.uuid), "withdrawal")]
    assert "seizure" not in entries[0]["payload"]
    assert "persons" not in entries[0]["payload"]


def test_a_member_behind_gets_a_record_s_latest_version_only(
    hub, ws_member, ws_key, fj_officer, fj_supervisor
):
    """Approved again with a narrower sharing decision: a member that had not read the
    first version never receives it; one that had gets the second after it."""
    seizure = approved(fj_officer, fj_supervisor).seizure
    delivery.deliver()
    first = get_feed(ws_key).json()
    reapproved(seizure, fj_officer, fj_supervisor, handling_code="intelligence_only")
    delivery.deliver()
    assert RegionalVersion.objects.filter(record__record_uuid=seizure.uuid).count() == 2
    behind, _cursor = read_all(ws_key, limit=1)
    assert [(e["uuid"], e["version"], e["handling_code"]) for e in behind] == [
        (str(seizure.uuid), 2, "intelligence_only")
    ]
    after_first = get_feed(ws_key, after=first["next"]).json()["entries"]
    assert [(e["version"], e["message"]) for e in first["entries"] + after_first] == [
        (1, "seizure"),
        (2, "seizure"),
    ]


def test_the_feed_never_returns_the_callers_own_records(
    hub, fj_member, fj_key, fj_officer, fj_supervisor
):
    approved(fj_officer, fj_supervisor)
    delivery.deliver()
    assert RegionalVersion.objects.count() == 1
    answer = get_feed(fj_key[1], member="FJ").json()
    assert answer["entries"] == []
    # The cursor still moves past what was skipped.
    assert feed.decode_cursor(answer["next"]) == 1


def test_the_feed_never_returns_what_was_not_shared_regionally(
    hub, ws_member, ws_key, fj_officer, fj_supervisor
):
    approved(fj_officer, fj_supervisor, distribution="national")
    shared = approved(fj_officer, fj_supervisor).seizure
    delivery.deliver()
    # A message whose payload says it is not regional, stored behind the hub's checks.
    stored = RegionalVersion.objects.get()
    stored.pk = None
    stored.version = 3
    stored.payload = {**stored.payload, "destination": "global"}
    stored.save()
    entries, _cursor = read_all(ws_key)
    assert [e["uuid"] for e in entries] == [str(shared.uuid)]


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"member": "TO"}, 401, "unknown_member"),
        ({"sign": b"something else"}, 401, "bad_signature"),
        ({"timestamp": "2020-01-01T00:00:00Z"}, 400, "stale_request"),
        ({"timestamp": "yesterday"}, 400, "malformed"),
        ({"query": "after=zzz"}, 400, "bad_cursor"),
        ({"query": "limit=100000"}, 400, "malformed"),
        ({"query": "since=2026-01-01"}, 400, "malformed"),
    ],
)
def test_a_bad_request_is_refused_with_the_reason(
    exchange_settings, ws_member, ws_key, change, status, error
):
    response = get_feed(ws_key, **change)
    assert response.status_code == status, response.content
    assert response.json()["error"] == error
    assert response.json()["reason"]


def test_a_request_signed_with_another_members_key_is_refused(
    exchange_settings, ws_member, fj_member, fj_key
):
    response = get_feed(fj_key[1], member="WS")
    assert (response.status_code, response.json()["error"]) == (401, "bad_signature")


def test_a_clock_inside_the_allowed_skew_is_read(exchange_settings, ws_member, ws_key):
    near = utc_iso(
        timezone.now() - timedelta(seconds=exchange_settings.NCEN_HUB_CLOCK_SKEW_SECONDS - 60)
    )
    assert get_feed(ws_key, timestamp=near).status_code == 200


def test_the_feed_exists_on_hubs_only(settings, ws_member, ws_key):
    settings.NCEN_HUB = False
    assert get_feed(ws_key).status_code == 404


def test_the_documented_feed_request_is_what_the_member_signs():
    docs = Path(__file__).resolve().parents[2] / "docs" / "examples"
    example = json.loads((docs / "exchange-feed-request.json").read_text())
    message = request_message(
        method=example["method"],
        path=example["path"],
        query=example["query"],
        timestamp=example["timestamp"],
    )
    assert message.decode() == example["signed"]
    assert feed.decode_cursor(example["query"].removeprefix("after=")) == example["position"]
    answer = json.loads((docs / "exchange-feed-answer.json").read_text())
    assert answer["format"] == feed.FEED_FORMAT
    assert feed.decode_cursor(answer["next"]) > example["position"]


# --- Positions under concurrent commits ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_slow_transaction_is_not_skipped_by_a_reader(
    hub, ws_member, ws_key, fj_officer, fj_supervisor
):
    """Batch A stores first but commits last; batch B stores and commits in between and a
    reader takes the cursor past it. A's message still comes after that cursor."""
    first = approved(fj_officer, fj_supervisor).seizure
    second = approved(fj_officer, fj_supervisor).seizure
    entries = {entry.seizure_id: entry for entry in OutboxEntry.objects.all()}
    sender = delivery.Sender.configured()
    stored_a, commit_a, results_a = threading.Event(), threading.Event(), {}

    def slow_batch():
        # The in-process hub reads A's batch inside this transaction, held open until told.
        try:
            with transaction.atomic():
                results_a.update(
                    delivery.send_batch(
                        sender, [entries[first.pk]], batch=uuid.uuid4(), now=timezone.now()
                    )
                )
                stored_a.set()
                commit_a.wait(timeout=30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=slow_batch)
    worker.start()
    assert stored_a.wait(timeout=30)
    delivery.send_batch(sender, [entries[second.pk]], batch=uuid.uuid4(), now=timezone.now())
    early = get_feed(ws_key).json()
    assert [e["uuid"] for e in early["entries"]] == [str(second.uuid)]
    # A's message was stored first: its id is below B's.
    commit_a.set()
    worker.join(timeout=30)
    assert [r["outcome"] for r in results_a.values()] == ["accepted"]
    a_version, _b_version = RegionalVersion.objects.order_by("id")
    assert a_version.record.record_uuid == first.uuid
    late = get_feed(ws_key, after=early["next"]).json()
    assert [e["uuid"] for e in late["entries"]] == [str(first.uuid)]
    assert assign_feed_positions() == 0
