"""Real persons and businesses linked to real seizures, through approval to the payloads:
what reaches each destination, and how a change of a case's links goes through review."""

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchange.models import NominalField, SharingDecision
from exchange.services import sharing_policy_update
from ncen.exceptions import ConflictError, TransitionRefused
from ncen.models import AuditEntry
from persons import services as person_services
from persons.models import Business, CaseLink, Gender, LinkRole, Person
from seizures import selectors, services
from seizures.models import Seizure

from ..conftest import api_client, signed_in_client
from ..factories import decision, make_person, make_seizure, submit_and_approve

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[2] / "exchange/schemas/seizure-payload-v1.schema.json"
    ).read_text()
)
ALL_FIELDS = list(NominalField.values)
# What never leaves, whatever the policy: addresses, the date of birth, the linked
# conveyance record. Nor, for a global payload, any name or identifier.
NEVER_SENT = ("Namaka", "1987-05-02", "9123456")
# Identity documents, phones and registration numbers leave only for the regional exchange,
# and only when the policy names them (for correlation in the members' regional records).
IDENTIFIERS = ("FJ448812", "990 1234", "REG-7781")
NAMES = ("Josefa", "Ratuvou", "Pacific Freight")


def validate(body: bytes) -> dict:
    payload = json.loads(body)
    jsonschema.validate(payload, SCHEMA, format_checker=jsonschema.FormatChecker())
    return payload


def set_policy(admin, fields) -> None:
    sharing_policy_update(
        by=admin,
        regional_fields=list(fields),
        decision=SharingDecision(
            distribution="regional_global",
            handling_code="intelligence_only",
            handling_text="",
            source_reliability="B",
            information_accuracy=2,
        ),
    )


@pytest.fixture
def courier(fj_officer):
    return make_person(
        by=fj_officer,
        full_name="Josefa Ratuvou",
        birth_date=date(1987, 5, 2),
        gender=Gender.MALE,
        nationalities=["FJ", "NZ"],
        phones=["+679 990 1234"],
        addresses=["Lot 4, Namaka, Nadi"],
        documents=[{"kind": "passport", "number": "FJ448812", "issuing_country": "FJ"}],
    )


@pytest.fixture
def consignee(fj_officer):
    return person_services.business_create(
        by=fj_officer,
        values={
            "name": "Pacific Freight Ltd",
            "kind": Business.Kind.FREIGHT_FORWARDER,
            "registration_number": "REG-7781",
            "registration_country": "FJ",
            "phones": ["+679 990 1234"],
        },
    )


@pytest.fixture
def case(fj_officer, courier, consignee):
    """A draft cocaine seizure with its courier, consignee and vessel."""
    seizure = make_seizure(by=fj_officer, narrative="Searched at the gangway.")
    person_services.link_add(by=fj_officer, seizure=seizure, person=courier, role="courier")
    person_services.link_add(by=fj_officer, seizure=seizure, business=consignee, role="consignee")
    vessel = person_services.conveyance_create(
        by=fj_officer, values={"kind": "vessel", "identifier": "9123456", "name": "Southern Star"}
    )
    person_services.link_add(by=fj_officer, seizure=seizure, conveyance=vessel, role="other")
    return Seizure.objects.get(pk=seizure.pk)


def _approve(case, fj_officer, fj_supervisor):
    return submit_and_approve(
        case, by=fj_officer, approver=fj_supervisor, distribution="regional_global"
    )


def test_the_approval_freezes_the_linked_persons_and_businesses(
    case, fj_officer, fj_supervisor, fj_admin
):
    approval = _approve(case, fj_officer, fj_supervisor)
    assert approval.record["persons"] == [
        {
            "role": "courier",
            "name": "Josefa Ratuvou",
            "nationalities": ["FJ", "NZ"],
            "gender": "male",
            "birth_year": 1987,
            "documents": [{"type": "passport", "number": "FJ448812", "issuing_country": "FJ"}],
            "phones": ["+679 990 1234"],
        }
    ]
    assert approval.record["businesses"] == [
        {
            "role": "consignee",
            "name": "Pacific Freight Ltd",
            "registration_country": "FJ",
            "type": "freight_forwarder",
            "registration_number": "REG-7781",
            "tax_id": "",
            "phones": ["+679 990 1234"],
        }
    ]
    frozen = json.dumps(approval.record)
    for secret in NEVER_SENT:
        assert secret not in frozen


def test_a_global_payload_carries_no_nominal_data_whatever_the_policy(
    case, fj_officer, fj_supervisor, fj_admin
):
    set_policy(fj_admin, ALL_FIELDS)
    approval = _approve(case, fj_officer, fj_supervisor)
    sent = selectors.approval_payload(approval=approval, destination="global")
    payload = validate(sent)
    for nominal in (*NAMES, *NEVER_SENT, *IDENTIFIERS, "1987", "gangway"):
        assert nominal not in sent.decode()
    assert "persons" not in payload
    assert "businesses" not in payload


def test_a_regional_payload_carries_every_field_the_policy_allows_and_no_more(
    case, fj_officer, fj_supervisor, fj_admin
):
    set_policy(fj_admin, ALL_FIELDS)
    approval = _approve(case, fj_officer, fj_supervisor)
    sent = selectors.approval_payload(approval=approval, destination="regional")
    payload = validate(sent)
    assert payload["persons"] == [
        {
            "role": "courier",
            "name": "Josefa Ratuvou",
            "nationalities": ["FJ", "NZ"],
            "gender": "male",
            "birth_year": 1987,
            "documents": [{"type": "passport", "number": "FJ448812", "issuing_country": "FJ"}],
            "phones": ["+679 990 1234"],
        }
    ]
    assert payload["businesses"][0]["type"] == "freight_forwarder"
    assert payload["businesses"][0]["registration_number"] == "REG-7781"
    assert "tax_id" not in payload["businesses"][0]  # not recorded: left out
    for secret in NEVER_SENT:
        assert secret not in sent.decode()


def test_a_regional_payload_leaves_out_what_the_policy_does_not_allow(
    case, fj_officer, fj_supervisor, fj_admin
):
    set_policy(
        fj_admin,
        [
            NominalField.PERSON_NATIONALITY,
            NominalField.PERSON_BIRTH_YEAR,
            NominalField.BUSINESS_NAME,
        ],
    )
    approval = _approve(case, fj_officer, fj_supervisor)
    sent = selectors.approval_payload(approval=approval, destination="regional")
    payload = validate(sent)
    assert payload["persons"] == [
        {"role": "courier", "nationalities": ["FJ", "NZ"], "birth_year": 1987}
    ]
    assert payload["businesses"] == [{"role": "consignee", "name": "Pacific Freight Ltd"}]
    for secret in ("Josefa", "Ratuvou", "male", "freight_forwarder", *NEVER_SENT, *IDENTIFIERS):
        assert secret not in sent.decode()


def test_what_is_not_recorded_is_left_out(fj_officer, fj_supervisor, fj_admin):
    set_policy(fj_admin, ALL_FIELDS)
    seizure = make_seizure(by=fj_officer)
    unknown = make_person(by=fj_officer, full_name="Unknown man")
    person_services.link_add(by=fj_officer, seizure=seizure, person=unknown, role="passenger")
    approval = _approve(seizure, fj_officer, fj_supervisor)
    payload = validate(selectors.approval_payload(approval=approval, destination="regional"))
    assert payload["persons"] == [{"role": "passenger", "name": "Unknown man"}]


def test_the_preview_is_byte_for_byte_the_approved_payload(
    case, fj_officer, fj_supervisor, fj_admin
):
    set_policy(fj_admin, [NominalField.PERSON_GENDER, NominalField.BUSINESS_COUNTRY])
    submitted = services.seizure_submit(by=fj_officer, seizure=case)
    the_decision = decision(distribution="regional_global")
    previews = selectors.sharing_preview(
        seizure=selectors.seizure_get(user=fj_supervisor, pk=case.pk), decision=the_decision
    )
    approval = services.seizure_approve(
        by=fj_supervisor,
        seizure=submitted,
        expected_version=submitted.version,
        decision=the_decision,
    )
    assert set(previews) == {"regional", "global"}
    for destination, previewed in previews.items():
        assert previewed == selectors.approval_payload(approval=approval, destination=destination)
    assert validate(previews["regional"])["persons"] == [{"role": "courier", "gender": "male"}]


def test_the_schema_and_the_persons_app_agree():
    definitions = SCHEMA["$defs"]
    assert definitions["role"]["enum"] == LinkRole.values
    assert definitions["person"]["properties"]["gender"]["enum"] == Gender.values
    assert definitions["business"]["properties"]["type"]["enum"] == Business.Kind.values


# --- A change of the links is an edit ---------------------------------------------------------


def test_linking_a_person_to_an_approved_case_sends_it_back_for_review(
    case, fj_officer, fj_supervisor, fj_second_supervisor, fj_admin
):
    set_policy(fj_admin, ALL_FIELDS)
    approval = _approve(case, fj_officer, fj_supervisor)
    sent_before = selectors.approval_payload(approval=approval, destination="regional")
    organiser = make_person(by=fj_officer, full_name="Tevita Lolohea", nationalities=["TO"])
    person_services.link_add(by=fj_officer, seizure=case, person=organiser, role="organiser")

    seizure = Seizure.objects.get(pk=case.pk)
    assert seizure.status == "submitted"
    assert seizure.last_approval_id == approval.pk
    assert seizure.version == approval.record_version + 1
    # What the exchange knows is still the approval, unchanged.
    assert selectors.approval_payload(approval=approval, destination="regional") == sent_before
    assert "Tevita" not in sent_before.decode()
    entry = AuditEntry.objects.filter(action="case_link_added").latest("sequence")
    assert (entry.actor, entry.before["status"], entry.after["status"]) == (
        fj_officer,
        "approved",
        "submitted",
    )

    second = services.seizure_approve(
        by=fj_second_supervisor,
        seizure=seizure,
        expected_version=seizure.version,
        decision=decision(distribution="regional_global"),
    )
    assert second.number == 2
    names = [
        p["name"]
        for p in validate(selectors.approval_payload(approval=second, destination="regional"))[
            "persons"
        ]
    ]
    assert names == ["Josefa Ratuvou", "Tevita Lolohea"]


def test_removing_a_link_from_an_approved_case_sends_it_back_for_review(
    case, fj_officer, fj_supervisor
):
    approval = _approve(case, fj_officer, fj_supervisor)
    link = CaseLink.objects.get(seizure=case, person__isnull=False)
    person_services.link_remove(by=fj_officer, link=link)
    seizure = Seizure.objects.get(pk=case.pk)
    assert (seizure.status, seizure.last_approval_id) == ("submitted", approval.pk)
    assert approval.record["persons"][0]["name"] == "Josefa Ratuvou"
    entry = AuditEntry.objects.get(action="case_link_removed")
    assert (entry.before["status"], entry.after["status"]) == ("approved", "submitted")


def test_whoever_changed_the_links_cannot_approve_them(case, fj_officer, fj_supervisor):
    _approve(case, fj_officer, fj_supervisor)
    other = make_person(by=fj_supervisor, full_name="Ana Kioa")
    person_services.link_add(by=fj_supervisor, seizure=case, person=other, role="crew")
    seizure = Seizure.objects.get(pk=case.pk)
    with pytest.raises(PermissionDenied, match="four eyes"):
        services.seizure_approve(
            by=fj_supervisor, seizure=seizure, expected_version=seizure.version, decision=decision()
        )


def test_a_preview_taken_before_a_link_changed_cannot_be_approved(case, fj_officer, fj_supervisor):
    submitted = services.seizure_submit(by=fj_officer, seizure=case)
    read_version = submitted.version
    services.seizure_return(by=fj_supervisor, seizure=submitted, comment="Add the organiser.")
    person_services.link_add(
        by=fj_officer,
        seizure=case,
        person=make_person(by=fj_officer, full_name="Tevita Lolohea"),
        role="organiser",
    )
    resubmitted = services.seizure_submit(by=fj_officer, seizure=case)
    with pytest.raises(ConflictError):
        services.seizure_approve(
            by=fj_supervisor,
            seizure=resubmitted,
            expected_version=read_version,
            decision=decision(),
        )


def test_a_submitted_or_withdrawn_case_refuses_link_changes(case, fj_officer, fj_supervisor):
    services.seizure_submit(by=fj_officer, seizure=case)
    person = make_person(by=fj_officer, full_name="Ana Kioa")
    with pytest.raises(TransitionRefused, match="submitted"):
        person_services.link_add(by=fj_officer, seizure=case, person=person, role="crew")
    seizure = Seizure.objects.get(pk=case.pk)
    services.seizure_approve(
        by=fj_supervisor, seizure=seizure, expected_version=seizure.version, decision=decision()
    )
    services.seizure_withdraw(by=fj_supervisor, seizure=case, reason="Wrong vessel.")
    links = CaseLink.objects.filter(seizure=case).count()
    with pytest.raises(TransitionRefused, match="withdrawn"):
        person_services.link_add(by=fj_supervisor, seizure=case, person=person, role="crew")
    with pytest.raises(TransitionRefused, match="withdrawn"):
        person_services.link_remove(by=fj_supervisor, link=CaseLink.objects.filter(seizure=case)[0])
    assert CaseLink.objects.filter(seizure=case).count() == links
    assert Seizure.objects.get(pk=case.pk).status == "withdrawn"


def test_linking_rechecks_rights(case, fj_officer, ws_officer):
    with pytest.raises(PermissionDenied):
        person_services.link_add(
            by=ws_officer,
            seizure=case,
            person=make_person(by=ws_officer, full_name="Malia Tuilagi"),
            role="courier",
        )
    assert not CaseLink.objects.filter(person__full_name="Malia Tuilagi").exists()


def test_the_link_page_says_why_a_submitted_case_refuses(case, fj_officer):
    services.seizure_submit(by=fj_officer, seizure=case)
    person = make_person(by=fj_officer, full_name="Ana Kioa")
    response = signed_in_client(fj_officer).post(
        f"/seizures/{case.pk}/add/person/", {"role": "crew", "person": person.pk}
    )
    assert response.status_code == 400
    assert "cannot be edited now" in response.content.decode()
    assert not CaseLink.objects.filter(person=person).exists()


def test_a_merge_that_moves_an_approved_cases_link_sends_it_back(
    case, courier, fj_officer, fj_supervisor, fj_second_supervisor
):
    approval = _approve(case, fj_officer, fj_supervisor)
    kept = make_person(by=fj_officer, full_name="Josefa Ratuvou Jr", birth_year=1987)
    merge = person_services.record_merge(by=fj_second_supervisor, kept=kept, merged=courier)
    seizure = Seizure.objects.get(pk=case.pk)
    assert (seizure.status, seizure.last_approval_id) == ("submitted", approval.pk)
    assert seizure.updated_by == fj_second_supervisor
    entry = AuditEntry.objects.filter(action="seizure_updated", object_id=str(case.pk)).latest(
        "sequence"
    )
    assert (entry.before["status"], entry.after["status"]) == ("approved", "submitted")
    assert "merged" in entry.reason

    services.seizure_approve(
        by=fj_supervisor, seizure=seizure, expected_version=seizure.version, decision=decision()
    )
    person_services.record_merge_undo(by=fj_supervisor, merge=merge)
    assert Seizure.objects.get(pk=case.pk).status == "submitted"
    assert Person.objects.get(pk=courier.pk).links.get().seizure_id == case.pk


# --- Query counts -------------------------------------------------------------------------


def _link_many(seizure, by, count):
    for n in range(count):
        person = make_person(by=by, full_name=f"Courier {n}", nationalities=["FJ"])
        person_services.link_add(by=by, seizure=seizure, person=person, role="courier")
        business = person_services.business_create(by=by, values={"name": f"Company {n}"})
        person_services.link_add(by=by, seizure=seizure, business=business, role="consignee")


def _ok(response):
    assert response.status_code == 200
    assert b"courier" in response.content  # the preview's persons, by their role
    return response


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_approving_and_previewing_read_persons_in_one_query(
    fj_officer, fj_supervisor, fj_second_supervisor
):
    few, many = make_seizure(by=fj_officer), make_seizure(by=fj_officer)
    _link_many(few, fj_officer, 1)
    _link_many(many, fj_officer, 6)
    counts = {}
    client = signed_in_client(fj_supervisor)  # once: a second-factor code is used once
    for name, seizure in (("few", few), ("many", many)):
        seizure = services.seizure_submit(by=fj_officer, seizure=seizure)
        url = f"/seizures/{seizure.pk}/approve/"
        counts[name] = (
            _queries(lambda url=url: _ok(client.get(url))),
            _queries(
                lambda seizure=seizure: services.seizure_approve(
                    by=fj_second_supervisor,
                    seizure=seizure,
                    expected_version=seizure.version,
                    decision=decision(),
                )
            ),
        )
    # The approval page and the approval itself read the persons and businesses with the
    # record, in one query, and the persons' documents in one more: 1 or 6 of each cost the
    # same (the approval's 24 include its outbox entries and asking whether any risk
    # indicator is active).
    assert counts["few"] == counts["many"] == (13, 24)
    assert len(Seizure.objects.get(pk=many.pk).last_approval.record["persons"]) == 6


def test_the_api_answers_409_for_a_link_to_a_submitted_case(case, fj_officer):
    services.seizure_submit(by=fj_officer, seizure=case)
    person = make_person(by=fj_officer, full_name="Ana Kioa")
    client = api_client(fj_officer)
    response = client.post(
        "/api/v1/links/", {"seizure": case.pk, "person": person.pk, "role": "crew"}, format="json"
    )
    assert response.status_code == 409
    assert "cannot be edited now" in response.content.decode()
    link = CaseLink.objects.filter(seizure=case).first()
    assert client.delete(f"/api/v1/links/{link.pk}/").status_code == 409
    assert CaseLink.objects.filter(seizure=case).count() == 3
