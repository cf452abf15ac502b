"""seizure_create_many: what seizure_create does for each record, in bulk."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analysis import counts
from ncen.audit import Action, verify_chain
from ncen.models import AuditEntry
from seizures import services
from seizures.imports import ImportRefused, seizures_import
from seizures.models import Code, ReferenceCounter, Seizure

from ..factories import OfficeFactory, code, make_seizure
from .import_files import GOOD_ROWS, as_csv

pytestmark = pytest.mark.django_db


def _record(by, number: int, **values) -> services.NewSeizure:
    commodity, unit = [("cocaine", "kg"), ("cigarettes", "sticks")][number % 2]
    return services.NewSeizure(
        values={
            "occurred_at": timezone.now() - timedelta(days=1, minutes=number),
            "office": by.office,
            "detection_method": code("detection_method", "xray_scanner"),
            "transport_mode": code("transport_mode", "air_passenger"),
            "origin_country": "PE",
            "transit_countries": ["AU", "NZ"][: number % 3],
            "destination_country": "FJ",
            "container_number": "MSCU1234567" if number % 2 else "",
            "narrative": f"Record {number}: powder in the suitcase lining.",
            **values,
        },
        items=[
            {
                "commodity": code("commodity", commodity),
                "quantity": Decimal(f"{number + 1}.25"),
                "unit": code("unit", unit),
                "description": f"Parcel {number}",
                "species": "",
            },
            {
                "commodity": code("commodity", "methamphetamine"),
                "quantity": Decimal("0.5"),
                "unit": code("unit", "kg"),
                "estimated_value": Decimal("1200"),
                "currency": "FJD",
            },
        ][: 1 + number % 2],
    )


def _derived(pk):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT route_countries, commodity_ids, search_vector::text "
            "FROM seizures_seizure WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def test_references_continue_the_year_without_gaps_in_the_records_order(fj_officer):
    before = make_seizure(by=fj_officer)
    records = [_record(fj_officer, number) for number in range(12)]
    created = services.seizure_create_many(by=fj_officer, records=records)
    numbers = [seizure.reference_number for seizure in created]
    assert numbers == list(range(before.reference_number + 1, before.reference_number + 13))
    assert [s.narrative for s in created] == [r.values["narrative"] for r in records]
    counter = ReferenceCounter.objects.get(administration=fj_officer.administration)
    assert counter.last_number == numbers[-1]
    saved = Seizure.objects.get(pk=created[-1].pk)
    assert saved.reference == f"{fj_officer.administration.code}-{saved.reference_year}-" + (
        f"{numbers[-1]:06d}"
    )
    assert make_seizure(by=fj_officer).reference_number == numbers[-1] + 1


def test_derived_columns_are_what_refresh_derived_computes(fj_officer):
    created = services.seizure_create_many(
        by=fj_officer, records=[_record(fj_officer, number) for number in range(8)]
    )
    for seizure in created:
        written = _derived(seizure.pk)
        assert written[2], seizure.reference  # a search vector was written
        services._refresh_derived(Seizure.objects.get(pk=seizure.pk))
        assert _derived(seizure.pk) == written, seizure.reference


def test_each_seizure_has_the_audit_entry_a_single_create_writes(fj_officer):
    records = [_record(fj_officer, number) for number in range(6)]
    created = services.seizure_create_many(by=fj_officer, records=records)
    one_by_one = [
        services.seizure_create(by=fj_officer, values=record.values, items=record.items)
        for record in records
    ]
    entries = {
        entry.object_id: entry for entry in AuditEntry.objects.filter(action="seizure_created")
    }
    assert len(entries) == 12
    for bulk, single in zip(created, one_by_one, strict=True):
        bulk_entry, single_entry = entries[str(bulk.pk)], entries[str(single.pk)]
        assert bulk_entry.after == single_entry.after
        for name in ("actor", "administration", "object_type", "before", "reason"):
            assert getattr(bulk_entry, name) == getattr(single_entry, name), name
    sequences = sorted(entries[str(s.pk)].sequence for s in created)
    assert sequences == list(range(sequences[0], sequences[0] + 6))
    assert verify_chain()[1] is None
    call_command("audit_verify")


def test_the_checks_are_seizure_checks_for_every_record(fj_officer, samoa):
    retired = Code.objects.get(list="commodity", code="cigarettes", administration__isnull=True)
    retired.is_retired = True
    retired.save()
    bad = [
        _record(fj_officer, 1),  # cigarettes: retired
        _record(fj_officer, 2, office=OfficeFactory(administration=samoa)),
        _record(fj_officer, 4, occurred_at=timezone.now() + timedelta(days=3)),
        _record(fj_officer, 6, transit_countries=["AU", "AU"]),
        _record(fj_officer, 8, office=None),
        _record(fj_officer, 10, transport_mode=code("detection_method", "xray_scanner")),
        _record(fj_officer, 12, vessel_imo="x" * 20),
    ]
    bad[1].items[0]["unit"] = code("unit", "sticks")  # cocaine is not counted in sticks
    bad.append(services.NewSeizure(values=_record(fj_officer, 14).values, items=[]))
    good = _record(fj_officer, 0)
    with pytest.raises(services.SeizuresRefused) as refused:
        services.seizure_check_many(by=fj_officer, records=[good, *bad])
    assert sorted(refused.value.errors) == list(range(1, len(bad) + 1))
    for index, record in enumerate(bad, start=1):
        with pytest.raises(services.ValidationError) as single:
            services.seizure_check(by=fj_officer, values=record.values, items=record.items)
        assert refused.value.errors[index].message_dict == single.value.message_dict, index


def test_checking_asks_the_database_the_same_few_questions_for_any_number(
    fj_officer, django_assert_max_num_queries
):
    records = [_record(fj_officer, number) for number in range(40)]
    with django_assert_max_num_queries(8):
        services.seizure_check_many(by=fj_officer, records=records)


def test_saving_takes_the_same_queries_for_any_number(fj_officer):
    counts = []
    for size in (2, 15):
        records = [_record(fj_officer, number) for number in range(size)]
        with CaptureQueriesContext(connection) as queries:
            services.seizure_create_many(by=fj_officer, records=records)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 25


def test_an_import_refuses_a_code_retired_since_the_preview_with_row_and_column(fj_officer):
    Code.objects.filter(list="commodity", code="cigarettes").update(is_retired=True)
    with pytest.raises(ImportRefused) as refused:
        seizures_import(by=fj_officer, data=as_csv(GOOD_ROWS), file_name="x")
    assert [(e.row, e.column_label, e.message) for e in refused.value.errors] == [
        (4, "Commodity", "This entry is retired; choose a current one.")
    ]
    assert not Seizure.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.SEIZURE_CREATED).exists()


def test_a_large_batch_is_written_a_chunk_at_a_time_and_reports_each(fj_officer, monkeypatch):
    monkeypatch.setattr(services, "CREATE_MANY_CHUNK", 2)
    monkeypatch.setattr(services, "CREATE_MANY_FIRST_CHUNK", 1)
    reports = []
    created = services.seizure_create_many(
        by=fj_officer,
        records=[_record(fj_officer, number) for number in range(5)],
        progress=lambda done, total: reports.append((done, total)),
    )
    assert reports == [(1, 5), (3, 5), (5, 5)]
    saved = Seizure.objects.filter(pk__in=[s.pk for s in created]).order_by("reference_number")
    assert [s.narrative for s in saved] == [
        f"Record {n}: powder in the suitcase lining." for n in range(5)
    ]
    assert _derived(created[-1].pk)[2]
    entries = AuditEntry.objects.filter(
        action=Action.SEIZURE_CREATED, object_id__in=[str(s.pk) for s in created]
    )
    assert entries.count() == 5
    assert verify_chain()[1] is None


def test_a_record_refused_in_a_later_chunk_leaves_nothing_and_every_refusal_is_named(
    fj_officer, monkeypatch
):
    monkeypatch.setattr(services, "CREATE_MANY_CHUNK", 2)
    monkeypatch.setattr(services, "CREATE_MANY_FIRST_CHUNK", 2)
    counter = ReferenceCounter.objects.filter(administration=fj_officer.administration)
    before = list(counter.values_list("year", "last_number"))
    records = [_record(fj_officer, number) for number in range(7)]
    # Checked while the chunk before is inserted: a unit that does not fit (whose message
    # names the units that do, asked of the database) and a seizure in the future.
    records[2].items[0]["unit"] = code("unit", "sticks")  # record 2 is cocaine
    records[3].values["occurred_at"] = timezone.now() + timedelta(days=3)
    records[6].items = []  # in a chunk that would only come later
    reports = []
    with pytest.raises(services.SeizuresRefused) as refused:
        services.seizure_create_many(
            by=fj_officer, records=records, progress=lambda *done: reports.append(done)
        )
    assert sorted(refused.value.errors) == [2, 3, 6]
    for index in (2, 3, 6):
        with pytest.raises(services.ValidationError) as single:
            services.seizure_check(
                by=fj_officer, values=records[index].values, items=records[index].items
            )
        assert refused.value.errors[index].message_dict == single.value.message_dict, index
    assert reports == [(2, 7)]  # the first chunk was saved, then rolled back
    assert not Seizure.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.SEIZURE_CREATED).exists()
    assert list(counter.values_list("year", "last_number")) == before


def _varied(by, number: int) -> services.NewSeizure:
    """_record with offences, decimals of every scale and more route shapes."""
    record = _record(by, number, vessel_name=["", "Pacific Star"][number % 2])
    record.items[0]["quantity"] = [Decimal("2.0005"), Decimal("7"), Decimal("1.10")][number % 3]
    record.items[0]["estimated_value"] = [None, Decimal("1200.555"), Decimal("3")][number % 3]
    record.items[0]["currency"] = "" if number % 3 == 0 else "USD"
    record.offences = [
        {
            "legal_provision": f"Customs Act s. {number}",
            "offence_type": code("offence_type", "smuggling"),
            "status": code("offence_status", "under_investigation"),
            "penalty_amount": [None, Decimal("10.005")][number % 2],
            "penalty_currency": ["", "FJD"][number % 2],
            "committed_on": timezone.localdate() - timedelta(days=number + 1),
        }
    ][: number % 2 + (number % 3 == 2)]
    return record


SEIZURE_COLUMNS = [
    field.column
    for field in Seizure._meta.concrete_fields
    if field.name not in ("id", "uuid", "reference", "reference_number", "created_at", "updated_at")
]


def _written(seizure) -> tuple:
    """The seizure's row (the search vector without the reference's words), its items' and
    offences' rows, apart from keys, references and times."""
    columns = ", ".join(f"s.{column}" for column in SEIZURE_COLUMNS if column != "search_vector")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, ts_delete(s.search_vector,"  # noqa: S608 - constant SQL
            " tsvector_to_array(to_tsvector('simple', s.reference)))::text "
            "FROM seizures_seizure AS s WHERE s.id = %s",
            [seizure.pk],
        )
        row = cursor.fetchone()
    items = list(
        seizure.items.order_by("position").values_list(
            *(f.name for f in seizure.items.model._meta.concrete_fields if f.name != "id")
        )
    )
    offences = list(
        seizure.offences.order_by("id").values_list(
            *(f.name for f in seizure.offences.model._meta.concrete_fields if f.name != "id")
        )
    )
    # The item's and offence's seizure_id differs, and is the seizure's own.
    return (
        row,
        [item[1:] for item in items],
        [offence[1:] for offence in offences],
    )


def _rollup() -> dict:
    """The counts the readers see: the rollup's rows and the changes not compacted yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {counts.KEY}, sum(count) FROM {counts.ROLLUP} AS c GROUP BY {counts.KEY}"  # noqa: S608
        )
        return {row[:-1]: row[-1] for row in cursor.fetchall()}


def _added(before: dict, after: dict) -> dict:
    return {
        key: count - before.get(key, 0)
        for key, count in after.items()
        if count != before.get(key, 0)
    }


def test_one_by_one_and_in_bulk_the_same_records_are_written_the_same(fj_officer):
    records = [_varied(fj_officer, number) for number in range(9)]
    start = _rollup()
    bulk = services.seizure_create_many(by=fj_officer, records=records)
    middle = _rollup()
    single = [
        services.seizure_create(
            by=fj_officer, values=record.values, items=record.items, offences=record.offences
        )
        for record in records
    ]
    end = _rollup()
    assert _added(start, middle) == _added(middle, end) != {}
    entries = {e.object_id: e for e in AuditEntry.objects.filter(action="seizure_created")}
    for one, many in zip(single, bulk, strict=True):
        assert _written(one) == _written(many), one.reference
        assert entries[str(one.pk)].after == entries[str(many.pk)].after, one.reference
        # What the trail says the record was is what a read of it gives.
        saved = Seizure.objects.get(pk=many.pk)
        assert entries[str(many.pk)].after == services._snapshot(saved), many.reference
        for name in ("actor", "administration", "object_type", "before", "reason"):
            assert getattr(entries[str(one.pk)], name) == getattr(entries[str(many.pk)], name)
    # Stored alike, not only read alike: an SQL NULL, not a JSON null, where nothing was before.
    created = AuditEntry.objects.filter(action="seizure_created")
    assert created.filter(before__isnull=True, ip_address__isnull=True).count() == len(records) * 2
    # A rounded decimal is kept as PostgreSQL rounds it.
    assert entries[str(bulk[0].pk)].after["items"][0]["quantity"] == "2.001"
    assert entries[str(bulk[1].pk)].after["items"][0]["estimated_value"] == "1200.56"
    assert entries[str(bulk[1].pk)].after["offences"][0]["penalty_amount"] == "10.01"
    for seizure in bulk:
        written = _derived(seizure.pk)
        services._refresh_derived(Seizure.objects.get(pk=seizure.pk))
        assert _derived(seizure.pk) == written, seizure.reference
    call_command("audit_verify")


def test_the_checked_seizures_hold_what_seizure_check_cleans(fj_officer):
    records = [_varied(fj_officer, number) for number in range(7)]
    records[4].values["vessel_imo"] = ""
    checked = services.seizure_check_many(by=fj_officer, records=records)
    for seizure, record in zip(checked, records, strict=True):
        single = services.seizure_check(
            by=fj_officer, values=record.values, items=record.items, offences=record.offences
        )
        for field in Seizure._meta.concrete_fields:
            if field.name != "uuid":
                assert field.value_from_object(seizure) == field.value_from_object(single), (
                    field.name
                )
    # Values cleaned once per value are not shared between seizures.
    checked[0].transit_countries.append("XX")
    assert checked[3].transit_countries == records[3].values["transit_countries"]


def test_an_insert_refused_by_postgresql_in_pipeline_mode_raises_and_saves_nothing(fj_officer):
    from django.db import IntegrityError, transaction

    first = make_seizure(by=fj_officer)
    # The counter set back: the next number is the first seizure's, which the table refuses.
    ReferenceCounter.objects.filter(administration=fj_officer.administration).update(
        last_number=first.reference_number - 1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        services.seizure_create_many(
            by=fj_officer, records=[_record(fj_officer, number) for number in range(3)]
        )
    assert list(Seizure.objects.values_list("pk", flat=True)) == [first.pk]
    assert AuditEntry.objects.filter(action=Action.SEIZURE_CREATED).count() == 1


def test_a_failure_while_the_insert_runs_takes_everything_back(fj_officer, monkeypatch):
    from django.db import transaction

    def fail(*args, **kwargs):
        raise RuntimeError("snapshot")

    monkeypatch.setattr(services, "_snapshot", fail)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.seizure_create_many(
            by=fj_officer, records=[_record(fj_officer, number) for number in range(3)]
        )
    assert not Seizure.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.SEIZURE_CREATED).exists()
