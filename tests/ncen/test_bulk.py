"""ncen.bulk.json_insert writes what bulk_create writes, row for row."""

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from exchange.models import Member, RegionalRecord
from ncen.bulk import JsonText, json_insert
from ncen.canonical import canonical_json

pytestmark = pytest.mark.django_db

# Text that quoting gets wrong when it is done by hand: quotes, backslashes, braces and
# commas (array syntax), spaces, NULL spelt out, accents, scripts, emoji, newlines.
AWKWARD = [
    "",
    "plain",
    "two words",
    'a "quoted" word',
    "back\\slash",
    "{braces}",
    "a,comma",
    "NULL",
    "null",
    "Fidžī 'Ōtara' Ṭonga",
    "漢字 кириллица العربية",
    "🐢 turtle",
    "line\nbreak\ttab",
    "$1 %s %(name)s ?",
]


def varied_payload(rng: random.Random) -> dict:
    return {
        "text": rng.choice(AWKWARD),
        "number": rng.choice([0, -7, 2**53, 1.5, 0.1, 1e-7, 123456789.123456]),
        "nothing": None,
        "flags": [True, False],
        "nested": {rng.choice(AWKWARD) or "k": [rng.choice(AWKWARD), {"deep": []}]},
    }


def varied_fields(rng: random.Random, member: Member) -> dict:
    words = rng.sample(AWKWARD, 3)
    occurred = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(10**7), microseconds=rng.randrange(10**6)
    )
    return {
        "member_id": member.pk,
        "record_uuid": uuid.UUID(int=rng.getrandbits(128)),
        "reference": f"FJ-2026-{rng.randrange(10**6):06d}",
        "version": rng.randrange(1, 5),
        "payload": varied_payload(rng),
        "handling_code": "intelligence_only",
        "source_reliability": rng.choice("ABCX"),
        "information_accuracy": rng.randrange(1, 5),
        "occurred_at": rng.choice([None, occurred]),
        "commodity_codes": rng.sample(["drugs", "drugs.cocaine", "a b", 'q"t', "x,y"], 2),
        "route_countries": rng.choice([[], ["FJ"], ["AU", "NZ", "FJ"]]),
        "origin_country": rng.choice(["", "AU"]),
        "destination_country": rng.choice(["", "FJ"]),
        "transport_mode": rng.choice(["", "air_passenger"]),
        "detection_method": rng.choice(["", "x_ray"]),
        "concealment_method": rng.choice(["", "on_body"]),
        "conveyance_keys": [w[:60] for w in words],
        "nominal_keys": rng.choice([[], ["document:AB123", "phone:+679 123"]]),
        "search_text": " ".join(words),
        "withdrawn_at": rng.choice([None, occurred]),
        "received_at": occurred,
        "updated_at": occurred,
    }


# bulk_create stamps the auto_now fields itself; json_insert writes what it is given.
STAMPS = {"received_at", "updated_at"}
COLUMNS = [
    field.attname
    for field in RegionalRecord._meta.concrete_fields
    if not field.primary_key and field.attname not in {"member_id", *STAMPS}
]


def stored(member: Member) -> list[dict]:
    return list(
        RegionalRecord.objects.filter(member=member)
        .order_by("record_uuid")
        .values(*COLUMNS, *STAMPS)
    )


def test_json_insert_stores_what_bulk_create_stores():
    rng = random.Random(6)
    references = Member.objects.create(code="R1", name="Reference", public_key="ed25519:x")
    fasts = Member.objects.create(code="R2", name="Fast path", public_key="ed25519:x")
    rows = [varied_fields(rng, references) for _ in range(60)]
    RegionalRecord.objects.bulk_create([RegionalRecord(**row) for row in rows])
    # Half the payloads go as the JSON text the hub has of them, half as objects.
    json_insert(
        RegionalRecord,
        [
            {
                **row,
                "member_id": fasts.pk,
                **({"payload": JsonText(canonical_json(row["payload"]))} if n % 2 else {}),
            }
            for n, row in enumerate(rows)
        ],
    )

    reference, fast = stored(references), stored(fasts)
    assert len(reference) == len(fast) == 60
    for expected, got in zip(reference, fast, strict=True):
        assert {name: got[name] for name in COLUMNS} == {name: expected[name] for name in COLUMNS}
    given = sorted(rows, key=lambda row: row["record_uuid"])
    for row, got in zip(given, fast, strict=True):
        assert {name: got[name] for name in STAMPS} == {name: row[name] for name in STAMPS}


def test_json_insert_skips_conflicting_rows_only_when_asked():
    rng = random.Random(7)
    member = Member.objects.create(code="R1", name="Reference", public_key="ed25519:x")
    first = varied_fields(rng, member)
    json_insert(RegionalRecord, [first])
    again = {**varied_fields(rng, member), "record_uuid": first["record_uuid"]}
    new = varied_fields(rng, member)
    json_insert(RegionalRecord, [again, new], ignore_conflicts=True)
    assert (
        RegionalRecord.objects.get(record_uuid=first["record_uuid"]).reference
        == (first["reference"])
    )
    assert RegionalRecord.objects.filter(record_uuid=new["record_uuid"]).exists()
    with pytest.raises(IntegrityError, match="regional_record_unique"), transaction.atomic():
        json_insert(RegionalRecord, [again])
