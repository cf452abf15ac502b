"""Possible duplicates: found by the nightly task, judged by supervisors; "same" merges
keeping every link, alias and document, and can be undone; "different" is not proposed
again."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ncen.models import AuditEntry
from persons import services, tasks
from persons.models import CaseLink, DuplicatePair, IdentityDocument, Person, PersonMerge

from ..conftest import signed_in_client
from ..factories import make_person, make_seizure

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(fj_officer):
    """One courier recorded twice, each record in its own case."""
    first = make_person(
        by=fj_officer,
        full_name="Josefa Ravulo",
        birth_date=date(1988, 3, 14),
        phones=["+679 990 1234"],
        documents=[{"kind": "passport", "number": "FJ448812"}],
    )
    second = make_person(
        by=fj_officer,
        full_name="Josefa Ravula",
        aliases=["Joe Ravula"],
        birth_year=1988,
        nationalities=["FJ"],
        documents=[{"kind": "national_id", "number": "NID-5521"}],
    )
    for person in (first, second):
        services.link_add(
            by=fj_officer, seizure=make_seizure(by=fj_officer), person=person, role="courier"
        )
    return first, second


def _find() -> None:
    tasks.find_duplicates.apply()


def test_the_task_proposes_the_pair_once(twins):
    make_person(by=twins[0].created_by, full_name="Litia Naivalu")
    _find()
    _find()
    pair = DuplicatePair.objects.get()
    assert (pair.first, pair.second) == twins
    assert pair.judgement == DuplicatePair.Judgement.PROPOSED


def test_a_pair_judged_different_is_not_proposed_again(twins, fj_supervisor):
    _find()
    pair = DuplicatePair.objects.get()
    services.pair_judge(by=fj_supervisor, pair=pair, judgement="different")
    _find()
    assert DuplicatePair.objects.get() == pair
    pair.refresh_from_db()
    assert pair.judgement == DuplicatePair.Judgement.DIFFERENT
    page = signed_in_client(fj_supervisor).get("/persons/duplicates/").content.decode()
    assert "No pair is waiting for a judgement." in page


def test_same_merges_keeping_every_link_alias_and_document(twins, fj_supervisor):
    first, second = twins
    _find()
    pair = DuplicatePair.objects.get()
    services.pair_judge(by=fj_supervisor, pair=pair, judgement="same")
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first
    assert CaseLink.objects.filter(person=first).count() == 2
    assert set(first.documents.values_list("number", flat=True)) == {"FJ448812", "NID-5521"}
    assert first.aliases == ["Joe Ravula", "Josefa Ravula"]
    assert first.nationalities == ["FJ"]
    assert "ravula" in first.name_key
    assert Person.objects.current().count() == 1
    assert AuditEntry.objects.filter(action="persons_merged").count() == 1


def test_a_merge_can_be_undone(twins, fj_supervisor):
    first, second = twins
    links = {p.pk: set(p.links.values_list("pk", flat=True)) for p in twins}
    documents = {p.pk: set(p.documents.values_list("pk", flat=True)) for p in twins}
    _find()
    services.pair_judge(by=fj_supervisor, pair=DuplicatePair.objects.get(), judgement="same")
    response = signed_in_client(fj_supervisor).post(
        f"/persons/merges/{PersonMerge.objects.get().pk}/undo/"
    )
    assert response.status_code == 302
    for person in (first, second):
        person.refresh_from_db()
        assert set(person.links.values_list("pk", flat=True)) == links[person.pk]
        assert set(person.documents.values_list("pk", flat=True)) == documents[person.pk]
    assert second.merged_into is None
    assert first.aliases == []
    assert first.nationalities == []
    assert "ravula" not in first.name_key
    assert DuplicatePair.objects.get().judgement == DuplicatePair.Judgement.UNSURE


def test_a_record_cannot_be_merged_with_itself(twins, fj_supervisor):
    with pytest.raises(ValidationError) as refused:
        services.record_merge(by=fj_supervisor, kept=twins[0], merged=twins[0])
    assert refused.value.messages == ["A record cannot be merged with itself."]
    assert not PersonMerge.objects.exists()


def test_records_of_two_administrations_cannot_be_merged(twins, fj_supervisor, ws_officer):
    samoan = make_person(by=ws_officer, full_name="Josefa Ravulo")
    with pytest.raises(ValidationError) as refused:
        services.record_merge(by=fj_supervisor, kept=twins[0], merged=samoan)
    assert refused.value.messages == ["Records of two administrations cannot be merged."]
    assert not PersonMerge.objects.exists()
    samoan.refresh_from_db()
    assert samoan.merged_into is None
    assert IdentityDocument.objects.filter(person=twins[0]).count() == 1


def test_officers_do_not_judge(twins, fj_officer):
    _find()
    with pytest.raises(PermissionDenied):
        services.pair_judge(by=fj_officer, pair=DuplicatePair.objects.get(), judgement="same")
    assert signed_in_client(fj_officer).get("/persons/duplicates/").status_code == 403


def test_the_supervisor_judges_on_the_page(twins, fj_supervisor):
    _find()
    client = signed_in_client(fj_supervisor)
    page = client.get("/persons/duplicates/").content.decode()
    assert "Josefa Ravula" in page
    assert "same year of birth" in page
    pair = DuplicatePair.objects.get()
    response = client.post(f"/persons/duplicates/{pair.pk}/", {"judgement": "same"})
    assert response.status_code == 302
    assert Person.objects.current().count() == 1
