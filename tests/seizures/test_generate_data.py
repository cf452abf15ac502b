"""The bulk generator of made-up seizures: plausible rows, the services' invariants kept."""

import io
import re
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from analysis.models import SeizureCountChange
from ncen.models import Office
from seizures import selectors, services
from seizures.filters import SeizureFilterSet
from seizures.models import Item, ReferenceCounter, Seizure
from tests.analysis.test_counts import assert_rollup_current
from tests.factories import OfficeFactory, make_seizure

pytestmark = pytest.mark.django_db

COUNT = 200


@pytest.fixture
def generated(settings, fj_officer):
    settings.NCEN_DEMO_MODE = True
    OfficeFactory(
        administration=fj_officer.administration,
        code="FJNAN",
        name="Nadi International Airport",
        kind=Office.Kind.AIRPORT,
    )
    OfficeFactory(
        administration=fj_officer.administration,
        code="FJSUV-MC",
        name="Suva Mail Centre",
        kind=Office.Kind.MAIL_CENTRE,
    )
    # A seizure recorded through the services first: generated numbers continue after it.
    first = make_seizure(by=fj_officer)
    # Small batches, so that several batches and their boundaries are exercised.
    call_command("generate_data", seizures=COUNT, seed=7, batch=70, stdout=io.StringIO())
    return first


def test_it_creates_draft_seizures_of_the_administration(generated, fj_officer):
    seizures = Seizure.objects.exclude(pk=generated.pk)
    assert seizures.count() == COUNT
    assert set(seizures.values_list("administration_id", flat=True)) == {
        fj_officer.administration_id
    }
    assert set(seizures.values_list("status", "version")) == {("draft", 1)}
    assert set(seizures.values_list("created_by_id", "updated_by_id")) == {
        (fj_officer.pk, fj_officer.pk)
    }
    assert set(seizures.values_list("office__administration_id", flat=True)) == {
        fj_officer.administration_id
    }


def test_every_seizure_has_one_to_three_items_whose_unit_fits_the_commodity(generated):
    per_seizure = defaultdict(int)
    for item in Item.objects.select_related("commodity__parent", "unit").prefetch_related(
        "commodity__units", "commodity__parent__units"
    ):
        per_seizure[item.seizure_id] += 1
        assert item.commodity.parent_id is not None, item.commodity
        allowed = item.commodity.allowed_unit_ids()
        assert not allowed or item.unit_id in allowed, (item.commodity, item.unit)
        assert item.quantity > 0
        if item.cites_appendix:
            assert item.species
    assert len(per_seizure) == COUNT + 1
    assert set(per_seizure.values()) <= {1, 2, 3}


def test_references_are_unique_and_gap_free_per_year(generated, fj_officer):
    numbers = defaultdict(list)
    for reference, year, number in Seizure.objects.values_list(
        "reference", "reference_year", "reference_number"
    ):
        assert reference == f"FJ-{year}-{number:06d}"
        numbers[year].append(number)
    assert len(numbers) >= 5  # five years of records
    counters = dict(
        ReferenceCounter.objects.filter(administration=fj_officer.administration).values_list(
            "year", "last_number"
        )
    )
    for year, taken in numbers.items():
        assert sorted(taken) == list(range(1, len(taken) + 1)), year
        assert counters[year] == len(taken)


def test_a_seizure_recorded_afterwards_takes_the_next_number(generated, fj_officer):
    year = generated.reference_year
    last = Seizure.objects.filter(reference_year=year).count()
    later = make_seizure(by=fj_officer)
    assert later.reference_number == last + 1


def test_derived_columns_are_what_the_services_compute(generated):
    sample = list(Seizure.objects.exclude(pk=generated.pk).order_by("?")[:40])
    for seizure in sample:
        before = _derived(seizure.pk)
        assert before[0] == sorted(set(seizure.route))
        services._refresh_derived(seizure)
        assert _derived(seizure.pk) == before, seizure.reference


def _derived(pk):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT route_countries, commodity_ids, search_vector::text "
            "FROM seizures_seizure WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def test_the_dashboards_rollup_counts_every_generated_seizure(generated):
    assert_rollup_current()
    # Folded into the rollup at the end, the service-made seizure's changes too.
    assert not SeizureCountChange.objects.exists()


def test_full_text_filter_finds_a_word_of_a_generated_narrative(generated, fj_officer):
    seizure = Seizure.objects.exclude(pk=generated.pk).order_by("?").first()
    words = re.findall(r"[A-Za-z]{6,}", seizure.narrative)
    assert words
    filterset = SeizureFilterSet(
        {"q": words[-1]},
        queryset=selectors.seizure_list(user=fj_officer),
        request_user=fj_officer,
    )
    assert filterset.is_valid(), filterset.errors
    assert filterset.qs.filter(pk=seizure.pk).exists()


def test_it_refuses_a_production_instance(settings, fj_officer):
    settings.DEBUG = False
    settings.NCEN_DEMO_MODE = False
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_data", seizures=1)
    assert not Seizure.objects.exists()


def test_it_asks_for_the_demo_administrations_when_missing(settings, db):
    settings.NCEN_DEMO_MODE = True
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("generate_data", seizures=1, administration="TO")
