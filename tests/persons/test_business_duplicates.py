"""Possible duplicate businesses go through the persons' machinery: found by the nightly
task, judged by supervisors; "same" merges keeping every link, trading name and identifier,
and can be undone; "different" is not proposed again."""

import pytest
from django.core.exceptions import ValidationError

from ncen.models import AuditEntry
from persons import selectors, services, tasks
from persons.models import Business, BusinessDuplicatePair, BusinessMerge, CaseLink
from persons.selectors import business_match

from ..conftest import signed_in_client
from ..factories import make_person, make_seizure

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarders(fj_officer):
    """One freight forwarder recorded twice, each record in its own case, and a namesake
    registered under another number (another company)."""
    first = services.business_create(
        by=fj_officer,
        values={
            "name": "Lautoka Freight Ltd",
            "registration_number": "FJ 104 552",
            "phones": ["+679 330 1234"],
        },
    )
    second = services.business_create(
        by=fj_officer,
        values={
            "name": "Lautoka Freight Limited",
            "trading_names": ["LFL Express"],
            "tax_id": "TIN 5521-88",
            "registration_number": "fj104552",
        },
    )
    services.business_create(
        by=fj_officer, values={"name": "Lautoka Freight Ltd", "registration_number": "FJ 999 001"}
    )
    for business in (first, second):
        services.link_add(
            by=fj_officer, seizure=make_seizure(by=fj_officer), business=business, role="consignee"
        )
    return first, second


def _find():
    return tasks.find_duplicates.apply().get()


def test_the_task_proposes_businesses_sharing_a_registration_number(forwarders):
    found = _find()
    _find()
    assert found["business"]["FJ"] == 1
    pair = BusinessDuplicatePair.objects.get()
    assert (pair.first, pair.second) == forwarders
    assert "same registration or tax number" in selectors.pair_explained(pair=pair).reasons


def test_different_is_not_proposed_again(forwarders, fj_supervisor):
    _find()
    pair = BusinessDuplicatePair.objects.get()
    services.pair_judge(by=fj_supervisor, pair=pair, judgement="different")
    _find()
    assert BusinessDuplicatePair.objects.get() == pair
    page = signed_in_client(fj_supervisor).get("/businesses/duplicates/").content.decode()
    assert "No pair is waiting for a judgement." in page


def test_same_merges_keeping_links_trading_names_and_identifiers(forwarders, fj_supervisor):
    first, second = forwarders
    _find()
    client = signed_in_client(fj_supervisor)
    page = client.get("/businesses/duplicates/").content.decode()
    assert "Lautoka Freight Limited" in page
    pair = BusinessDuplicatePair.objects.get()
    response = client.post(f"/businesses/duplicates/{pair.pk}/", {"judgement": "same"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first
    assert CaseLink.objects.filter(business=first).count() == 2
    assert first.trading_names == ["LFL Express", "Lautoka Freight Limited"]
    assert first.tax_id == "TIN 5521-88"
    assert first.registration_number == "FJ 104 552"
    assert AuditEntry.objects.filter(action="businesses_merged").count() == 1
    assert not Business.objects.current().filter(pk=second.pk).exists()
    # The merged record's identifiers still lead to the business it became part of.
    matched = business_match(user=fj_supervisor, name="", identifier="TIN 5521 88")
    assert [c.record for c in matched] == [first]
    assert "Lautoka Freight Limited" in client.get(f"/businesses/{first.pk}/").content.decode()


def test_a_business_merge_can_be_undone(forwarders, fj_supervisor):
    first, second = forwarders
    links = {b.pk: set(b.links.values_list("pk", flat=True)) for b in forwarders}
    _find()
    services.pair_judge(
        by=fj_supervisor, pair=BusinessDuplicatePair.objects.get(), judgement="same"
    )
    merge = BusinessMerge.objects.get()
    response = signed_in_client(fj_supervisor).post(f"/businesses/merges/{merge.pk}/undo/")
    assert response.status_code == 302
    for business in (first, second):
        business.refresh_from_db()
        assert set(business.links.values_list("pk", flat=True)) == links[business.pk]
    assert second.merged_into is None
    assert first.trading_names == []
    assert first.tax_id == ""
    assert "limited" not in first.name_key
    assert BusinessDuplicatePair.objects.get().judgement == "unsure"
    assert AuditEntry.objects.filter(action="businesses_merge_undone").count() == 1


def test_a_business_cannot_be_merged_with_itself(forwarders, fj_supervisor):
    with pytest.raises(ValidationError) as refused:
        services.record_merge(by=fj_supervisor, kept=forwarders[0], merged=forwarders[0])
    assert refused.value.messages == ["A record cannot be merged with itself."]
    assert not BusinessMerge.objects.exists()


def test_businesses_of_two_administrations_cannot_be_merged(forwarders, fj_supervisor, ws_officer):
    samoan = services.business_create(by=ws_officer, values={"name": "Lautoka Freight Ltd"})
    with pytest.raises(ValidationError) as refused:
        services.record_merge(by=fj_supervisor, kept=forwarders[0], merged=samoan)
    assert refused.value.messages == ["Records of two administrations cannot be merged."]
    samoan.refresh_from_db()
    assert samoan.merged_into is None
    assert not BusinessMerge.objects.exists()


def test_a_person_and_a_business_cannot_be_merged(forwarders, fj_supervisor):
    person = make_person(by=fj_supervisor, full_name="Lautoka Freight Ltd")
    with pytest.raises(ValidationError) as refused:
        services.record_merge(by=fj_supervisor, kept=forwarders[0], merged=person)
    assert refused.value.messages == ["Only two records of the same kind can be merged."]


def test_a_merged_business_is_not_linked_again(forwarders, fj_supervisor):
    _find()
    services.pair_judge(
        by=fj_supervisor, pair=BusinessDuplicatePair.objects.get(), judgement="same"
    )
    with pytest.raises(ValidationError) as refused:
        services.link_add(
            by=fj_supervisor,
            seizure=make_seizure(by=fj_supervisor),
            business=forwarders[1],
            role="consignee",
        )
    assert refused.value.messages == ["This record was merged into another; link that one."]


def test_a_business_is_matched_by_its_name_with_how_similar_it_is(fj_officer, forwarders):
    """Misspelled, both records of the company and its namesake are proposed, the closer
    names first, each with its similarity as the persons' match measures it."""
    first, second = forwarders
    matched = business_match(user=fj_officer, name="Lautoka Freigth")
    assert [(c.record.name, c.reasons) for c in matched] == [
        ("Lautoka Freight Ltd", ["name 70% similar"]),
        ("Lautoka Freight Ltd", ["name 70% similar"]),
        ("Lautoka Freight Limited", ["name 58% similar"]),
    ]
    assert (matched[0].record, matched[2].record) == (first, second)
