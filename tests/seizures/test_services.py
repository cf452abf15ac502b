"""Recording and changing seizures through the services."""

import threading
from decimal import Decimal

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from ncen.exceptions import ConflictError
from ncen.models import AuditEntry
from seizures import services
from seizures.models import Seizure

from ..factories import OfficeFactory, code, make_seizure


@pytest.mark.django_db
def test_reference_is_administration_year_and_number(fj_officer):
    first = make_seizure(by=fj_officer)
    second = make_seizure(by=fj_officer)
    year = timezone.localdate().year
    assert first.reference == f"FJ-{year}-000001"
    assert second.reference == f"FJ-{year}-000002"


@pytest.mark.django_db
def test_each_administration_counts_on_its_own(fj_officer, ws_officer):
    make_seizure(by=fj_officer)
    samoan = make_seizure(
        by=ws_officer, office=OfficeFactory(administration=ws_officer.administration)
    )
    assert samoan.reference.startswith("WS-")
    assert samoan.reference.endswith("-000001")


@pytest.mark.django_db
def test_a_rolled_back_save_gives_its_number_back(fj_officer):
    make_seizure(by=fj_officer)
    with pytest.raises(ValidationError):
        make_seizure(
            by=fj_officer,
            items=[
                {
                    "commodity": code("commodity", "cigarettes"),
                    "quantity": Decimal(1),
                    "unit": code("unit", "kg"),
                }
            ],
        )
    assert make_seizure(by=fj_officer).reference.endswith("-000002")


@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_and_gap_free_under_concurrent_creation(fj_officer):
    errors = []

    def record(count):
        try:
            for _ in range(count):
                make_seizure(by=fj_officer)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(5,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Seizure.objects.values_list("reference_number", flat=True))
    assert numbers == list(range(1, 31))


@pytest.mark.django_db
def test_stale_update_is_refused_and_overwrites_nothing(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    services.seizure_update(
        by=fj_supervisor, seizure=seizure, expected_version=1, values={"narrative": "Supervisor"}
    )
    with pytest.raises(ConflictError, match="version 2"):
        services.seizure_update(
            by=fj_officer, seizure=seizure, expected_version=1, values={"narrative": "Officer"}
        )
    seizure.refresh_from_db()
    assert (seizure.narrative, seizure.version) == ("Supervisor", 2)


@pytest.mark.django_db
def test_officers_edit_their_own_drafts_supervisors_any(fj_officer, fj_supervisor, fiji, suva):
    from ..factories import UserFactory

    colleague = UserFactory(username="fj.colleague", administration=fiji, office=suva)
    seizure = make_seizure(by=colleague)
    with pytest.raises(PermissionDenied):
        services.seizure_update(by=fj_officer, seizure=seizure, expected_version=1, values={})
    updated = services.seizure_update(
        by=fj_supervisor, seizure=seizure, expected_version=1, values={"narrative": "checked"}
    )
    assert updated.version == 2


@pytest.mark.django_db
def test_another_administration_cannot_edit(fj_officer, ws_officer):
    seizure = make_seizure(by=fj_officer)
    with pytest.raises(PermissionDenied):
        services.seizure_update(by=ws_officer, seizure=seizure, expected_version=1, values={})


@pytest.mark.django_db
def test_administrators_do_not_record_seizures(fj_admin):
    with pytest.raises(PermissionDenied):
        make_seizure(by=fj_admin)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "item", "field"),
    [
        ({"occurred_at": timezone.now() + timezone.timedelta(days=2)}, {}, "occurred_at"),
        ({}, {"quantity": Decimal(0)}, "items-0-quantity"),
        ({}, {"quantity": Decimal(-3)}, "items-0-quantity"),
        ({}, {"unit": ("unit", "sticks")}, "items-0-unit"),
        ({}, {"commodity": ("commodity", "drugs")}, "items-0-commodity"),
        ({}, {"estimated_value": Decimal(10)}, "items-0-currency"),
        ({}, {"estimated_value": Decimal(10), "currency": "XYZ"}, "items-0-currency"),
        ({}, {"cites_appendix": "I"}, "items-0-species"),
        ({"transit_countries": ["NZ", "NZ"]}, {}, "transit_countries"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_saved(fj_officer, values, item, field):
    base_item = {
        "commodity": code("commodity", "cocaine"),
        "quantity": Decimal(1),
        "unit": code("unit", "kg"),
    }
    for name, value in item.items():
        base_item[name] = code(*value) if isinstance(value, tuple) else value
    with pytest.raises(ValidationError) as raised:
        make_seizure(by=fj_officer, items=[base_item], **values)
    assert field in raised.value.message_dict
    assert not Seizure.objects.exists()
    assert not AuditEntry.objects.filter(action="seizure_created").exists()


@pytest.mark.django_db
def test_retired_codes_are_refused_on_new_records_but_stay_on_old_ones(fj_officer):
    seizure = make_seizure(by=fj_officer)
    dog = code("detection_method", "xray_scanner")
    dog.is_retired = True
    dog.save()
    with pytest.raises(ValidationError) as raised:
        make_seizure(by=fj_officer)
    assert "detection_method" in raised.value.message_dict
    # The old record keeps it through an unrelated change.
    services.seizure_update(
        by=fj_officer, seizure=seizure, expected_version=1, values={"narrative": "x"}
    )


@pytest.mark.django_db
def test_changes_are_audited_with_before_and_after(fj_officer):
    seizure = make_seizure(by=fj_officer)
    services.seizure_update(
        by=fj_officer, seizure=seizure, expected_version=1, values={"narrative": "Second look"}
    )
    created, updated = AuditEntry.objects.filter(object_id=str(seizure.pk)).order_by("sequence")
    assert created.action == "seizure_created"
    assert created.after["items"][0]["quantity"] == "2.500"
    assert updated.before["narrative"].startswith("Passenger")
    assert updated.after["narrative"] == "Second look"
    assert updated.after["version"] == 2


@pytest.mark.django_db
def test_derived_columns_follow_the_items_and_route(fj_officer):
    seizure = make_seizure(by=fj_officer, transit_countries=["NZ"])
    seizure.refresh_from_db()
    cocaine = code("commodity", "cocaine")
    assert set(seizure.commodity_ids) == {cocaine.pk, cocaine.parent_id}
    assert set(seizure.route_countries) == {"PE", "AU", "NZ", "FJ"}
    lining = SearchQuery("lining", config="simple")
    assert Seizure.objects.filter(search_vector=lining).get() == seizure
