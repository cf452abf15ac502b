"""Received regional records in correlation: FJ shares a case whose courier's passport and
consignee's registration number its policy lets go; WS pulls it, and WS's own person,
business and seizures find it, as the handling code allows, until FJ withdraws it."""

import importlib

import pytest
from django.apps import apps as django_apps

from exchange import delivery, pull
from exchange.models import NominalField, ReceivedRecord, RegionalRecord
from ncen.audit import Action
from ncen.models import AuditEntry
from persons import services as person_services
from seizures import services

from ..conftest import api_client, signed_in_client
from ..factories import OfficeFactory, make_person, make_seizure, submit_and_approve
from .conftest import deliver_then_pull
from .test_nominal_payload import set_policy

pytestmark = pytest.mark.django_db

IDENTIFIER_FIELDS = [
    NominalField.PERSON_DOCUMENTS,
    NominalField.PERSON_PHONES,
    NominalField.BUSINESS_NUMBERS,
    NominalField.BUSINESS_PHONES,
]


def fj_case(fj_officer, fj_supervisor, *, passport="FJ448812", **decision):
    """An approved FJ seizure with a courier holding ``passport`` and a consignee
    registered as REG-7781; the seizure."""
    seizure = make_seizure(by=fj_officer, container_number="MSCU1234567")
    courier = make_person(
        by=fj_officer,
        full_name="Josefa Ratuvou",
        phones=["+679 990 1234"],
        documents=[{"kind": "passport", "number": passport, "issuing_country": "FJ"}],
    )
    consignee = person_services.business_create(
        by=fj_officer, values={"name": "Pacific Freight Ltd", "registration_number": "REG-7781"}
    )
    person_services.link_add(by=fj_officer, seizure=seizure, person=courier, role="courier")
    person_services.link_add(by=fj_officer, seizure=seizure, business=consignee, role="consignee")
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor, **decision)
    return seizure


@pytest.fixture
def shared(ws_pulling, fj_admin, fj_officer, fj_supervisor):
    """Two FJ cases naming passport FJ448812 received by WS: one for intelligence only,
    one under another restriction (supervisors only)."""
    set_policy(fj_admin, IDENTIFIER_FIELDS)
    cases = {
        "intelligence_only": fj_case(fj_officer, fj_supervisor),
        "other": fj_case(
            fj_officer, fj_supervisor, handling_code="other", handling_text="Ask FJ first."
        ),
    }
    deliver_then_pull(ws_pulling)
    return {code: ReceivedRecord.objects.get(record_uuid=s.uuid) for code, s in cases.items()}


def ws_local_person(ws_officer):
    """WS's own record of the courier: the same passport, written differently."""
    return make_person(
        by=ws_officer,
        full_name="J. Ratuvou",
        documents=[{"kind": "passport", "number": "fj 448-812", "issuing_country": "FJ"}],
    )


def ws_seizure(ws_officer, **values):
    office = OfficeFactory(administration=ws_officer.administration, name="Apia", code="WSAPW")
    return make_seizure(by=ws_officer, office=office, **values)


def regional_on(user, url) -> list[tuple[str, list[str]]]:
    response = signed_in_client(user).get(url)
    assert response.status_code == 200
    return [(a.record.reference, a.reasons) for a in response.context["regional_records"]]


def test_the_payload_identifiers_become_typed_keys(shared):
    record = shared["intelligence_only"]
    assert record.nominal_keys == [
        "document:FJ448812",
        "phone:6799901234",
        "registration:REG7781",
    ]
    hub_copy = RegionalRecord.objects.get(record_uuid=record.record_uuid)
    assert hub_copy.nominal_keys == record.nominal_keys


def test_a_person_page_lists_received_records_sharing_a_passport(shared, ws_officer, ws_supervisor):
    person = ws_local_person(ws_officer)
    mine, restricted = shared["intelligence_only"], shared["other"]
    url = f"/persons/{person.pk}/"
    assert regional_on(ws_officer, url) == [(mine.reference, ["document fj 448-812"])]
    # "Other restriction" is for supervisors: they see both.
    assert {ref for ref, _ in regional_on(ws_supervisor, url)} == {
        mine.reference,
        restricted.reference,
    }
    page = signed_in_client(ws_officer).get(url).content.decode()
    assert f"/seizures/regional/{mine.pk}/" in page
    assert f"/seizures/regional/{restricted.pk}/" not in page
    assert "For intelligence use only" in page


def test_another_administration_sees_none_of_them(shared, fj_officer):
    person = make_person(
        by=fj_officer,
        full_name="Josefa Ratuvou",
        documents=[{"kind": "passport", "number": "FJ448812", "issuing_country": "FJ"}],
    )
    assert regional_on(fj_officer, f"/persons/{person.pk}/") == []


def test_a_person_with_another_passport_finds_nothing(shared, ws_officer):
    person = make_person(
        by=ws_officer,
        full_name="Other man",
        documents=[{"kind": "passport", "number": "WS000001", "issuing_country": "WS"}],
        phones=["448812"],  # the passport's digits as a phone: a phone key, not a document
    )
    assert regional_on(ws_officer, f"/persons/{person.pk}/") == []


def test_a_business_page_lists_them_by_registration_number(shared, ws_officer):
    business = person_services.business_create(
        by=ws_officer, values={"name": "Pacific Freight (Samoa)", "registration_number": "reg 7781"}
    )
    assert regional_on(ws_officer, f"/businesses/{business.pk}/") == [
        (shared["intelligence_only"].reference, ["registration reg 7781"])
    ]


def test_a_seizure_linking_the_person_shows_them_among_related_cases(shared, ws_officer):
    person = ws_local_person(ws_officer)
    seizure = ws_seizure(ws_officer)
    person_services.link_add(by=ws_officer, seizure=seizure, person=person, role="courier")
    response = signed_in_client(ws_officer).get(f"/seizures/{seizure.pk}/")
    page = response.content.decode()
    record = shared["intelligence_only"]
    assert f"/seizures/regional/{record.pk}/" in page
    assert "document fj 448-812" in page
    assert f"/seizures/regional/{shared['other'].pk}/" not in page


def test_a_seizure_naming_the_container_shows_them_too(shared, ws_officer):
    seizure = ws_seizure(ws_officer, container_number="MSCU1234567")
    page = signed_in_client(ws_officer).get(f"/seizures/{seizure.pk}/").content.decode()
    assert f"/seizures/regional/{shared['intelligence_only'].pk}/" in page
    assert "container MSCU1234567" in page


def test_a_withdrawn_record_drops_out(shared, ws_pulling, ws_officer, fj_supervisor):
    from seizures.models import Seizure

    person = ws_local_person(ws_officer)
    record = shared["intelligence_only"]
    ws_pulling.as_fj()
    services.seizure_withdraw(
        by=fj_supervisor, seizure=Seizure.objects.get(uuid=record.record_uuid), reason="Wrong."
    )
    delivery.deliver()
    ws_pulling.as_ws()
    assert pull.pull()["withdrawn"] == 1
    record.refresh_from_db()
    assert record.nominal_keys == []
    assert regional_on(ws_officer, f"/persons/{person.pk}/") == []


def test_without_the_policy_no_identifier_travels(
    ws_pulling, fj_officer, fj_supervisor, ws_officer
):
    fj_case(fj_officer, fj_supervisor)  # FJ's policy shares no nominal field
    deliver_then_pull(ws_pulling)
    assert ReceivedRecord.objects.get().nominal_keys == []
    person = ws_local_person(ws_officer)
    assert regional_on(ws_officer, f"/persons/{person.pk}/") == []


def test_the_person_page_query_count_does_not_grow_with_the_matches(
    shared, ws_pulling, ws_supervisor, fj_officer, fj_supervisor, django_assert_num_queries
):
    person = ws_local_person(ws_supervisor)
    client = signed_in_client(ws_supervisor)
    url = f"/persons/{person.pk}/"
    client.get(url)  # warm the session

    def listed() -> int:
        with django_assert_num_queries(QUERIES):
            response = client.get(url)
        return len(response.context["regional_records"])

    assert listed() == 2
    ws_pulling.as_fj()
    for _n in range(3):
        fj_case(fj_officer, fj_supervisor)
    deliver_then_pull(ws_pulling)
    assert listed() == 5


# The person page as a supervisor: the regional records are one query of these.
QUERIES = 17


def test_the_migration_fills_the_column_of_stored_records(shared):
    migration = importlib.import_module("exchange.migrations.0004_nominal_keys")
    record = shared["intelligence_only"]
    expected = ["document:FJ448812", "phone:6799901234", "registration:REG7781"]
    ReceivedRecord.objects.update(nominal_keys=[])
    RegionalRecord.objects.update(nominal_keys=[])
    migration.derive_nominal_keys(django_apps, None)
    record.refresh_from_db()
    assert record.nominal_keys == expected
    assert RegionalRecord.objects.get(record_uuid=record.record_uuid).nominal_keys == expected


def test_the_persons_of_a_received_record_are_read_one_record_at_a_time_and_noted(
    shared, ws_officer
):
    record = shared["intelligence_only"]
    assert record.payload["persons"]
    client = api_client(ws_officer)
    listed = client.get("/api/v1/received-records/").json()["results"]
    assert [row["reference"] for row in listed] == [record.reference]
    assert "payload" not in listed[0]
    viewed = AuditEntry.objects.filter(action=Action.SHARED_NOMINAL_VIEWED)
    assert not viewed.exists()

    detail = client.get(f"/api/v1/received-records/{record.pk}/").json()
    assert detail["payload"]["persons"] == record.payload["persons"]
    page = signed_in_client(ws_officer).get(f"/seizures/regional/{record.pk}/")
    assert page.status_code == 200
    assert list(viewed.values_list("actor__username", "object_id")) == [
        (ws_officer.username, str(record.pk)),
        (ws_officer.username, str(record.pk)),
    ]


def test_a_received_record_naming_no_one_is_read_without_a_note(
    ws_pulling, ws_officer, fj_officer, fj_supervisor
):
    seizure = make_seizure(by=fj_officer)
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    deliver_then_pull(ws_pulling)
    record = ReceivedRecord.objects.get(record_uuid=seizure.uuid)
    assert not record.payload.get("persons")
    assert not record.payload.get("businesses")
    assert signed_in_client(ws_officer).get(f"/seizures/regional/{record.pk}/").status_code == 200
    assert not AuditEntry.objects.filter(action=Action.SHARED_NOMINAL_VIEWED).exists()
