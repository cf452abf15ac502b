"""The real thing, the other way round: member A (FJ) delivers a signed batch over HTTP to a
hub served by gunicorn on its own database; member B (WS, this test's database, its own key
registered at the hub) pulls the feed with a real Celery worker and beat, and its officer
finds A's record in the regional records beside the seizures, with its handling code."""

import hashlib
import json
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from exchange import delivery, signing
from exchange.models import FeedPull, ReceivedRecord
from exchange.payload import utc_iso
from ncen.canonical import canonical_json

from ..celery_worker import wait_until
from ..conftest import signed_in_client
from .live import Hub, Worker

DOCS = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture
def keys(tmp_path):
    paths = {code: tmp_path / f"{code.lower()}.pem" for code in ("FJ", "WS")}
    return {code: (path, signing.generate_private_key(path)) for code, path in paths.items()}


@pytest.fixture
def hub_with_two_members(transactional_db, keys, tmp_path):
    hub = Hub(public_key=signing.public_key_text(keys["FJ"][1]), tmp_path=tmp_path)
    hub._manage("exchange_member", "WS", "Samoa Customs", signing.public_key_text(keys["WS"][1]))
    hub.start()
    yield hub
    hub.close()


def fj_delivers(hub: Hub, key) -> dict:
    """Member A's delivery: a regional message (the documented example under a new uuid,
    not for court), signed with A's key and POSTed as a batch."""
    payload = json.loads((DOCS / "seizure-regional.json").read_text())
    payload["record"]["uuid"] = str(uuid.uuid4())
    payload["record"]["reference"] = "FJ-2026-004242"
    payload["sharing"]["handling_code"] = "not_for_court"
    record = payload["record"]
    body = canonical_json(
        {
            "format": delivery.BATCH_FORMAT,
            "batch": str(uuid.uuid4()),
            "member": "FJ",
            "sent_at": utc_iso(timezone.now()),
            "entries": [
                {
                    "key": f"FJ/{record['uuid']}/{record['version']}",
                    "sha256": hashlib.sha256(canonical_json(payload)).hexdigest(),
                    "payload": payload,
                }
            ],
        }
    )
    status, answer = delivery.post(
        f"http://127.0.0.1:{hub.port}{delivery.BATCH_PATH}",
        body,
        {
            "Content-Type": "application/json",
            "X-NCEN-Member": "FJ",
            "X-NCEN-Signature": signing.sign(key, body),
        },
        10,
    )
    assert status == 200, answer
    assert [r["outcome"] for r in answer["results"]] == ["accepted"]
    return payload


@pytest.mark.django_db(transaction=True)
def test_a_second_member_pulls_the_shared_record_and_finds_it_in_its_search(
    hub_with_two_members, keys, tmp_path, samoa, ws_officer
):
    payload = fj_delivers(hub_with_two_members, keys["FJ"][1])
    worker = Worker(
        hub=hub_with_two_members,
        key_file=keys["WS"][0],
        tmp_path=tmp_path,
        NCEN_EXCHANGE_MEMBER="WS",
        NCEN_EXCHANGE_PULL_SECONDS="1",
    )
    worker.start()
    try:
        record = wait_until(
            lambda: ReceivedRecord.objects.filter(administration=samoa).first(),
            timeout=60,
            what="the worker to pull the shared record",
        )
    finally:
        worker.stop()
    assert (record.member, str(record.record_uuid), record.handling_code) == (
        "FJ",
        payload["record"]["uuid"],
        "not_for_court",
    )
    assert FeedPull.objects.get(administration=samoa).last_error == ""

    client = signed_in_client(ws_officer)
    found = client.get("/seizures/regional/", {"q": "FJ910"})
    page = found.content.decode()
    assert "FJ-2026-004242" in page
    assert "Not to be used in court without permission" in page
    detail = client.get(f"/seizures/regional/{record.pk}/").content.decode()
    assert "Not to be used in court without permission" in detail
    assert "Cocaine" in detail
