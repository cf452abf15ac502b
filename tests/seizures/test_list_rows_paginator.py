"""The list API's and list page's paginator (selectors.ListRowsPaginator) compiles the
filtered query's WHERE once and sends it inside statements the ORM wrote once per process:
its count and rows must be those the ORM gives for the same query, page by page."""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ncen.paginator import CappedPaginator
from seizures import selectors
from seizures.filters import SeizureFilterSet

from ..factories import code, make_seizure

pytestmark = pytest.mark.django_db


class OrmPaginator(CappedPaginator):
    """What ListRowsPaginator did before: the ORM builds and compiles both statements."""

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(object_list.list_rows(), number, paginator)


@pytest.fixture
def seven_seizures(fj_officer):
    days = (5, 1, 3, 3, 7, 2, 6)
    for position, day in enumerate(days):
        make_seizure(
            by=fj_officer,
            occurred_at=datetime(2026, 3, day, 6, tzinfo=UTC),
            destination_country="NZ" if position % 2 else "FJ",
            detection_method=None if position == 3 else code("detection_method", "xray_scanner"),
        )


def _filtered(user, query):
    return SeizureFilterSet(
        query, queryset=selectors.seizure_list_plain(user=user), request_user=user
    ).matching()


def _pages(paginator) -> str:
    """Every page's rows, the count and the number of pages, as their repr: the values,
    their types and the dates' time zones."""
    pages = [(number, list(paginator.page(number))) for number in paginator.page_range]
    count = ("count", paginator.count, paginator.count_is_exact, paginator.num_pages)
    return repr([*pages, count])


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"destination_country": "NZ"},
        {"detection_method": "x"},  # invalid: nothing matches, and no statement is sent
        {"ordering": "reference"},
        {"ordering": "-occurred_at"},
        {"ordering": "occurred_at", "occurred_from": "2026-03-03"},
        {"ordering": "-updated_at", "destination_country": "FJ"},
        {"occurred_to": "2026-03-01"},
        {"q": "suitcase"},
        {"imported": "00000000-0000-0000-0000-000000000000"},
    ],
)
def test_the_count_and_pages_are_the_orms(fj_officer, seven_seizures, monkeypatch, query):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    with timezone.override(zoneinfo.ZoneInfo(fj_officer.administration.time_zone)):
        if query.get("detection_method") == "x":
            with CaptureQueriesContext(connection) as captured:
                paginator = selectors.ListRowsPaginator(_filtered(fj_officer, query), 2)
                assert (paginator.count, list(paginator.page(1))) == (0, [])
            assert len(captured) == 0
        for per_page in (2, 3, 50):
            expected = _pages(OrmPaginator(_filtered(fj_officer, query), per_page))
            assert _pages(selectors.ListRowsPaginator(_filtered(fj_officer, query), per_page)) == (
                expected
            )


@pytest.mark.parametrize(
    "query",
    [
        {"ordering": "reference"},
        {"office": "office", "detection_method": "detection", "transport_mode": "transport"},
        {"detection_method": "detection", "q": "suitcase", "ordering": "-created_at"},
        {"occurred_from": "2026-03-02", "destination_country": "NZ", "ordering": "occurred_at"},
    ],
)
def test_the_statements_are_the_orms(fj_officer, seven_seizures, query):
    """The same statements to the byte, joins the filters left behind included."""
    seizure = selectors.seizure_list_plain(user=fj_officer).first()
    values = {
        "office": seizure.office_id,
        "detection": seizure.detection_method_id,
        "transport": seizure.transport_mode_id,
    }
    query = {name: values.get(value, value) for name, value in query.items()}

    def sent(paginator_class) -> list[str]:
        paginator = paginator_class(_filtered(fj_officer, query), 2)
        with CaptureQueriesContext(connection) as captured:
            list(paginator.page(1))
        return [each["sql"] for each in captured if "seizures_seizure" in each["sql"]]

    statements = sent(selectors.ListRowsPaginator)
    assert len(statements) == 2
    assert statements == sent(OrmPaginator)


def test_writing_the_statements_sends_nothing(fj_officer, seven_seizures):
    # Written the first time they are needed: the query log shows only what was sent.
    selectors._count_around_where.cache_clear()
    selectors._ROWS_AROUND_WHERE.clear()
    with CaptureQueriesContext(connection) as captured:
        paginator = selectors.ListRowsPaginator(_filtered(fj_officer, {}), 2)
        rows = list(paginator.page(1))
    assert [query["sql"].split()[:2] for query in captured] == [
        ["SELECT", "COUNT(*)"],
        ["SELECT", '"seizures_seizure"."id"'],
    ]
    assert len(rows) == 2


def test_any_other_query_goes_through_the_orm(fj_officer, seven_seizures):
    # An annotation, or a filter on a joined table, is not what the statements written
    # around the WHERE assume: the ORM counts and reads those as a whole.
    for queryset in (
        _filtered(fj_officer, {}).annotate(one=Value(1)),
        _filtered(fj_officer, {}).filter(office__code__startswith="FJ"),
    ):
        paginator = selectors.ListRowsPaginator(queryset, 2)
        assert paginator._where is None
        assert _pages(paginator) == _pages(OrmPaginator(queryset, 2))


@pytest.mark.parametrize(
    "query",
    [{}, {"destination_country": "NZ"}, {"occurred_from": "2026-03-03"}, {"detection_method": "x"}],
)
def test_the_feeds_rows_are_the_orms(fj_officer, seven_seizures, query):
    """The feed iterates seizure_list_rows, filtered, ordered and sliced by its cursor: the
    rows and statements of the same query's list_rows()."""

    def feed_page(queryset):
        queryset = SeizureFilterSet(query, queryset=queryset, request_user=fj_officer).matching()
        queryset = queryset.order_by("-occurred_at", "-id")
        return queryset.filter(occurred_at__lt=datetime(2026, 3, 7, tzinfo=UTC))[1:4]

    def read(queryset) -> tuple[list, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            rows = list(queryset)
        return rows, [each["sql"] for each in captured]

    rows, statements = read(feed_page(selectors.seizure_list_rows(user=fj_officer)))
    orm_rows, orm_statements = read(
        feed_page(selectors.seizure_list_plain(user=fj_officer)).list_rows()
    )
    assert (repr(rows), statements) == (repr(orm_rows), orm_statements)
    assert len(statements) == (0 if "detection_method" in query else 1)
    if not query:
        assert [row["occurred_at"].day for row in rows] == [5, 3, 3]
    unsliced = selectors.seizure_list_rows(user=fj_officer)
    assert repr(list(unsliced)) == repr(
        list(selectors.seizure_list_plain(user=fj_officer).list_rows())
    )
    assert unsliced.count() == 7
