"""The rollup (analysis.counts): the filters it answers, and that it gives the same figures
as counting the seizures after every kind of write, including concurrent ones, whether or
not the writers' changes have been compacted into it."""

import io
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from analysis import counts, stats
from analysis.models import CountsOutdated, SeizureCountChange
from ncen.models import Administration
from seizures import services
from seizures.filters import SeizureFilterSet
from seizures.models import Code, Seizure
from seizures.selectors import seizure_list

from ..factories import OfficeFactory, code, make_seizure, make_seizures, submit_and_approve
from .conftest import _items

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fiji_time():
    with timezone.override("Pacific/Fiji"):
        yield


def _seizures(user, **query):
    filterset = SeizureFilterSet(
        {name: str(value) for name, value in query.items()} or None,
        queryset=seizure_list(user=user),
        request_user=user,
    )
    return filterset.matching()


def _figures(seizures) -> dict:
    groups = list(
        Code.objects.filter(list="commodity", parent__isnull=True).values_list("pk", flat=True)
    )
    figures = {
        f"{period} by {split}": stats.over_time(
            seizures, period=period, split=split, commodities=groups
        )
        for period in stats.PERIODS
        for split in stats.SPLITS
    }
    figures["routes"] = stats.top_routes(seizures)
    figures["top 2 routes"] = stats.top_routes(seizures, limit=2)
    figures["sources"] = stats.source_countries(seizures)
    figures["route countries"] = stats.route_countries(seizures)
    figures["detection"] = stats.detection_methods(seizures)
    return figures


def _both_ways(seizures, monkeypatch, *, rollup_current: bool = True) -> tuple[dict, dict]:
    """Every figure from the rollup, then from the seizures. While the rollup is current,
    the first are read with the seizures' own queries out of reach, so that a rollup that
    did not answer fails here rather than counting the seizures twice."""
    assert counts.answerable(seizures) is not None
    with monkeypatch.context() as patched:
        if rollup_current:
            patched.setattr(stats, "_commodities_over_time", None)
            patched.setattr(stats, "_plain", None)
        from_rollup = _figures(seizures)
    with monkeypatch.context() as patched:
        patched.setattr(counts, "answerable", lambda seizures: None)
        from_seizures = _figures(seizures)
    return from_rollup, from_seizures


def _rollup() -> set[tuple]:
    """Every count the readers see: the rollup's rows and the changes not compacted yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {counts.KEY}, sum(count) FROM {counts.ROLLUP} AS c "  # noqa: S608
            f"GROUP BY {counts.KEY} HAVING sum(count) <> 0"
        )
        return set(cursor.fetchall())


def _compacted() -> set[tuple]:
    """The rollup's own rows, without the changes."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {counts.KEY}, count FROM analysis_seizurecount WHERE count <> 0"  # noqa: S608
        )
        return set(cursor.fetchall())


def _counted_again() -> set[tuple]:
    """What rebuild would write for every administration, without writing it."""
    found = set()
    with connection.cursor() as cursor:
        for administration in Administration.objects.all():
            cursor.execute(counts.COUNTED, [administration.pk])
            found |= set(cursor.fetchall())
    return found


def assert_rollup_current():
    assert _rollup() == _counted_again()


def _months_by_office(administration) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('month', occurred_at AT TIME ZONE %s)::date, office_id, count(*) "
            "FROM seizures_seizure WHERE administration_id = %s GROUP BY 1, 2",
            [administration.time_zone, administration.pk],
        )
        return set(cursor.fetchall())


def _filters(user, nadi) -> list[dict]:
    drugs, cocaine = code("commodity", "drugs"), code("commodity", "cocaine")
    return [
        {},
        {"commodity": drugs.pk},
        {"commodity": cocaine.pk, "occurred_from": "2025-11-20"},
        {"office": nadi.pk},
        {"office": nadi.pk, "occurred_from": "2025-12-01", "occurred_to": "2026-01-31"},
        {"occurred_to": "2025-12-05"},
    ]


def test_the_rollup_answers_dates_office_and_commodity_and_nothing_else(fj_officer, ws_officer):
    drugs = code("commodity", "drugs")
    answered = counts.answerable(
        _seizures(
            fj_officer,
            commodity=drugs.pk,
            office=fj_officer.office.pk,
            occurred_from="2026-01-01",
            occurred_to="2026-01-31",
        )
    )
    assert answered == counts.CountFilter(
        administration_id=fj_officer.administration_id,
        first_day=date(2026, 1, 1),
        end_day=date(2026, 2, 1),
        office_id=fj_officer.office.pk,
        commodity_id=drugs.pk,
    )
    assert counts.answerable(_seizures(ws_officer)) == counts.CountFilter(
        administration_id=ws_officer.administration_id
    )
    # Anything else is counted over the seizures.
    for query in (
        {"q": "cocaine"},
        {"detection_method": code("detection_method", "xray_scanner").pk},
        {"transport_mode": code("transport_mode", "postal").pk},
        {"route_country": "AU"},
        {"origin_country": "PE"},
        {"status": "approved"},
    ):
        assert counts.answerable(_seizures(fj_officer, **query)) is None, query
    visible = Seizure.objects.visible_to(fj_officer)
    not_midnight = datetime(2026, 1, 1, 13, tzinfo=UTC)
    assert counts.answerable(visible.filter(occurred_at__gte=not_midnight)) is None
    assert counts.answerable(visible.filter(occurred_at__lte=not_midnight)) is None
    assert counts.answerable(visible.exclude(office=fj_officer.office)) is None
    assert counts.answerable(visible.filter(office__name="Suva")) is None
    assert counts.answerable(visible.filter(commodity_ids__contains=[1, 2])) is None
    assert counts.answerable(Seizure.objects.all()) is None
    assert counts.answerable(Seizure.objects.visible_to(None)) is None
    # A bulletin's month, built without the FilterSet, is answered too.
    january = timezone.make_aware(datetime(2026, 1, 1))
    answered = counts.answerable(
        visible.filter(occurred_at__gte=january, occurred_at__lt=january + timedelta(days=31))
    )
    assert (answered.first_day, answered.end_day) == (date(2026, 1, 1), date(2026, 2, 1))


def test_both_ways_give_the_same_figures_after_creates_edits_and_withdrawals(
    records, fj_officer, fj_supervisor, monkeypatch
):
    nadi = OfficeFactory(administration=fj_officer.administration, name="Nadi Port")

    def check():
        assert_rollup_current()
        for query in _filters(fj_officer, nadi):
            from_rollup, from_seizures = _both_ways(_seizures(fj_officer, **query), monkeypatch)
            assert from_rollup == from_seizures, query
        # And against the database's own count of the seizures, by month and office.
        by_office = stats.over_time(_seizures(fj_officer), period="month", split="office")
        assert {(row.start, row.key, row.count) for row in by_office} == _months_by_office(
            fj_officer.administration
        )

    check()
    seizure = make_seizure(
        by=fj_officer,
        items=_items("cocaine", "cocaine", "methamphetamine"),
        occurred_at=datetime(2025, 12, 31, 12, 30, tzinfo=UTC),  # 1 January in Fiji
        office=nadi,
        origin_country="PE",
        departure_country="PE",
        transit_countries=["AU"],
        destination_country="FJ",
    )
    check()
    # An edit of what is counted: the day, office, codes, route and items.
    seizure = services.seizure_update(
        by=fj_officer,
        seizure=seizure,
        expected_version=seizure.version,
        values={
            "occurred_at": datetime(2025, 11, 20, 3, tzinfo=UTC),
            "office": fj_officer.office,
            "detection_method": code("detection_method", "detector_dog"),
            "transport_mode": code("transport_mode", "postal"),
            "concealment_method": code("concealment_method", "cargo"),
            "origin_country": "CN",
            "departure_country": "HK",
            "transit_countries": [],
            "destination_country": "AU",
        },
        items=_items("cigarettes", "cannabis_herbal"),
    )
    check()
    # Submit, approve, edit the approved record, withdraw: statuses are not counted.
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    seizure.refresh_from_db()
    seizure = services.seizure_update(
        by=fj_officer,
        seizure=seizure,
        expected_version=seizure.version,
        values={"office": nadi},
    )
    check()
    services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Entered twice.")
    check()


def test_both_ways_agree_after_a_bulk_import_and_deletes(records, fj_officer, monkeypatch):
    nadi = OfficeFactory(administration=fj_officer.administration, name="Nadi Port")
    make_seizures(
        by=fj_officer,
        count=30,
        office=nadi,
        occurred_at=datetime(2025, 12, 14, 11, 59, tzinfo=UTC),  # midnight in Fiji
        origin_country="CN",
    )
    assert_rollup_current()
    # No service deletes a seizure; the Django admin or a database console may.
    Seizure.objects.filter(pk__in=Seizure.objects.filter(office=nadi).values("pk")[:10]).delete()
    assert_rollup_current()
    for query in _filters(fj_officer, nadi):
        from_rollup, from_seizures = _both_ways(_seizures(fj_officer, **query), monkeypatch)
        assert from_rollup == from_seizures, query
    assert sum(row.count for row in stats.detection_methods(_seizures(fj_officer))) == (
        Seizure.objects.filter(administration=fj_officer.administration).count()
    )


def test_a_time_zone_change_reads_the_seizures_until_the_rollup_is_rebuilt(
    records, fj_officer, monkeypatch
):
    fiji = fj_officer.administration
    before = _figures(_seizures(fj_officer))
    fiji.time_zone = "Pacific/Honolulu"
    fiji.save()
    assert CountsOutdated.objects.filter(administration=fiji).exists()
    with timezone.override("Pacific/Honolulu"):
        seizures = _seizures(fj_officer)
        from_rollup, from_seizures = _both_ways(seizures, monkeypatch, rollup_current=False)
        assert from_rollup == from_seizures  # both counted the seizures
        assert from_rollup != before  # 31 January 13:00 UTC is now in January
        out = io.StringIO()
        call_command("rebuild_seizure_counts", stdout=out)
        assert "FJ" in out.getvalue()
        assert not CountsOutdated.objects.exists()
        assert_rollup_current()
        with monkeypatch.context() as patched:
            # Only the rollup answers now.
            patched.setattr(stats, "_commodities_over_time", None)
            patched.setattr(stats, "_plain", None)
            assert _figures(seizures) == from_seizures
    # In another time zone than the administration's, the seizures answer.
    with timezone.override("UTC"):
        from_rollup, from_seizures = _both_ways(
            _seizures(fj_officer), monkeypatch, rollup_current=False
        )
        assert from_rollup == from_seizures


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_neither_lose_a_count_nor_deadlock(fj_officer, monkeypatch):
    day = datetime(2026, 3, 2, 1, tzinfo=UTC)
    seizures = [
        make_seizure(by=fj_officer, items=_items("cocaine"), occurred_at=day + timedelta(minutes=n))
        for n in range(12)
    ]
    errors = []
    start = threading.Barrier(4)

    def edit(mine):
        try:
            start.wait()
            for seizure in mine:
                services.seizure_update(
                    by=fj_officer,
                    seizure=seizure,
                    expected_version=seizure.version,
                    values={"transport_mode": code("transport_mode", "postal")},
                    items=_items("cigarettes", "cocaine"),
                )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def create():
        try:
            start.wait()
            make_seizures(by=fj_officer, count=20, occurred_at=day)
            make_seizure(by=fj_officer, items=_items("cigarettes"), occurred_at=day)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(seizures[n::3],)) for n in range(3)]
    threads.append(threading.Thread(target=create))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_rollup_current()
    from_rollup, from_seizures = _both_ways(_seizures(fj_officer), monkeypatch)
    assert from_rollup == from_seizures
    assert sum(row.count for row in from_rollup["detection"]) == 33


def test_a_compaction_moves_the_changes_into_the_rollup_and_changes_no_figure(
    records, fj_officer, monkeypatch
):
    nadi = OfficeFactory(administration=fj_officer.administration, name="Nadi Port")
    # Changes of every kind, none compacted yet: the records' creates, a bulk create, an
    # edit of what is counted, and deletes.
    make_seizures(by=fj_officer, count=4, office=nadi, origin_country="CN")
    seizure = Seizure.objects.filter(administration=fj_officer.administration).first()
    services.seizure_update(
        by=fj_officer,
        seizure=seizure,
        expected_version=seizure.version,
        values={"office": nadi, "transport_mode": code("transport_mode", "postal")},
        items=_items("cigarettes"),
    )
    Seizure.objects.filter(pk__in=Seizure.objects.filter(office=nadi).values("pk")[:2]).delete()
    pending = SeizureCountChange.objects.count()
    assert pending > 0
    assert _compacted() != _counted_again()
    before = {}
    for query in _filters(fj_officer, nadi):
        from_rollup, from_seizures = _both_ways(_seizures(fj_officer, **query), monkeypatch)
        assert from_rollup == from_seizures, query
        before[str(query)] = from_rollup

    done = counts.compact()

    assert done.changes == pending
    assert done.rows > 0
    assert not SeizureCountChange.objects.exists()
    assert _compacted() == _counted_again()  # the rollup's own rows now hold every count
    assert_rollup_current()
    for query in _filters(fj_officer, nadi):
        from_rollup, from_seizures = _both_ways(_seizures(fj_officer, **query), monkeypatch)
        assert from_rollup == from_seizures == before[str(query)], query
    assert counts.compact() == counts.Compaction(changes=0, rows=0)


def test_a_write_that_changes_no_count_appends_no_change(records, fj_officer, fj_supervisor):
    seizure = Seizure.objects.filter(administration=fj_officer.administration).first()
    counts.compact()
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    assert not SeizureCountChange.objects.exists()


def test_a_compaction_is_skipped_while_another_holds_the_lock(records):
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [counts._COMPACTION_LOCK_KEY])
        assert counts.compact() is None
        assert SeizureCountChange.objects.exists()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [counts._COMPACTION_LOCK_KEY])
    finally:
        other.close()
    assert counts.compact().changes > 0


def test_a_rebuild_replaces_the_administrations_changes_and_keeps_the_others(
    records, fj_officer, ws_officer
):
    fiji, samoa = fj_officer.administration, ws_officer.administration
    assert SeizureCountChange.objects.filter(administration=fiji).exists()
    samoas = set(SeizureCountChange.objects.filter(administration=samoa).values_list("pk"))
    assert samoas
    counts.rebuild(administration=fiji)
    assert not SeizureCountChange.objects.filter(administration=fiji).exists()
    assert set(SeizureCountChange.objects.values_list("pk")) == samoas
    assert_rollup_current()


@pytest.mark.django_db(transaction=True)
def test_compactions_among_concurrent_writers_neither_lose_nor_double_a_count(fj_officer):
    day = datetime(2026, 3, 2, 1, tzinfo=UTC)
    seizures = [
        make_seizure(by=fj_officer, items=_items("cocaine"), occurred_at=day + timedelta(minutes=n))
        for n in range(12)
    ]
    errors, compactions = [], []
    start = threading.Barrier(6)
    writers_done = threading.Event()

    def edit(mine):
        try:
            start.wait()
            for seizure in mine:
                seizure = services.seizure_update(
                    by=fj_officer,
                    seizure=seizure,
                    expected_version=seizure.version,
                    values={"transport_mode": code("transport_mode", "postal")},
                    items=_items("cigarettes", "cocaine"),
                )
                services.seizure_update(
                    by=fj_officer,
                    seizure=seizure,
                    expected_version=seizure.version,
                    values={"occurred_at": day + timedelta(days=1)},
                )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def create():
        try:
            start.wait()
            for _ in range(4):
                made = make_seizures(by=fj_officer, count=10, occurred_at=day)
                Seizure.objects.filter(pk=made[0].pk).delete()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def compact():
        try:
            start.wait()
            while not writers_done.is_set():
                compactions.append(counts.compact())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    writers = [threading.Thread(target=edit, args=(seizures[n::3],)) for n in range(3)]
    writers.append(threading.Thread(target=create))
    compactors = [threading.Thread(target=compact) for _ in range(2)]
    for thread in writers + compactors:
        thread.start()
    for thread in writers:
        thread.join()
    writers_done.set()
    for thread in compactors:
        thread.join()
    assert errors == []
    # Some compactions folded changes while the writers wrote.
    assert sum(done.changes for done in compactions if done is not None) > 0
    assert_rollup_current()
    counts.compact()
    assert not SeizureCountChange.objects.exists()
    assert _compacted() == _counted_again()
    assert Seizure.objects.count() == 12 + 36
