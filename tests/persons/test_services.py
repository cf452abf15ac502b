"""Recording persons: bad input is refused with a message naming the field, and nothing is
saved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ncen.models import AuditEntry
from persons import services
from persons.models import IdentityDocument, Person

from ..factories import make_person

pytestmark = pytest.mark.django_db


def test_a_birth_date_in_the_future_is_refused_and_nothing_saved(fj_officer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        make_person(by=fj_officer, birth_date=tomorrow)
    assert refused.value.message_dict["birth_date"] == [
        "The date of birth cannot be in the future."
    ]
    assert not Person.objects.exists()


def test_a_document_expiring_before_it_was_issued_is_refused_and_nothing_saved(fj_officer):
    with pytest.raises(ValidationError) as refused:
        make_person(
            by=fj_officer,
            documents=[
                {
                    "kind": "passport",
                    "number": "FJ123456",
                    "issued_on": date(2020, 5, 1),
                    "expires_on": date(2019, 5, 1),
                }
            ],
        )
    assert refused.value.message_dict["documents-0-expires_on"] == [
        "The document cannot expire before it was issued."
    ]
    assert not Person.objects.exists()
    assert not IdentityDocument.objects.exists()


def test_the_full_name_is_made_from_the_names_when_left_empty(fj_officer):
    person = make_person(by=fj_officer, full_name="", given_names="Mele", family_name="Vea")
    assert person.full_name == "Mele Vea"


def test_a_birth_date_gives_the_year(fj_officer):
    person = make_person(by=fj_officer, birth_date=date(1990, 4, 2))
    assert person.birth_year == 1990


def test_keys_ignore_spaces_punctuation_case_and_accents(fj_officer):
    person = make_person(
        by=fj_officer,
        full_name="Josefa Ravulo",
        aliases=["Jösefa Ravúlo"],
        phones=["+679 990-1234"],
        documents=[{"kind": "passport", "number": "fj 12-34 56"}],
    )
    person.refresh_from_db()
    assert person.phone_keys == ["6799901234"]
    assert person.documents.get().number_key == "FJ123456"
    assert person.name_key == "josefa ravulo josefa ravulo"


def test_creation_is_audited_with_the_record(fj_officer):
    person = make_person(by=fj_officer, documents=[{"kind": "passport", "number": "FJ1"}])
    entry = AuditEntry.objects.get(action="person_created")
    assert entry.object_id == str(person.pk)
    assert entry.after["documents"][0]["number"] == "FJ1"


def test_ws_officer_cannot_edit_a_fiji_person(fj_officer, ws_officer):
    from django.core.exceptions import PermissionDenied

    person = make_person(by=fj_officer)
    with pytest.raises(PermissionDenied):
        services.person_update(by=ws_officer, person=person, values={"full_name": "X"})
