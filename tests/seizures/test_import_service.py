"""The import itself: every seizure of the file or none, through the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ncen import audit
from ncen.audit import Action
from ncen.models import AuditEntry
from seizures import services
from seizures.imports import ImportRefused, seizures_import
from seizures.models import Item, ReferenceCounter, Seizure

from ..factories import make_seizure
from .import_files import GOOD_ROWS, as_csv, as_xlsx, with_bad_row

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("write", [as_csv, as_xlsx], ids=["csv", "xlsx"])
def test_a_good_file_saves_every_row(fj_officer, write):
    before = make_seizure(by=fj_officer)
    created = seizures_import(by=fj_officer, data=write(GOOD_ROWS), file_name="march")
    assert Seizure.objects.count() == 4
    first, second, third = created
    assert [s.reference_number for s in created] == [
        before.reference_number + 1,
        before.reference_number + 2,
        before.reference_number + 3,
    ]
    assert all(s.status == "draft" and s.created_by == fj_officer for s in created)
    items = list(first.items.order_by("position"))
    assert [(i.commodity.code, i.quantity, i.unit.code) for i in items] == [
        ("methamphetamine", Decimal("1.200"), "kg"),
        ("undeclared_currency", Decimal("18000.000"), "currency"),
    ]
    assert items[1].currency == "USD"
    first.refresh_from_db()
    assert first.route == ["MX", "US", "NZ", "AU", "FJ"]
    assert first.detection_method.code == "detector_dog"
    assert second.items.get().quantity == Decimal(12000)
    assert third.items.get().quantity == Decimal("3.2")
    assert third.office == fj_officer.office
    created_entries = AuditEntry.objects.filter(action=Action.SEIZURE_CREATED)
    assert {e.object_id for e in created_entries} >= {str(s.pk) for s in created}
    summary = AuditEntry.objects.get(action=Action.SEIZURES_IMPORTED)
    assert summary.actor == fj_officer
    assert summary.after["references"] == [s.reference for s in created]


def test_one_bad_row_saves_nothing_and_names_the_row_and_column(fj_officer):
    with pytest.raises(ImportRefused) as refused:
        seizures_import(by=fj_officer, data=as_csv(with_bad_row(GOOD_ROWS)), file_name="x")
    assert [(e.row, e.column_label) for e in refused.value.errors] == [(4, "Unit")]
    assert "row 4, Unit" in str(refused.value)
    assert not Seizure.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.SEIZURE_CREATED).exists()


def test_a_seizure_refused_while_saving_takes_the_others_back(fj_officer, monkeypatch):
    # seizure_create_many checks each record inside the import's transaction.
    check = services._check
    calls = []

    def refuse_the_third(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ValidationError({"items-0-quantity": ["Refused for the test."]})
        return check(**kwargs)

    monkeypatch.setattr(services, "_check", refuse_the_third)
    with pytest.raises(ImportRefused) as refused:
        seizures_import(by=fj_officer, data=as_csv(GOOD_ROWS), file_name="x")
    assert [(e.row, e.column_label) for e in refused.value.errors] == [(5, "Quantity")]
    assert not Seizure.objects.exists()
    # The numbers taken are given back: the next seizure has the first one.
    assert not ReferenceCounter.objects.exists()
    assert make_seizure(by=fj_officer).reference_number == 1


def test_a_failure_after_the_rows_are_written_takes_them_back(fj_officer, monkeypatch):
    def fail(**kwargs):
        assert Seizure.objects.count() == 3  # written, in the import's transaction
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(audit, "record_many", fail)
        with pytest.raises(RuntimeError):
            seizures_import(by=fj_officer, data=as_csv(GOOD_ROWS), file_name="x")
    assert not Seizure.objects.exists()
    assert not Item.objects.exists()
    assert not ReferenceCounter.objects.exists()
    assert make_seizure(by=fj_officer).reference_number == 1
