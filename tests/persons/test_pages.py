"""The pages: adding a suspect to a case (found or new), the seizure's panel with related
cases, and the person's page listing every case."""

import pytest

from ncen.models import AuditEntry
from persons import services
from persons.models import CaseLink, Person

from ..conftest import signed_in_client
from ..factories import make_person, make_seizure

pytestmark = pytest.mark.django_db


def test_the_add_page_proposes_existing_persons_without_javascript(fj_officer):
    person = make_person(
        by=fj_officer, full_name="Josefa Ravulo", documents=[{"kind": "passport", "number": "X1"}]
    )
    seizure = make_seizure(by=fj_officer)
    client = signed_in_client(fj_officer)
    page = client.get(f"/seizures/{seizure.pk}/add/person/", {"q": "josefa ravullo"})
    assert page.status_code == 200
    assert "Josefa Ravulo" in page.content.decode()
    assert "% similar" in page.content.decode()
    response = client.post(
        f"/seizures/{seizure.pk}/add/person/", {"role": "courier", "person": person.pk}
    )
    assert response.status_code == 302
    link = CaseLink.objects.get()
    assert (link.seizure, link.person, link.role) == (seizure, person, "courier")
    assert AuditEntry.objects.filter(action="case_link_added", object_id=str(seizure.pk)).exists()


def test_a_new_person_joins_the_case_when_saved(fj_officer):
    seizure = make_seizure(by=fj_officer)
    response = signed_in_client(fj_officer).post(
        f"/persons/new/?seizure={seizure.pk}",
        {
            "link-role": "passenger",
            "full_name": "Mele Vea",
            "birth_year": "1979",
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-0-kind": "passport",
            "documents-0-number": "TO 55102",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/seizures/{seizure.pk}/"
    person = Person.objects.get()
    assert person.links.get().role == "passenger"
    assert person.documents.get().number_key == "TO55102"


def test_the_form_shows_the_service_s_message_on_the_field_and_saves_nothing(fj_officer):
    response = signed_in_client(fj_officer).post(
        "/persons/new/",
        {
            "full_name": "Mele Vea",
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-0-kind": "passport",
            "documents-0-number": "TO 55102",
            "documents-0-issued_on": "2022-01-10",
            "documents-0-expires_on": "2021-01-10",
        },
    )
    assert response.status_code == 400
    assert "The document cannot expire before it was issued." in response.content.decode()
    assert not Person.objects.exists()


def test_the_seizure_shows_its_persons_and_related_cases(fj_officer):
    first, second = make_seizure(by=fj_officer), make_seizure(by=fj_officer)
    courier = make_person(by=fj_officer, full_name="Josefa Ravulo", phones=["679 990 1234"])
    organiser = make_person(by=fj_officer, full_name="Litia Naivalu", phones=["+679 990-1234"])
    services.link_add(by=fj_officer, seizure=first, person=courier, role="courier")
    services.link_add(by=fj_officer, seizure=second, person=organiser, role="organiser")
    page = signed_in_client(fj_officer).get(f"/seizures/{first.pk}/").content.decode()
    assert "Josefa Ravulo" in page
    assert "Courier" in page
    assert second.reference in page
    assert "phone 6799901234" in page


def test_the_person_page_lists_every_case(fj_officer):
    person = make_person(by=fj_officer, full_name="Josefa Ravulo")
    seizures = [make_seizure(by=fj_officer) for _ in range(2)]
    for seizure, role in zip(seizures, ("courier", "organiser"), strict=True):
        services.link_add(by=fj_officer, seizure=seizure, person=person, role=role)
    page = signed_in_client(fj_officer).get(f"/persons/{person.pk}/").content.decode()
    for seizure in seizures:
        assert seizure.reference in page
    assert "Organiser" in page


def test_a_container_links_cases_that_name_it(fj_officer):
    named = make_seizure(by=fj_officer, container_number="MSCU1234567")
    container = services.conveyance_create(
        by=fj_officer, values={"kind": "container", "identifier": "MSCU 1234567"}
    )
    page = signed_in_client(fj_officer).get(f"/conveyances/{container.pk}/").content.decode()
    assert named.reference in page
