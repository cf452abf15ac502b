"""The hub's inbound endpoint: a batch is refused whole, storing nothing, when its signature,
member, size, envelope or id is wrong; otherwise each entry is answered on its own."""

import hashlib
import json
import uuid
from pathlib import Path

import fastjsonschema
import pytest
from django.test import Client
from django.utils import timezone

from exchange import signing
from exchange.delivery import BATCH_FORMAT, BATCH_PATH
from exchange.models import InboundBatch, RegionalRecord, RegionalVersion
from exchange.payload import utc_iso
from ncen.canonical import canonical_json
from seizures.selectors import approval_payload

from .conftest import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(fj_officer, fj_supervisor):
    approval = approved(fj_officer, fj_supervisor)
    return json.loads(approval_payload(approval=approval, destination="regional"))


def entry(payload: dict, **changes) -> dict:
    record = payload["record"]
    key = f"{payload['member']}/{record['uuid']}/{record['version']}"
    if payload["message"] != "seizure":
        key += f"/{payload['message']}"
    values = {
        "key": key,
        "sha256": hashlib.sha256(canonical_json(payload)).hexdigest(),
        "payload": payload,
    }
    return {**values, **changes}


def batch(*entries, member="FJ", batch_id=None, sent_at=None) -> bytes:
    return canonical_json(
        {
            "format": BATCH_FORMAT,
            "batch": batch_id or str(uuid.uuid4()),
            "member": member,
            "sent_at": utc_iso(sent_at or timezone.now()),
            "entries": list(entries),
        }
    )


def post(body: bytes, key, member="FJ", signature=None):
    return Client().post(
        BATCH_PATH,
        data=body,
        content_type="application/json",
        headers={
            "X-NCEN-Member": member,
            "X-NCEN-Signature": signature if signature is not None else signing.sign(key, body),
        },
    )


def stored() -> tuple[int, int, int]:
    return (
        InboundBatch.objects.count(),
        RegionalRecord.objects.count(),
        RegionalVersion.objects.count(),
    )


def test_a_signed_batch_is_stored_and_acknowledged(exchange_settings, fj_member, fj_key, message):
    response = post(batch(entry(message)), fj_key[1])
    assert response.status_code == 200, response.content
    assert response.json()["results"] == [{"key": entry(message)["key"], "outcome": "accepted"}]
    record = RegionalRecord.objects.get()
    assert (record.member, str(record.record_uuid), record.version) == (
        fj_member,
        message["record"]["uuid"],
        1,
    )
    assert record.handling_code == "intelligence_only"
    assert (record.source_reliability, record.information_accuracy) == ("B", 2)


def test_a_resend_is_acknowledged_as_a_duplicate_and_stored_once(
    exchange_settings, fj_member, fj_key, message
):
    assert post(batch(entry(message)), fj_key[1]).json()["results"][0]["outcome"] == "accepted"
    response = post(batch(entry(message)), fj_key[1])
    assert response.json()["results"] == [{"key": entry(message)["key"], "outcome": "duplicate"}]
    assert stored() == (2, 1, 1)


def test_a_tampered_batch_is_refused_and_stores_nothing(
    exchange_settings, fj_member, fj_key, message
):
    body = batch(entry(message))
    signature = signing.sign(fj_key[1], body)
    tampered = body.replace(b'"source_reliability":"B"', b'"source_reliability":"A"')
    assert tampered != body
    response = post(tampered, fj_key[1], signature=signature)
    assert response.status_code == 401
    assert response.json()["error"] == "bad_signature"
    assert "FJ" in response.json()["reason"]
    assert stored() == (0, 0, 0)


def test_a_batch_signed_with_another_key_is_refused(
    exchange_settings, fj_member, tmp_path, message
):
    other = signing.generate_private_key(tmp_path / "other.pem")
    response = post(batch(entry(message)), other)
    assert (response.status_code, response.json()["error"]) == (401, "bad_signature")
    assert stored() == (0, 0, 0)


def test_an_unknown_or_inactive_member_is_refused(exchange_settings, fj_member, fj_key, message):
    response = post(batch(entry(message), member="WS"), fj_key[1], member="WS")
    assert (response.status_code, response.json()["error"]) == (401, "unknown_member")
    assert "WS" in response.json()["reason"]
    fj_member.is_active = False
    fj_member.save()
    response = post(batch(entry(message)), fj_key[1])
    assert (response.status_code, response.json()["error"]) == (401, "unknown_member")
    assert stored() == (0, 0, 0)


def test_a_replayed_batch_is_refused(exchange_settings, fj_member, fj_key, message):
    body = batch(entry(message))
    assert post(body, fj_key[1]).status_code == 200
    response = post(body, fj_key[1])
    assert (response.status_code, response.json()["error"]) == (409, "replayed_batch")
    assert stored() == (1, 1, 1)


def test_an_old_batch_is_refused(exchange_settings, fj_member, fj_key, message):
    sent_at = timezone.now() - timezone.timedelta(hours=1)
    response = post(batch(entry(message), sent_at=sent_at), fj_key[1])
    assert (response.status_code, response.json()["error"]) == (400, "stale_batch")
    assert stored() == (0, 0, 0)


def test_an_oversized_batch_is_refused(exchange_settings, fj_member, fj_key, message):
    exchange_settings.NCEN_HUB_MAX_BATCH_BYTES = 2048
    response = post(batch(*[entry(message)] * 3), fj_key[1])
    assert (response.status_code, response.json()["error"]) == (413, "batch_too_large")
    exchange_settings.NCEN_HUB_MAX_BATCH_BYTES = 10**7
    exchange_settings.NCEN_HUB_MAX_BATCH_ENTRIES = 2
    response = post(batch(*[entry(message)] * 3), fj_key[1])
    assert (response.status_code, response.json()["error"]) == (413, "batch_too_large")
    assert stored() == (0, 0, 0)


def test_an_entry_that_breaks_the_schema_is_rejected_with_the_reason(
    exchange_settings, fj_member, fj_key, message
):
    broken = {**message, "sharing": {**message["sharing"], "source_reliability": "Z"}}
    response = post(batch(entry(broken)), fj_key[1])
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["outcome"] == "rejected"
    assert "schema" in result["reason"]
    assert "source_reliability" in result["reason"]
    assert RegionalRecord.objects.count() == 0


def test_an_entry_of_another_member_or_with_a_wrong_hash_is_rejected(
    exchange_settings, fj_member, fj_key, message
):
    other = {**message, "member": "WS"}
    response = post(batch(entry(other), entry(message, sha256="0" * 64)), fj_key[1])
    reasons = [result["reason"] for result in response.json()["results"]]
    assert "WS" in reasons[0]
    assert "sha256" in reasons[1]
    assert RegionalRecord.objects.count() == 0


def test_the_same_version_with_other_content_is_rejected(
    exchange_settings, fj_member, fj_key, message
):
    post(batch(entry(message)), fj_key[1])
    changed = {**message, "sharing": {**message["sharing"], "source_reliability": "A"}}
    [result] = post(batch(entry(changed)), fj_key[1]).json()["results"]
    assert result["outcome"] == "rejected"
    assert "other content" in result["reason"]
    assert RegionalRecord.objects.get().source_reliability == "B"


def test_the_endpoint_exists_on_hubs_only(settings, fj_key, message):
    settings.NCEN_HUB = False
    assert post(batch(entry(message)), fj_key[1]).status_code == 404


def test_the_documented_batch_is_one_the_hub_accepts(exchange_settings, fj_member, fj_key):
    docs = Path(__file__).resolve().parents[2] / "docs" / "examples"
    documented = json.loads((docs / "exchange-batch.json").read_text())
    answer = json.loads((docs / "exchange-answer.json").read_text())
    assert documented["format"] == BATCH_FORMAT
    for documented_entry in documented["entries"]:
        assert documented_entry == entry(documented_entry["payload"])
    body = batch(*documented["entries"], batch_id=documented["batch"])
    response = post(body, fj_key[1])
    assert response.status_code == 200, response.content
    assert response.json() == answer


def test_a_batch_larger_than_a_form_may_be_is_read(exchange_settings, fj_member, fj_key, message):
    exchange_settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = batch(*[entry(message)] * 3)
    assert len(body) > 1024
    response = post(body, fj_key[1])
    assert response.status_code == 200, response.content
    assert [r["outcome"] for r in response.json()["results"]] == [
        "accepted",
        "duplicate",
        "duplicate",
    ]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"batch": "not-a-uuid"}, "UUID"),
        ({"format": "ncen.batch/9"}, "format"),
        ({"entries": []}, "no entries"),
        ({"member": "WS"}, "member"),
        ({"sent_at": "yesterday"}, "sent_at"),
    ],
)
def test_a_malformed_envelope_is_refused_with_the_reason(
    exchange_settings, fj_member, fj_key, message, change, reason
):
    envelope = json.loads(batch(entry(message)))
    response = post(canonical_json({**envelope, **change}), fj_key[1])
    assert (response.status_code, response.json()["error"]) == (400, "malformed")
    assert reason in response.json()["reason"]
    assert stored() == (0, 0, 0)


def variant(message: dict, **record) -> dict:
    """The message for another record (a new uuid and reference), or another version."""
    values = {"uuid": str(uuid.uuid4()), "reference": f"FJ-2026-{uuid.uuid4().int % 10**6:06d}"}
    return {**message, "record": {**message["record"], **values, **record}}


def withdrawal(message: dict) -> dict:
    return {
        "format": message["format"],
        "message": "withdrawal",
        "destination": "regional",
        "member": message["member"],
        "record": message["record"],
        "withdrawn_at": utc_iso(timezone.now()),
    }


def test_a_batch_is_stored_in_as_many_statements_whatever_its_size(
    exchange_settings, fj_member, fj_key, message, django_assert_num_queries
):
    # The member, the batch, the records inserted, locked and their versions read, the
    # versions inserted, the batch's counts, and the savepoints: 1 entry or 50 alike.
    for size in (1, 50):
        with django_assert_num_queries(11):
            response = post(batch(*[entry(variant(message)) for _ in range(size)]), fj_key[1])
        assert [r["outcome"] for r in response.json()["results"]] == ["accepted"] * size
    assert stored() == (2, 51, 51)


def test_the_messages_of_one_record_in_one_batch_are_taken_in_order(
    exchange_settings, fj_member, fj_key, message
):
    same_record = message["record"]["uuid"]
    second = variant(message, uuid=same_record, version=2)
    entries = [entry(message), entry(variant(message)), entry(second), entry(withdrawal(second))]
    entries += [entry(variant(message, uuid=same_record, version=3))]
    entries += [entry(withdrawal(variant(message)))]
    results = post(batch(*entries), fj_key[1]).json()["results"]
    assert [r["outcome"] for r in results] == ["accepted"] * 4 + ["rejected"] * 2
    assert "was withdrawn" in results[4]["reason"]
    assert "holds no" in results[5]["reason"]
    record = RegionalRecord.objects.get(record_uuid=message["record"]["uuid"])
    assert record.version == 2
    assert record.withdrawn_at is not None
    assert list(record.versions.values_list("version", "message")) == [
        (1, "seizure"),
        (2, "seizure"),
        (2, "withdrawal"),
    ]
    assert stored() == (1, 2, 4)


def test_an_older_version_is_kept_without_replacing_the_newer(
    exchange_settings, fj_member, fj_key, message
):
    second = variant(message, uuid=message["record"]["uuid"], version=2)
    post(batch(entry(second)), fj_key[1])
    [result] = post(batch(entry(message)), fj_key[1]).json()["results"]
    assert result["outcome"] == "accepted"
    assert RegionalRecord.objects.get().version == 2
    assert RegionalVersion.objects.count() == 2


@pytest.mark.parametrize(
    "breakage",
    [
        lambda m: {**m, "record": {**m["record"], "uuid": "not-a-uuid"}},
        lambda m: {**m, "record": {**m["record"], "uuid": "0" * 32}},
        lambda m: {**m, "record": {**m["record"], "version": 0}},
        lambda m: {**m, "member": "fj"},
        lambda m: {**m, "sharing": {**m["sharing"], "handling_code": "other"}},
        lambda m: {**m, "destination": "global"},
        lambda m: {**m, "seizure": {**m["seizure"], "items": []}},
        lambda m: {**m, "seizure": {**m["seizure"], "occurred_at": "2026-01-01 10:00"}},
        lambda m: {**m, "extra": 1},
        lambda m: {k: v for k, v in m.items() if k != "persons"},
        lambda m: {**withdrawal(m), "withdrawn_at": None},
        lambda m: [m],
        lambda m: None,
    ],
)
def test_the_compiled_schema_refuses_what_jsonschema_refuses(message, breakage):
    from exchange import hub

    for valid in (message, withdrawal(message)):
        hub._compiled()(valid)
        assert hub.schema_errors(valid) == ""
    broken = breakage(message)
    assert list(hub._validator().iter_errors(broken))
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        hub._compiled()(broken)
    assert hub.schema_errors(broken)
