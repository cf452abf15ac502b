"""The one function that decides what leaves the country.

``seizure_payload`` turns the inputs an approval froze (the record as approved, its nominal
part, the sharing decision and the policy in force) into the message for one destination;
``payload_bytes`` is the only way those messages become bytes, so the preview a supervisor
reads is, byte for byte, what the exchange sends. The format is
``exchange/schemas/seizure-payload-v1.schema.json``, described in docs/exchange-payload.md.

Nominal data (persons, businesses, free text that may name them) reaches the regional
exchange only as far as the administration's policy allows, and never a global payload.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ncen.canonical import canonical_json

from .models import Destination, NominalField, SharingDecision

FORMAT = "ncen.seizure/1"
SCHEMA_FILE = "seizure-payload-v1.schema.json"

# Keys of a person and of a business in the nominal inputs, and the policy field that lets
# each reach the regional exchange. The role in the case always goes with the entry.
PERSON_FIELDS = {
    "name": NominalField.PERSON_NAME,
    "nationalities": NominalField.PERSON_NATIONALITY,
    "gender": NominalField.PERSON_GENDER,
    "birth_year": NominalField.PERSON_BIRTH_YEAR,
    "documents": NominalField.PERSON_DOCUMENTS,
    "phones": NominalField.PERSON_PHONES,
}
BUSINESS_FIELDS = {
    "name": NominalField.BUSINESS_NAME,
    "registration_country": NominalField.BUSINESS_COUNTRY,
    "type": NominalField.BUSINESS_TYPE,
    "registration_number": NominalField.BUSINESS_NUMBERS,
    "tax_id": NominalField.BUSINESS_NUMBERS,
    "phones": NominalField.BUSINESS_PHONES,
}


@dataclass(frozen=True)
class PayloadInputs:
    """Everything a payload is computed from; an approval stores all of it."""

    version: int  # the approval's number: 1, 2, ...
    record: dict  # seizures.snapshots.payload_record(): the record as approved
    decision: SharingDecision
    regional_fields: frozenset[str] = field(default_factory=frozenset)


def nominal_part(*, persons: list[dict], businesses: list[dict], destination: str, allowed) -> dict:
    """The persons and businesses of a case as ``destination`` may receive them: nothing at
    all for a global payload; for the regional exchange, each entry with its role and only
    the fields the policy (``allowed``) lets through."""
    if destination != Destination.REGIONAL:
        return {}

    def keep(entry: dict, fields: dict) -> dict:
        kept = {"role": entry["role"]}
        for key, policy_field in fields.items():
            value = entry.get(key)
            if policy_field in allowed and value not in (None, "", []):
                kept[key] = value
        return kept

    return {
        "persons": [keep(person, PERSON_FIELDS) for person in persons],
        "businesses": [keep(business, BUSINESS_FIELDS) for business in businesses],
    }


def seizure_payload(*, inputs: PayloadInputs, destination: str) -> dict:
    """The message that shares this approved version of a seizure with ``destination``."""
    if destination not in inputs.decision.destinations:
        raise ValueError(f"{inputs.decision.distribution} is not shared with {destination}")
    record = inputs.record
    allowed = inputs.regional_fields if destination == Destination.REGIONAL else frozenset()
    free_text = NominalField.FREE_TEXT in allowed
    items = []
    for item in record["items"]:
        shared = {key: value for key, value in item.items() if key != "description"}
        if free_text and item["description"]:
            shared["description"] = item["description"]
        items.append(shared)
    seizure = {
        key: record[key]
        for key in (
            "occurred_at",
            "office",
            "location_type",
            "procedure",
            "detection_method",
            "transport_mode",
            "concealment_method",
            "conveyance",
            "route",
            "offences",
        )
    }
    seizure["items"] = items
    if free_text and record["narrative"]:
        seizure["narrative"] = record["narrative"]
    return {
        "format": FORMAT,
        "message": "seizure",
        "destination": destination,
        "member": record["member"],
        "record": {
            "uuid": record["uuid"],
            "reference": record["reference"],
            "version": inputs.version,
        },
        "sharing": inputs.decision.as_dict(),
        "seizure": seizure,
        **nominal_part(
            persons=record["persons"],
            businesses=record["businesses"],
            destination=destination,
            allowed=allowed,
        ),
    }


def withdrawal_payload(
    *,
    member: str,
    uuid: str,
    reference: str,
    version: int,
    withdrawn_at: datetime,
    destination: str,
) -> dict:
    """The message that tells ``destination`` to drop a record it holds (``version`` is the
    last approved one)."""
    return {
        "format": FORMAT,
        "message": "withdrawal",
        "destination": destination,
        "member": member,
        "record": {"uuid": uuid, "reference": reference, "version": version},
        "withdrawn_at": utc_iso(withdrawn_at),
    }


def seizure_withdrawal_bytes(*, seizure, approval, destination: str) -> bytes:
    """The withdrawal message of ``seizure`` for ``destination``, as it leaves: what the
    outbox sends and the record's page previews. ``approval`` is its last approval."""
    return payload_bytes(
        withdrawal_payload(
            member=seizure.administration.code,
            uuid=str(seizure.uuid),
            reference=seizure.reference,
            version=approval.number,
            withdrawn_at=seizure.withdrawn_at,
            destination=destination,
        )
    )


def payload_bytes(payload: dict) -> bytes:
    """The bytes that leave: shown in the preview, sent and signed by the exchange."""
    return canonical_json(payload)


def utc_iso(moment: datetime) -> str:
    """A time as the payloads write it: ISO 8601 in UTC, to the second, with a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
