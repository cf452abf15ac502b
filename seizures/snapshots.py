"""The inputs of a seizure's outgoing payload, as plain JSON data: what an approval freezes
and what the preview computes from. exchange.payload decides what of it leaves."""

from exchange.payload import utc_iso

from .models import Code, Seizure


def _code(code: Code | None) -> dict | None:
    # The code travels with its English label: an administration's own entries are unknown
    # to the other members.
    return None if code is None else {"code": code.code, "label": code.label}


def _country(country) -> str | None:
    return country.code or None


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def nominal_inputs(seizure: Seizure) -> dict:
    """The persons and businesses linked to the case, as exchange.payload.nominal_part
    reads them:

        persons:    {"role", "name", "nationalities": [ISO 3166 alpha-2], "gender",
                     "birth_year", "documents": [{"type", "number", "issuing_country"}],
                     "phones": [as written]}
        businesses: {"role", "name", "registration_country", "type",
                     "registration_number", "tax_id", "phones": [as written]}

    in the order they were linked (a record linked twice, in two roles, appears twice).
    ``seizure`` comes from Seizure.objects.with_detail_relations(), whose ``nominal_links``
    (with the persons' documents) this reads and nothing else: no query per person. Only
    these fields are read: addresses, e-mails, the date of birth, the documents' dates and
    notes never reach an approval, whatever the policy. Conveyance records stay out too:
    their identifiers travel in the record's own conveyance fields (see
    docs/exchange-payload.md). A value not recorded is left empty, and nominal_part leaves
    empty values out."""
    persons, businesses = [], []
    for link in seizure.nominal_links:
        if link.person_id is not None:
            person = link.person
            persons.append(
                {
                    "role": link.role,
                    "name": person.full_name,
                    "nationalities": list(person.nationalities),
                    "gender": person.gender or None,
                    "birth_year": person.birth_year,
                    "documents": [
                        {
                            "type": document.kind,
                            "number": document.number,
                            "issuing_country": _country(document.issuing_country),
                        }
                        for document in person.documents.all()
                    ],
                    "phones": list(person.phones),
                }
            )
        else:
            business = link.business
            businesses.append(
                {
                    "role": link.role,
                    "name": business.name,
                    "registration_country": _country(business.registration_country),
                    "type": business.kind or None,
                    "registration_number": business.registration_number,
                    "tax_id": business.tax_id,
                    "phones": list(business.phones),
                }
            )
    return {"persons": persons, "businesses": businesses}


def payload_record(seizure: Seizure) -> dict:
    """The record as an approval keeps it. ``seizure`` comes with its detail relations."""
    return {
        "member": seizure.administration.code,
        "uuid": str(seizure.uuid),
        "reference": seizure.reference,
        "occurred_at": utc_iso(seizure.occurred_at),
        "office": {"code": seizure.office.code, "name": seizure.office.name},
        "location_type": _code(seizure.location_type),
        "procedure": _code(seizure.procedure),
        "detection_method": _code(seizure.detection_method),
        "transport_mode": _code(seizure.transport_mode),
        "concealment_method": _code(seizure.concealment_method),
        "conveyance": {
            "flight_number": seizure.flight_number,
            "vessel_name": seizure.vessel_name,
            "vessel_imo": seizure.vessel_imo,
            "container_number": seizure.container_number,
            "vehicle_registration": seizure.vehicle_registration,
        },
        "route": {
            "origin": _country(seizure.origin_country),
            "departure": _country(seizure.departure_country),
            "transit": list(seizure.transit_countries),
            "destination": _country(seizure.destination_country),
        },
        "items": [
            {
                "commodity": _code(item.commodity),
                "commodity_group": _code(item.commodity.parent),
                "description": item.description,
                "quantity": _decimal(item.quantity),
                "unit": _code(item.unit),
                "estimated_value": _decimal(item.estimated_value),
                "currency": item.currency or None,
                "species": item.species or None,
                "cites_appendix": item.cites_appendix or None,
            }
            for item in seizure.items.all()
        ],
        "offences": [
            {
                "offence_type": _code(offence.offence_type),
                "status": _code(offence.status),
                "penalty_amount": _decimal(offence.penalty_amount),
                "penalty_currency": offence.penalty_currency or None,
            }
            for offence in seizure.offences.all()
        ],
        "narrative": seizure.narrative,
        **nominal_inputs(seizure),
    }
