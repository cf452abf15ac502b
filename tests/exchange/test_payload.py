"""The one payload function: what leaves for each destination, in the schema's format, and
never a name in a global payload."""

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from exchange.models import NominalField
from exchange.payload import (
    PayloadInputs,
    nominal_part,
    payload_bytes,
    seizure_payload,
    withdrawal_payload,
)
from seizures.models import Seizure
from seizures.snapshots import payload_record

from ..factories import decision, make_seizure

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2] / "exchange/schemas/seizure-payload-v1.schema.json"
    ).read_text()
)
ALL_FIELDS = frozenset(NominalField.values)
PERSONS = [
    {
        "role": "courier",
        "name": "Josefa Ratuvou",
        "nationalities": ["FJ", "NZ"],
        "gender": "male",
        "birth_year": 1987,
    }
]
BUSINESSES = [
    {
        "role": "consignee",
        "name": "Pacific Freight Ltd",
        "registration_country": "FJ",
        "type": "freight_forwarder",
    }
]


def validate(payload: dict) -> None:
    jsonschema.validate(payload, SCHEMA, format_checker=jsonschema.FormatChecker())


@pytest.fixture
def inputs(fj_officer):
    seizure = make_seizure(
        by=fj_officer,
        narrative="Josefa Ratuvou carried the powder in his suitcase lining.",
        flight_number="FJ910",
    )
    record = payload_record(Seizure.objects.with_detail_relations().get(pk=seizure.pk))
    record["persons"], record["businesses"] = PERSONS, BUSINESSES
    return PayloadInputs(
        version=1,
        record=record,
        decision=decision(distribution="regional_global"),
        regional_fields=ALL_FIELDS,
    )


@pytest.mark.django_db
def test_a_global_payload_never_carries_nominal_data_whatever_the_policy(inputs):
    payload = seizure_payload(inputs=inputs, destination="global")
    sent = payload_bytes(payload).decode()
    for nominal in ("Josefa", "Ratuvou", "Pacific Freight", "1987", "suitcase lining"):
        assert nominal not in sent
    assert "persons" not in payload
    assert "businesses" not in payload
    assert "narrative" not in payload["seizure"]
    validate(payload)


@pytest.mark.django_db
def test_a_regional_payload_carries_what_the_policy_allows(inputs):
    payload = seizure_payload(inputs=inputs, destination="regional")
    assert payload["persons"] == PERSONS
    assert payload["businesses"] == BUSINESSES
    assert payload["seizure"]["narrative"].startswith("Josefa Ratuvou")
    validate(payload)


@pytest.mark.django_db
def test_a_regional_payload_leaves_out_what_the_policy_does_not_allow(inputs):
    allowed = frozenset({NominalField.PERSON_NATIONALITY, NominalField.PERSON_BIRTH_YEAR})
    payload = seizure_payload(
        inputs=replace(inputs, regional_fields=allowed), destination="regional"
    )
    assert payload["persons"] == [
        {"role": "courier", "nationalities": ["FJ", "NZ"], "birth_year": 1987}
    ]
    assert payload["businesses"] == [{"role": "consignee"}]
    assert "narrative" not in payload["seizure"]
    assert "Josefa" not in payload_bytes(payload).decode()
    validate(payload)


@pytest.mark.parametrize("allowed", [ALL_FIELDS, frozenset()])
def test_nominal_data_filtered_for_global_is_empty(allowed):
    assert (
        nominal_part(persons=PERSONS, businesses=BUSINESSES, destination="global", allowed=allowed)
        == {}
    )


def test_a_name_reaches_the_region_only_when_the_policy_says_so():
    without = nominal_part(
        persons=PERSONS,
        businesses=[],
        destination="regional",
        allowed=ALL_FIELDS - {NominalField.PERSON_NAME},
    )
    assert "name" not in without["persons"][0]
    with_name = nominal_part(
        persons=PERSONS, businesses=[], destination="regional", allowed=ALL_FIELDS
    )
    assert with_name["persons"][0]["name"] == "Josefa Ratuvou"


@pytest.mark.django_db
def test_a_destination_outside_the_distribution_is_refused(inputs):
    national = replace(inputs, decision=decision(distribution="national"))
    with pytest.raises(ValueError, match="national"):
        seizure_payload(inputs=national, destination="regional")
    regional = replace(inputs, decision=decision(distribution="regional"))
    with pytest.raises(ValueError, match="global"):
        seizure_payload(inputs=regional, destination="global")


@pytest.mark.django_db
def test_the_bytes_are_canonical(inputs):
    payload = seizure_payload(inputs=inputs, destination="regional")
    sent = payload_bytes(payload)
    assert sent == json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    assert json.loads(sent) == payload
    assert b"\n" not in sent


def test_a_withdrawal_follows_the_schema():
    payload = withdrawal_payload(
        member="FJ",
        uuid="0b0c7a44-52d3-4ae4-8a0e-7c2f3f0e2d11",
        reference="FJ-2026-000123",
        version=2,
        withdrawn_at=datetime(2026, 3, 20, 4, 5, 6, tzinfo=UTC),
        destination="regional",
    )
    validate(payload)
    assert payload["withdrawn_at"] == "2026-03-20T04:05:06Z"


def test_the_documented_example_follows_the_schema():
    examples = sorted(
        (Path(__file__).resolve().parents[2] / "docs/examples").glob("seizure-*.json")
    )
    assert len(examples) == 3
    for example in examples:
        validate(json.loads(example.read_text()))


@pytest.mark.django_db
def test_a_withdrawn_record_tells_each_destination_of_its_last_approval(fj_officer, fj_supervisor):
    from seizures import selectors, services

    from ..factories import submit_and_approve

    seizure = make_seizure(by=fj_officer)
    submit_and_approve(
        seizure, by=fj_officer, approver=fj_supervisor, distribution="regional_global"
    )
    services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Not cocaine.")
    seizure = selectors.seizure_get(user=fj_supervisor, pk=seizure.pk)
    sent = selectors.withdrawal_payloads(user=fj_supervisor, seizure=seizure)
    assert set(sent) == {"regional", "global"}
    for body in sent.values():
        payload = json.loads(body)
        validate(payload)
        assert (payload["message"], payload["record"]["version"]) == ("withdrawal", 1)
        assert "Not cocaine" not in body.decode()
