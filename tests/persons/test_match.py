"""Match as you type: exact identifiers first, then names that look alike, with reasons."""

from datetime import date

import pytest
from django.db import connection, transaction

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


@pytest.fixture
def namesakes(fj_officer):
    """Records sharing the words "Malia Aimao", as families do, and one "Chen Na"."""
    return {
        name: make_person(by=fj_officer, full_name=name, birth_year=1980 + n)
        for n, name in enumerate(
            [
                "Aiga Malia Aimao",
                "Malia Aimao",
                "Sione Malia Aimao",
                "Mele Malia Aimao",
                "Malia Aimao Tuilagi",
                "Chen Na",
                "Chen Nan Li",
            ]
        )
    }


def test_a_typo_in_a_short_word_ranks_the_person_first_among_namesakes(fj_officer, namesakes):
    candidates = person_match(user=fj_officer, probe=Probe(name="Aiag Malia Aimao"))
    assert candidates[0].record == namesakes["Aiga Malia Aimao"]
    assert candidates[0].reasons == ["name 93% similar", "one letter different"]
    assert "one letter different" not in candidates[1].explanation


def test_a_typo_that_leaves_too_few_trigrams_is_found_by_its_words(fj_officer, namesakes):
    candidates = person_match(user=fj_officer, probe=Probe(name="Cnhen Na"))
    assert candidates[0].record == namesakes["Chen Na"]
    assert "one letter different" in candidates[0].reasons


def test_a_record_with_fewer_extra_words_ranks_first_when_both_hold_the_typed_name(
    fj_officer, namesakes
):
    candidates = person_match(user=fj_officer, probe=Probe(name="Malia Aimao"))
    assert candidates[0].record == namesakes["Malia Aimao"]
    assert candidates[0].reasons == ["name 100% similar"]
    assert {c.record for c in candidates[1:5]} == {
        namesakes[name]
        for name in [
            "Aiga Malia Aimao",
            "Sione Malia Aimao",
            "Mele Malia Aimao",
            "Malia Aimao Tuilagi",
        ]
    }


def test_another_spelling_in_an_alias_does_not_count_against_the_record(fj_officer, namesakes):
    aliased = make_person(
        by=fj_officer,
        full_name="Salote Losaline Funangatonga",
        aliases=["Salote Losalien Funangatonga"],
    )
    make_person(by=fj_officer, full_name="Salote Losaline Funaeatonga")
    candidates = person_match(user=fj_officer, probe=Probe(name="Salote Losaline Fuangatonga"))
    assert candidates[0].record == aliased
    assert candidates[0].reasons == ["name 96% similar", "one letter different"]


def test_an_exact_document_still_outranks_a_name_one_letter_away(fj_officer, namesakes):
    document = make_person(
        by=fj_officer,
        full_name="Litia Malia Aimao",
        documents=[{"kind": "passport", "number": "FJ 300401"}],
    )
    candidates = person_match(
        user=fj_officer, probe=Probe(name="Aiag Malia Aimao", documents=["FJ300401"])
    )
    assert [c.record for c in candidates[:2]] == [document, namesakes["Aiga Malia Aimao"]]
    assert candidates[0].reasons[0] == "same passport number"
    assert "name " in candidates[0].explanation


def test_the_match_endpoint_says_one_letter_different(fj_officer, namesakes):
    response = api_client(fj_officer).get("/api/v1/persons/match/", {"q": "Malia Aimoa"})
    assert response.status_code == 200
    body = response.json()
    assert body[0]["id"] == namesakes["Malia Aimao"].pk
    assert body[0]["reasons"] == ["name 90% similar", "one letter different"]


def test_names_one_letter_away_are_not_proposed_to_another_administration(ws_officer, namesakes):
    assert person_match(user=ws_officer, probe=Probe(name="Cnhen Na")) == []


def _session_settings() -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('pg_trgm.word_similarity_threshold'), "
            "current_setting('enable_seqscan'), current_setting('pg_trgm.similarity_threshold')"
        )
        return cursor.fetchone()


def test_the_match_s_settings_do_not_outlive_it_in_the_caller_s_transaction(fj_officer, namesakes):
    from persons.selectors import business_match

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', true), "
            "set_config('enable_seqscan', 'on', true)"
        )
        before = _session_settings()
        # Found by words, by trigrams at 0.8, by trigrams asked again at 0.6 (two typos).
        for name in ["Cnhen Na", "Chen", "Aiag Malia Aimoa"]:
            assert person_match(user=fj_officer, probe=Probe(name=name))
            assert _session_settings() == before
        business_match(user=fj_officer, name="Lautoka Freight")
        assert _session_settings() == before


def test_the_first_look_ranks_generated_names_as_the_whole_pool_does(fj_officer, monkeypatch):
    """Trigrams asked at NAME_THRESHOLD_FIRST, and at NAME_THRESHOLD only when that finds no
    name one letter away, propose the same first candidates, in the same order, as asking at
    NAME_THRESHOLD outright (what the match did before), for generated names (namesakes,
    aliases, families sharing words) typed with one mistake of either kind."""
    import random

    from persons import selectors
    from persons.generate import PersonMaker, misspell

    rng = random.Random(11)
    maker = PersonMaker(rng, date(2026, 1, 1))
    people = [maker.person(serial) for serial in range(200)]
    for person in people:
        make_person(by=fj_officer, full_name=person["full"], aliases=person["aliases"])
    typed = []
    for person in people[:60]:
        typed.append(misspell(rng, person["full"]))
        i = rng.randrange(len(person["full"]))
        typed.append(person["full"][:i] + person["full"][i + 1 :])  # any letter, or a space

    def first_three(name):
        return [c.record.pk for c in person_match(user=fj_officer, probe=Probe(name=name))[:3]]

    fast = [first_three(name) for name in typed]
    monkeypatch.setattr(selectors, "NAME_THRESHOLD_FIRST", selectors.NAME_THRESHOLD)
    whole = [first_three(name) for name in typed]
    # The same candidates in the same order; the whole pool may add a namesake after them
    # (a name two letters or a word away, which the first look at 0.8 leaves out).
    assert [candidates[: len(first)] for candidates, first in zip(whole, fast, strict=True)] == fast
