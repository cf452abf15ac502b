"""Every reading of a person's or business's record, and every export of nominal data, is
in the audit trail; exports are for supervisors only."""

import pytest

from ncen.models import AuditEntry
from persons import services

from ..conftest import api_client, signed_in_client
from ..factories import make_person

pytestmark = pytest.mark.django_db


def test_the_person_page_is_audited_on_every_view(fj_officer):
    person = make_person(by=fj_officer)
    client = signed_in_client(fj_officer)
    for _ in range(2):
        assert client.get(f"/persons/{person.pk}/").status_code == 200
    entries = AuditEntry.objects.filter(action="person_viewed", object_id=str(person.pk))
    assert entries.count() == 2
    assert {entry.actor_id for entry in entries} == {fj_officer.pk}


def test_the_business_page_and_the_api_records_are_audited(fj_officer):
    business = services.business_create(by=fj_officer, values={"name": "Nadi Express"})
    person = make_person(by=fj_officer)
    signed_in_client(fj_officer).get(f"/businesses/{business.pk}/")
    api_client(fj_officer).get(f"/api/v1/persons/{person.pk}/")
    assert AuditEntry.objects.filter(action="business_viewed").count() == 1
    assert AuditEntry.objects.filter(action="person_viewed").count() == 1


def test_a_supervisor_s_export_is_audited(fj_officer, fj_supervisor):
    make_person(by=fj_officer, full_name="Mere Tuilagi", nationalities=["WS"])
    make_person(by=fj_officer, full_name="Sione Taufa", nationalities=["TO"])
    response = signed_in_client(fj_supervisor).get("/persons/export.csv?nationality=WS")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Mere Tuilagi" in text
    assert "Sione Taufa" not in text
    entry = AuditEntry.objects.get(action="nominal_exported")
    assert entry.actor_id == fj_supervisor.pk
    assert entry.after == {"rows": 1, "filters": {"nationality": "WS"}}


def test_an_officer_may_not_export_nominal_data(fj_officer):
    make_person(by=fj_officer)
    response = signed_in_client(fj_officer).get("/persons/export.csv")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="nominal_exported").exists()


def test_the_export_refuses_unknown_filters(fj_supervisor):
    response = signed_in_client(fj_supervisor).get("/persons/export.csv?passport=1")
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="nominal_exported").exists()
