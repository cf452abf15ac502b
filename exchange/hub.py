"""The hub's side of the exchange: reading a member's signed batch and storing each message
once (docs/exchange-protocol.md).

A batch is refused whole, storing nothing, when it is too large, its member unknown or
inactive, its signature wrong, its envelope malformed, its clock too far off, or its id
already read (a replay). Otherwise each entry is answered on its own: accepted, duplicate
(the same message was stored before: a resend), or rejected with the reason.

Entries are checked one by one, outside the transaction, then stored together: a handful
of statements per batch, whatever its size (see _store).
"""

import hashlib
import json
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import fastjsonschema
import jsonschema
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ncen.bulk import JsonText, json_insert
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
def _schema() -> dict:
    return json.loads((Path(__file__).parent / "schemas" / SCHEMA_FILE).read_text())


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_schema(), format_checker=jsonschema.FormatChecker())


@cache
def _compiled():
    """The schema compiled to Python (fastjsonschema), some fifty times faster than
    jsonschema's validator; it says whether a payload is valid, not why. The schema uses
    nothing of draft 2020-12 that draft 7, which it compiles as, reads otherwise, and its one
    format is checked by jsonschema's own checker (tests/exchange/test_hub.py compares the
    two on every refusal the tests know)."""
    checker = jsonschema.FormatChecker()
    return fastjsonschema.compile(
        _schema(),
        formats={"uuid": lambda value: checker.conforms(value, "uuid")},
        use_default=False,
    )


def schema_errors(payload) -> str:
    """The payload's first schema error as one line, or "" when it is valid."""
    try:
        _compiled()(payload)
    except fastjsonschema.JsonSchemaValueException:
        pass
    else:
        return ""
    # Only a broken payload pays for jsonschema, whose message says where and why.
    error = jsonschema.exceptions.best_match(_validator().iter_errors(payload))
    if error is None:
        return ""
    where = "/".join(str(part) for part in error.absolute_path) or "(the message)"
    return f"{where}: {error.message}"[:500]


def parse_time(value) -> datetime | None:
    """A protocol timestamp (``2026-11-23T10:00:00Z``) as an aware datetime, or None."""
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
    sent_at = parse_time(batch.get("sent_at"))
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
    results = [_check_entry(member=member, entry=entry) for entry in batch["entries"]]
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
        results = _store(member=member, inbound=inbound, checked=results)
        counts = Counter(result["outcome"] for result in results)
        InboundBatch.objects.filter(pk=inbound.pk).update(
            accepted=counts["accepted"], duplicates=counts["duplicate"], rejected=counts["rejected"]
        )
    return {"batch": str(inbound.batch), "results": results}


def _rejected(key, reason: str) -> dict:
    return {"key": key, "outcome": "rejected", "reason": reason}


@dataclass
class _Valid:
    """An entry that passed every check of its own, waiting to be stored."""

    key: str
    payload: dict
    canonical: bytes  # the payload's canonical JSON, whose hash is sha256
    sha256: str

    @property
    def uuid(self) -> str:
        return self.payload["record"]["uuid"]

    @property
    def version(self) -> int:
        return self.payload["record"]["version"]

    @property
    def message(self) -> str:
        return self.payload["message"]


def _check_entry(*, member: Member, entry) -> dict | _Valid:
    """The entry's rejection, or the entry ready to be stored."""
    if not isinstance(entry, dict):
        return _rejected(None, "An entry must be an object with key, sha256 and payload.")
    key, payload = entry.get("key"), entry.get("payload")
    error = schema_errors(payload)
    if error:
        return _rejected(key, f"The message breaks the payload schema: {error}")
    canonical = canonical_json(payload)
    sha256 = hashlib.sha256(canonical).hexdigest()
    if entry.get("sha256") != sha256:
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
    return _Valid(key=key, payload=payload, canonical=canonical, sha256=sha256)


def _store(*, member: Member, inbound: InboundBatch, checked: list) -> list[dict]:
    """Store the valid entries and answer every entry, in the batch's order. A record's
    messages are taken in the order they come: its first message in the batch is stored
    with every other record's first, its second with the seconds, and so on (a sender
    puts one message per record in a batch, so that is one round)."""
    results = list(checked)
    rounds = defaultdict(list)
    seen = Counter()
    for index, entry in enumerate(checked):
        if isinstance(entry, _Valid):
            rounds[seen[entry.uuid]].append((index, entry))
            seen[entry.uuid] += 1
    for number in sorted(rounds):
        answers = _store_round(member=member, inbound=inbound, entries=dict(rounds[number]))
        for index, answer in answers.items():
            results[index] = answer
    return results


def _record_fields(payload: dict) -> dict:
    """A regional record's values taken from the seizure message of its highest version."""
    record, sharing = payload["record"], payload["sharing"]
    return {
        "reference": record["reference"],
        "version": record["version"],
        "payload": payload,
        "handling_code": sharing["handling_code"],
        "source_reliability": sharing["source_reliability"],
        "information_accuracy": sharing["information_accuracy"],
        **searchable_columns(payload),
    }


def _store_round(*, member: Member, inbound: InboundBatch, entries: dict[int, _Valid]) -> dict:
    """Store messages of distinct records (by their index in the batch) and answer each:
    accepted, duplicate, or rejected with the reason.

    New records are inserted first, ON CONFLICT DO NOTHING, in one order (the uuid's), so
    two batches bringing the same new record wait for each other on its unique constraint
    instead of deadlocking; then every record of the round is locked, and its earlier
    messages read. From there on no other batch can store a message for these records
    until this one commits, so each answer is exact, and the unique constraint on (record,
    version, message) stands behind them."""
    now = timezone.now()
    new = sorted(
        (entry for entry in entries.values() if entry.message == Message.SEIZURE),
        key=lambda entry: entry.uuid,
    )
    json_insert(
        RegionalRecord,
        [
            {
                "member_id": member.pk,
                "record_uuid": entry.uuid,
                **_record_fields(entry.payload),
                "payload": JsonText(entry.canonical),  # written as it came, not again
                "withdrawn_at": None,
                "received_at": now,
                "updated_at": now,
            }
            for entry in new
        ],
        ignore_conflicts=True,
    )
    records = {
        str(record.record_uuid): record
        for record in RegionalRecord.objects.select_for_update()
        .filter(member=member, record_uuid__in=[entry.uuid for entry in entries.values()])
        .order_by("pk")
        .only("pk", "record_uuid", "reference", "version", "withdrawn_at")
    }
    earlier = {
        (record_id, version, message): sha256
        for record_id, version, message, sha256 in RegionalVersion.objects.filter(
            record__in=records.values()
        ).values_list("record_id", "version", "message", "payload_sha256")
    }
    answers, versions, updated, withdrawn = {}, [], [], []
    for index, entry in entries.items():
        reference = entry.payload["record"]["reference"]
        record = records.get(entry.uuid)
        if record is None:  # a withdrawal: seizure messages made their record above
            answers[index] = _rejected(entry.key, f"The hub holds no {reference} to withdraw.")
            continue
        stored_sha256 = earlier.get((record.pk, entry.version, entry.message))
        if stored_sha256 == entry.sha256:
            answers[index] = {"key": entry.key, "outcome": "duplicate"}
            continue
        if stored_sha256 is not None:
            answers[index] = _rejected(
                entry.key,
                f"Version {entry.version} of {reference} was received before with other "
                "content; a changed record needs a new version.",
            )
            continue
        if record.withdrawn_at is not None:
            answers[index] = _rejected(
                entry.key, f"{record.reference} was withdrawn; it takes no new versions."
            )
            continue
        if entry.message == Message.WITHDRAWAL:
            record.withdrawn_at = parse_time(entry.payload["withdrawn_at"])
            record.updated_at = now
            withdrawn.append(record)
        elif entry.version > record.version:  # receivers keep the highest
            for name, value in _record_fields(entry.payload).items():
                setattr(record, name, value)
            record.updated_at = now
            updated.append(record)
        versions.append(
            {
                "record_id": record.pk,
                "version": entry.version,
                "message": entry.message,
                "payload": JsonText(entry.canonical),
                "payload_sha256": entry.sha256,
                "batch_id": inbound.pk,
                "received_at": now,
            }
        )
        answers[index] = {"key": entry.key, "outcome": "accepted"}
    json_insert(RegionalVersion, versions)
    if updated:
        fields = [*_record_fields(updated[0].payload), "updated_at"]
        RegionalRecord.objects.bulk_update(updated, fields)
    if withdrawn:
        RegionalRecord.objects.bulk_update(withdrawn, ["withdrawn_at", "updated_at"])
    return answers
