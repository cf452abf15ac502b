"""The API of nominal records: created and changed through the services, refused with the
field named, linked to cases and unlinked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ncen.models import AuditEntry
from persons.models import CaseLink, Person

from ..conftest import api_client
from ..factories import make_person, make_seizure

pytestmark = pytest.mark.django_db


def test_a_person_is_recorded_with_documents(fj_officer):
    response = api_client(fj_officer).post(
        "/api/v1/persons/",
        {
            "given_names": "Mele",
            "family_name": "Vea",
            "birth_year": 1979,
            "nationalities": ["to"],
            "documents": [{"kind": "passport", "number": "TO 55102", "issuing_country": "TO"}],
            "phones": ["+676 771 2345"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["full_name"] == "Mele Vea"
    assert body["nationalities"] == ["TO"]
    assert body["documents"][0]["number"] == "TO 55102"


def test_a_birth_date_in_the_future_is_a_400_naming_the_field(fj_officer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = api_client(fj_officer).post(
        "/api/v1/persons/",
        {"full_name": "Mele Vea", "birth_date": tomorrow.isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "birth_date": ["The date of birth cannot be in the future."]
    }
    assert not Person.objects.exists()


def test_an_expiry_before_issue_is_a_400_naming_the_document(fj_officer):
    response = api_client(fj_officer).post(
        "/api/v1/persons/",
        {
            "full_name": "Mele Vea",
            "documents": [
                {
                    "kind": "passport",
                    "number": "TO1",
                    "issued_on": "2024-01-01",
                    "expires_on": "2023-01-01",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "documents-0-expires_on": ["The document cannot expire before it was issued."]
    }
    assert not Person.objects.exists()


def test_a_person_is_replaced_and_audited(fj_officer):
    person = make_person(by=fj_officer, full_name="Mele Vea")
    response = api_client(fj_officer).put(
        f"/api/v1/persons/{person.pk}/",
        {"full_name": "Mele Vea", "aliases": ["Mele Veah"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert person.aliases == ["Mele Veah"]
    assert "veah" in person.name_key
    assert AuditEntry.objects.filter(action="person_updated").count() == 1


def test_links_are_made_listed_and_removed(fj_officer):
    seizure = make_seizure(by=fj_officer)
    person = make_person(by=fj_officer)
    client = api_client(fj_officer)
    response = client.post(
        "/api/v1/links/",
        {"seizure": seizure.pk, "person": person.pk, "role": "courier"},
        format="json",
    )
    assert response.status_code == 201, response.content
    link_id = response.json()["id"]
    listed = client.get("/api/v1/links/", {"seizure": seizure.pk}).json()
    assert [link["id"] for link in listed["results"]] == [link_id]
    assert listed["results"][0]["target_name"] == "Sione Taufa"
    assert client.delete(f"/api/v1/links/{link_id}/").status_code == 204
    assert not CaseLink.objects.exists()
    assert AuditEntry.objects.filter(action="case_link_removed").count() == 1


def test_a_link_names_one_record_only(fj_officer):
    seizure = make_seizure(by=fj_officer)
    response = api_client(fj_officer).post(
        "/api/v1/links/", {"seizure": seizure.pk, "role": "courier"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "non_field_errors": ["Link one person, business or conveyance at a time."]
    }


def test_a_business_is_found_by_its_registration_number(fj_officer):
    client = api_client(fj_officer)
    created = client.post(
        "/api/v1/businesses/",
        {"name": "Lautoka Freight Ltd", "registration_number": "FJ-2020/118"},
        format="json",
    )
    assert created.status_code == 201, created.content
    found = client.get("/api/v1/businesses/match/", {"registration": "fj 2020 118"}).json()
    assert found[0]["id"] == created.json()["id"]
    assert found[0]["reasons"] == ["same registration or tax number"]
