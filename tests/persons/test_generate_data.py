"""generate_data --persons: plausible persons, with the keys the services would give them."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from persons.generate import misspell
from persons.keys import identifier_key
from persons.models import Business, IdentityDocument, Person
from persons.selectors import Probe, person_match

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(settings, fj_officer):
    settings.NCEN_DEMO_MODE = True
    call_command(
        "generate_data", persons=300, businesses=20, seed=3, batch=120, stdout=io.StringIO()
    )


def test_persons_and_businesses_are_created_with_their_keys(generated, fj_officer):
    assert Person.objects.count() == 300
    assert Business.objects.count() == 20
    for person in Person.objects.prefetch_related("documents")[:50]:
        assert person.administration_id == fj_officer.administration_id
        assert person.name_key == person.name_key.strip()
        assert person.name_key.isascii()
        for document in person.documents.all():
            assert document.number_key == identifier_key(document.number)


def test_some_persons_are_recorded_twice_with_the_same_passport(generated):
    numbers = list(IdentityDocument.objects.values_list("number_key", flat=True))
    assert len(numbers) > len(set(numbers))


def test_a_generated_person_is_found_by_a_misspelled_name(generated, fj_officer):
    import random

    person = Person.objects.order_by("pk")[7]
    typed = misspell(random.Random(1), person.full_name)
    found = [c.record for c in person_match(user=fj_officer, probe=Probe(name=typed))]
    assert person in found[:3]


def test_something_must_be_asked_for(settings, fj_officer):
    settings.NCEN_DEMO_MODE = True
    with pytest.raises(CommandError, match="--persons"):
        call_command("generate_data", stdout=io.StringIO())
