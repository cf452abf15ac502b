"""Match as you type: exact identifiers first, then names that look alike, with reasons."""

from datetime import date

import pytest

from persons.selectors import Probe, person_match

from ..conftest import api_client
from ..factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def couriers(fj_officer):
    return {
        "ravulo": make_person(
            by=fj_officer,
            full_name="Josefa Ravulo",
            birth_date=date(1988, 3, 14),
            nationalities=["FJ"],
            documents=[{"kind": "passport", "number": "FJ 448812"}],
        ),
        "ravula": make_person(by=fj_officer, full_name="Josefa Ravula", birth_year=1988),
        "other": make_person(
            by=fj_officer,
            full_name="Litia Naivalu",
            phones=["+679 990 1234"],
            documents=[{"kind": "passport", "number": "FJ 777001"}],
        ),
    }


def test_an_exact_document_number_ranks_first_whatever_the_name(fj_officer, couriers):
    candidates = person_match(
        user=fj_officer, probe=Probe(name="Josefa Ravula", documents=["fj-777001"])
    )
    assert candidates[0].record == couriers["other"]
    assert "same passport number" in candidates[0].reasons


def test_a_misspelled_name_finds_the_person_with_reasons(fj_officer, couriers):
    candidates = person_match(user=fj_officer, probe=Probe(name="Josefa Ravullo", birth_year=1988))
    names = [c.record for c in candidates]
    assert couriers["ravulo"] in names[:2]
    explanation = candidates[names.index(couriers["ravulo"])].explanation
    assert "% similar" in explanation
    assert "same year of birth" in explanation


def test_names_match_whatever_the_accents_case_and_word_order(fj_officer, couriers):
    candidates = person_match(user=fj_officer, probe=Probe(name="RAVULO, Jósefa"))
    assert candidates[0].record == couriers["ravulo"]
    assert candidates[0].reasons[0] == "name 100% similar"


def test_a_phone_number_is_matched_without_its_punctuation(fj_officer, couriers):
    candidates = person_match(user=fj_officer, probe=Probe(phones=["6799901234"]))
    assert [c.record for c in candidates] == [couriers["other"]]
    assert candidates[0].reasons == ["same phone number"]


def test_another_administration_s_persons_are_never_proposed(ws_officer, couriers):
    assert person_match(user=ws_officer, probe=Probe(name="Josefa Ravulo")) == []


def test_the_match_endpoint_ranks_the_exact_document_first(fj_officer, couriers):
    response = api_client(fj_officer).get(
        "/api/v1/persons/match/", {"q": "Josefa Ravulo", "document": "FJ777001"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body[0]["id"] == couriers["other"].pk
    assert body[0]["reasons"][0] == "same passport number"
    assert body[1]["id"] == couriers["ravulo"].pk
    assert body[1]["url"] == f"/persons/{couriers['ravulo'].pk}/"


def test_the_match_endpoint_refuses_unknown_parameters(fj_officer):
    response = api_client(fj_officer).get("/api/v1/persons/match/", {"q": "x", "passport": "1"})
    assert response.status_code == 400
    assert "passport" in response.json()["error"]["fields"]


def test_the_match_endpoint_needs_something_to_match(fj_officer):
    response = api_client(fj_officer).get("/api/v1/persons/match/", {"nationality": "FJ"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["q"] == [
        "Give a name, a document number or a phone number."
    ]


def test_a_renamed_person_is_found_by_the_new_name_and_the_old_name_is_pruned(fj_officer, couriers):
    from persons import services, tasks
    from persons.models import PersonName

    person = couriers["other"]
    services.person_update(by=fj_officer, person=person, values={"full_name": "Litia Vakaloloma"})
    candidates = person_match(user=fj_officer, probe=Probe(name="Litia Vakalolama"))
    assert candidates[0].record == person
    assert person_match(user=fj_officer, probe=Probe(name="Litia Naivalu")) == []
    assert tasks.prune_person_names.apply().get() == {"pruned": 1}
    assert not PersonName.objects.filter(name_key="litia naivalu").exists()
    assert PersonName.objects.filter(name_key="litia vakaloloma").exists()
