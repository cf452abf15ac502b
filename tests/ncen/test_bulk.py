"""ncen.bulk writes what bulk_create writes, row for row: json_insert, and copy_insert, which
also leaves the instances as a read gives them, and copy_insert_rows, which gives its rows
back as a read gives them."""

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from exchange.models import Member, RegionalRecord
from ncen.bulk import JsonText, copy_insert, copy_insert_rows, json_insert
from ncen.canonical import canonical_json
from seizures.models import Item

from ..factories import code, make_seizure

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


def test_copy_insert_writes_what_bulk_create_writes_of_json_and_arrays():
    """Documents of the same keys and arrays that repeat, among other values: copy_insert
    prepares each distinct array once, and each document each time."""
    rng = random.Random(8)
    references = Member.objects.create(code="R1", name="Reference", public_key="ed25519:x")
    copies = Member.objects.create(code="R2", name="Copied", public_key="ed25519:x")
    rows = [varied_fields(rng, references) for _ in range(60)]
    RegionalRecord.objects.bulk_create([RegionalRecord(**row) for row in rows])
    copy_insert([RegionalRecord(**{**row, "member_id": copies.pk}) for row in rows])
    reference, copied = stored(references), stored(copies)
    assert len({str(row["payload"]) for row in reference}) > 30
    # Both stamp the auto_now fields, each at its own time.
    assert [{name: row[name] for name in COLUMNS} for row in copied] == [
        {name: row[name] for name in COLUMNS} for row in reference
    ]


def test_json_insert_takes_rows_written_as_json_already():
    rng = random.Random(9)
    as_dicts = Member.objects.create(code="R1", name="Dicts", public_key="ed25519:x")
    as_text = Member.objects.create(code="R2", name="Text", public_key="ed25519:x")
    rows = [varied_fields(rng, as_dicts) for _ in range(30)]
    json_insert(RegionalRecord, rows)
    json_insert(
        RegionalRecord,
        [
            JsonText(json.dumps({**row, "member_id": as_text.pk}, default=str).encode())
            for row in rows
        ],
        columns=list(rows[0]),
    )
    assert stored(as_text) == stored(as_dicts)


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


ITEM_COLUMNS = (
    "commodity_id",
    "description",
    "quantity",
    "unit_id",
    "estimated_value",
    "currency",
    "species",
    "cites_appendix",
    "position",
)


def _item_values(seizure) -> list[dict]:
    """Items whose values repeat (which copy_insert prepares once) and vary: decimals of
    every scale, to be rounded half away from zero, empty and missing values."""
    quantities = ["1.2", "1.20", "3", "0.0005", "2.0015", "12345.6789", "1.2"]
    values = [None, Decimal("10"), Decimal("10.005"), Decimal("0.994"), Decimal("10")]
    return [
        {
            "seizure": seizure,
            "position": position,
            "commodity": code("commodity", ["cocaine", "cigarettes"][position % 2]),
            "unit": code("unit", ["kg", "sticks"][position % 2]),
            "quantity": Decimal(quantity),
            "estimated_value": values[position % len(values)],
            "currency": "FJD" if values[position % len(values)] is not None else "",
            "description": ["", "Parcel", "Parcel", "é — ½"][position % 4],
            "species": "" if position % 3 else "Chelonia mydas",
            "cites_appendix": "" if position % 3 else "I",
        }
        for position, quantity in enumerate(quantities)
    ]


def _items(seizure) -> list[Item]:
    return [Item(**values) for values in _item_values(seizure)]


def _rows(items) -> list[tuple]:
    saved = Item.objects.filter(pk__in=[item.pk for item in items]).order_by("position")
    return list(saved.values_list(*ITEM_COLUMNS))


def test_copy_insert_writes_the_rows_bulk_create_writes(fj_officer):
    seizure = make_seizure(by=fj_officer)
    copied = _items(seizure)
    copy_insert(copied)
    created = Item.objects.bulk_create(_items(seizure))
    assert _rows(copied) == _rows(created)
    assert len({item.pk for item in copied + created}) == len(copied) * 2


def test_copied_instances_hold_the_values_a_read_gives(fj_officer):
    seizure = make_seizure(by=fj_officer)
    copied = _items(seizure)
    copy_insert(copied)
    assert [tuple(getattr(item, column) for column in ITEM_COLUMNS) for item in copied] == (
        _rows(copied)
    )
    # The scale as well as the value: the audit trail writes them as text.
    assert [str(item.quantity) for item in copied] == [str(row[2]) for row in _rows(copied)]
    assert str(copied[3].quantity) == "0.001"
    assert str(copied[2].estimated_value) == "10.01"
    assert all(not item._state.adding for item in copied)


def test_copy_insert_rows_writes_the_rows_bulk_create_writes(fj_officer):
    seizure = make_seizure(by=fj_officer)
    rows = _item_values(seizure)
    for row in rows[::2]:
        # Left out: the field's default; a related row by its key rather than its instance.
        for name in ("description", "species", "cites_appendix", "estimated_value"):
            if not row[name]:
                del row[name]
        row["unit"] = row["unit"].pk
    written = copy_insert_rows(Item, rows)
    created = Item.objects.bulk_create(_items(seizure))
    assert _rows([Item(pk=row["id"]) for row in written]) == _rows(created)
    # Each row as written, as a read of it gives it: keys, rounded numbers, defaults.
    names = [field.name for field in Item._meta.concrete_fields]
    saved = Item.objects.filter(pk__in=[row["id"] for row in written]).order_by("position")
    assert written == list(saved.values(*names))
    assert [str(row["quantity"]) for row in written] == [str(row[2]) for row in _rows(created)]
    assert str(written[3]["quantity"]) == "0.001"
    assert str(written[2]["estimated_value"]) == "10.01"
