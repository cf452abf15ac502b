"""The hub's side of the exchange: reading a member's signed batch and storing each message
once (docs/exchange-protocol.md).

A batch is refused whole, storing nothing, when it is too large, its member unknown or
inactive, its signature wrong, its envelope malformed, its clock too far off, or its id
already read (a replay). Otherwise each entry is answered on its own: accepted, duplicate
(the same message was stored before: a resend), or rejected with the reason.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import jsonschema
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ncen.canonical import canonical_json

from . import signing
from .columns import searchable_columns
from .delivery import BATCH_FORMAT
from .models import InboundBatch, Member, Message, RegionalRecord, RegionalVersion, idempotency_key
from .payload import SCHEMA_FILE


@dataclass
class Refusal(Exception):
    """The whole batch is refused: HTTP ``status`` with a stable ``error`` code and a
    sentence for the member's administrator."""

    status: int
    error: str
    reason: str


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((Path(__file__).parent / "schemas" / SCHEMA_FILE).read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_errors(payload) -> str:
    """The payload's first schema error as one line, or "" when it is valid."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(payload))
    if error is None:
        return ""
    where = "/".join(str(part) for part in error.absolute_path) or "(the message)"
    return f"{where}: {error.message}"[:500]


def _parse_time(value) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def authenticate(*, body: bytes, member_code: str, signature: str) -> Member:
    """The member whose registered key signed ``body``, or Refusal."""
    if len(body) > settings.NCEN_HUB_MAX_BATCH_BYTES:
        raise Refusal(
            413,
            "batch_too_large",
            f"The batch is larger than the {settings.NCEN_HUB_MAX_BATCH_BYTES} bytes this hub "
            "reads. Send smaller batches.",
        )
    member = Member.objects.filter(code=member_code, is_active=True).first()
    if member is None:
        raise Refusal(
            401, "unknown_member", f"No active member {member_code!r} is registered at this hub."
        )
    if not signature or not signing.verify(member.public_key, body, signature):
        raise Refusal(
            401,
            "bad_signature",
            f"The signature does not match the key registered for {member.code}.",
        )
    return member


def parse_envelope(*, body: bytes, member: Member) -> dict:
    try:
        batch = json.loads(body)
    except ValueError:
        raise Refusal(400, "malformed", "The batch is not JSON.") from None
    if not isinstance(batch, dict) or batch.get("format") != BATCH_FORMAT:
        raise Refusal(400, "malformed", f"The batch's format must be {BATCH_FORMAT}.")
    if batch.get("member") != member.code:
        raise Refusal(400, "malformed", "The batch's member is not the one that signed it.")
    entries = batch.get("entries")
    if not isinstance(entries, list) or not entries:
        raise Refusal(400, "malformed", "The batch has no entries.")
    if len(entries) > settings.NCEN_HUB_MAX_BATCH_ENTRIES:
        raise Refusal(
            413,
            "batch_too_large",
            f"The batch has {len(entries)} entries; this hub reads at most "
            f"{settings.NCEN_HUB_MAX_BATCH_ENTRIES}.",
        )
    sent_at = _parse_time(batch.get("sent_at"))
    if sent_at is None:
        raise Refusal(400, "malformed", "sent_at must be a UTC time like 2026-11-23T22:00:00Z.")
    skew = abs((timezone.now() - sent_at).total_seconds())
    if skew > settings.NCEN_HUB_CLOCK_SKEW_SECONDS:
        raise Refusal(
            400,
            "stale_batch",
            f"The batch was sent at {batch['sent_at']}, {int(skew)} seconds from the hub's "
            "clock: check the sender's clock, or send the entries again in a new batch.",
        )
    try:
        batch["batch"] = uuid.UUID(str(batch.get("batch")))
    except ValueError:
        raise Refusal(400, "malformed", "The batch id must be a UUID.") from None
    batch["sent_at"] = sent_at
    return batch


def receive(*, body: bytes, member_code: str, signature: str) -> dict:
    """Read one batch and answer each entry; raises Refusal for the whole batch."""
    member = authenticate(body=body, member_code=member_code, signature=signature)
    batch = parse_envelope(body=body, member=member)
    with transaction.atomic():
        try:
            with transaction.atomic():
                inbound = InboundBatch.objects.create(
                    member=member, batch=batch["batch"], sent_at=batch["sent_at"]
                )
        except IntegrityError:
            raise Refusal(
                409,
                "replayed_batch",
                f"Batch {batch['batch']} was already received; a resend needs a new batch id.",
            ) from None
        results = [
            _receive_entry(member=member, inbound=inbound, entry=e) for e in batch["entries"]
        ]
        counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
        for result in results:
            counts[result["outcome"]] += 1
        InboundBatch.objects.filter(pk=inbound.pk).update(
            accepted=counts["accepted"], duplicates=counts["duplicate"], rejected=counts["rejected"]
        )
    return {"batch": str(inbound.batch), "results": results}


def _rejected(key, reason: str) -> dict:
    return {"key": key, "outcome": "rejected", "reason": reason}


def _receive_entry(*, member: Member, inbound: InboundBatch, entry) -> dict:
    if not isinstance(entry, dict):
        return _rejected(None, "An entry must be an object with key, sha256 and payload.")
    key, payload = entry.get("key"), entry.get("payload")
    error = schema_errors(payload)
    if error:
        return _rejected(key, f"The message breaks the payload schema: {error}")
    body = canonical_json(payload)
    if entry.get("sha256") != hashlib.sha256(body).hexdigest():
        return _rejected(key, "The sha256 does not match the payload.")
    if payload["member"] != member.code:
        return _rejected(key, f"The message is {payload['member']}'s, not {member.code}'s.")
    if payload["destination"] != "regional":
        return _rejected(key, "This hub receives regional messages only.")
    record = payload["record"]
    expected = idempotency_key(
        member=member.code,
        uuid=record["uuid"],
        version=record["version"],
        message=payload["message"],
    )
    if key != expected:
        return _rejected(key, f"The key must be {expected}.")
    try:
        with transaction.atomic():
            outcome = _store(member=member, inbound=inbound, payload=payload, body=body)
    except IntegrityError:  # another batch stored the same message a moment ago
        outcome = "duplicate"
    if isinstance(outcome, str):
        return {"key": key, "outcome": outcome}
    return _rejected(key, outcome[1])


def _store(*, member: Member, inbound: InboundBatch, payload: dict, body: bytes):
    """Store one valid message: "accepted", "duplicate", or ("rejected", reason)."""
    record_ref, message = payload["record"], payload["message"]
    sha256 = hashlib.sha256(body).hexdigest()
    record = (
        RegionalRecord.objects.select_for_update()
        .filter(member=member, record_uuid=record_ref["uuid"])
        .first()
    )
    if record is not None:
        earlier = record.versions.filter(version=record_ref["version"], message=message).first()
        if earlier is not None:
            if earlier.payload_sha256 == sha256:
                return "duplicate"
            return (
                "rejected",
                f"Version {record_ref['version']} of {record_ref['reference']} was received "
                "before with other content; a changed record needs a new version.",
            )
        if record.withdrawn_at is not None:
            return ("rejected", f"{record.reference} was withdrawn; it takes no new versions.")
    if message == Message.WITHDRAWAL:
        if record is None:
            return ("rejected", f"The hub holds no {record_ref['reference']} to withdraw.")
        record.withdrawn_at = _parse_time(payload["withdrawn_at"])
        record.save(update_fields=["withdrawn_at", "updated_at"])
    else:
        sharing = payload["sharing"]
        current = {
            "reference": record_ref["reference"],
            "version": record_ref["version"],
            "payload": payload,
            "handling_code": sharing["handling_code"],
            "source_reliability": sharing["source_reliability"],
            "information_accuracy": sharing["information_accuracy"],
            **searchable_columns(payload),
        }
        if record is None:
            record = RegionalRecord.objects.create(
                member=member, record_uuid=record_ref["uuid"], **current
            )
        elif record_ref["version"] > record.version:  # receivers keep the highest
            for name, value in current.items():
                setattr(record, name, value)
            record.save()
    RegionalVersion.objects.create(
        record=record,
        version=record_ref["version"],
        message=message,
        payload=payload,
        payload_sha256=sha256,
        batch=inbound,
    )
    return "accepted"
