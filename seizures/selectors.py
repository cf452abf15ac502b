"""Every read of seizures goes through ``visible_to``; filtering is the FilterSet's job."""

import functools
from datetime import UTC
from functools import cached_property
from typing import NamedTuple

import psycopg
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, connections
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import BaseIterable
from django.shortcuts import get_object_or_404

from exchange.models import Message, OutboxEntry, SharingDecision
from exchange.payload import (
    PayloadInputs,
    payload_bytes,
    seizure_payload,
)
from exchange.selectors import sharing_policy
from ncen.models import AuditEntry, Role
from ncen.paginator import CappedPaginator

from .models import Approval, Code, Item, Offence, Seizure
from .querysets import ITEM_COLUMNS, LIST_COLUMNS
from .snapshots import payload_record


def seizure_list(*, user) -> QuerySet[Seizure]:
    return Seizure.objects.visible_to(user).with_list_relations()


def seizure_list_rows(*, user) -> QuerySet[dict]:
    """seizure_list as plain rows (``SeizureQuerySet.list_rows``), for the API's feed: the
    seizures' own query, filtered, ordered and sliced as any, whose iteration reads the rows
    as ListRowsPaginator reads a page (ListRowsIterable)."""
    rows = Seizure.objects.visible_to(user)
    rows._iterable_class = ListRowsIterable
    return rows


def seizure_list_plain(*, user) -> QuerySet[Seizure]:
    """The seizures ``user`` may see, with nothing joined: what the API's numbered list
    filters and counts before it reads its page as plain rows. Counted as rows, the query
    would join the office, which keeps PostgreSQL from counting in the list index alone
    (bench/README.md)."""
    return Seizure.objects.visible_to(user)


class ListRowsPaginator(CappedPaginator):
    """Counts the seizures a list's query matches (``seizure_list_plain``, filtered), then
    reads the page's seizures as plain rows (``SeizureQuerySet.list_rows``): the list API's
    and the list page's.

    The filtered query's WHERE is compiled once, for both statements; what surrounds it (the
    count, the rows' columns, joins and order) is the ORM's own statement, written once per
    process (``_count_around_where``, ``_rows_around_where``). Building and compiling both
    whole statements again for each request was about a fifth of a list request's CPU
    (bench/README.md). A query with more to it than filters on the seizures' own columns is
    counted and read by the ORM, as before."""

    @cached_property
    def _where(self) -> tuple[str, list] | None:
        # The count written around the WHERE is of the whole query, not of a slice of it.
        if self.object_list.query.is_sliced:
            return None
        return _compiled_where(self.object_list)

    @cached_property
    def _counted(self) -> int:
        if self._where is None:
            return super()._counted
        if self._where is _NOTHING:
            return 0
        sql, params = self._where
        with connections[self.object_list.db].cursor() as cursor:
            cursor.execute(_count_around_where(self.cap).sql(sql), params)
            return cursor.fetchone()[0]

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(_list_rows(object_list, self._where), number, paginator)


class ListRowsIterable(BaseIterable):
    """What iterating a seizures' query gives when it is read as plain rows: ``list_rows``
    of the query, read as ListRowsPaginator reads a page."""

    def __iter__(self):
        return iter(_list_rows(self.queryset, _compiled_where(self.queryset)))


def _list_rows(queryset: QuerySet[Seizure], where: tuple[str, list] | None) -> list[dict]:
    """``queryset.list_rows()``, given its WHERE compiled (``_compiled_where``)."""
    if where is None:
        return list(queryset.list_rows())
    if where is _NOTHING:
        return []
    query, (sql, params) = queryset.query, where
    db = connections[queryset.db]
    statement = _rows_around_where(queryset).sql(sql)
    if query.is_sliced:
        statement = f"{statement} {db.ops.limit_offset_sql(query.low_mark, query.high_mark)}"
    with db.cursor() as cursor:
        if db.timezone is UTC:
            # psycopg's own timestamptz loader (C): Django's subclasses the Python one to
            # put the connection's time zone on each value, which in UTC is what psycopg
            # gives already. A page's 150 dates: 0.36 ms less (bench/README.md).
            cursor.cursor.adapters.register_loader("timestamptz", _TIMESTAMPTZ_LOADER)
        cursor.execute(statement, params)
        return [dict(zip(LIST_COLUMNS, values, strict=True)) for values in cursor]


_TIMESTAMPTZ_LOADER = psycopg.adapters.get_loader(
    psycopg.adapters.types["timestamptz"].oid, psycopg.pq.Format.TEXT
)


# What _compiled_where gives for a query that matches nothing (none(), an invalid filter):
# the ORM sends no statement then, and neither does the paginator.
_NOTHING = ("", [])


def _compiled_where(queryset: QuerySet[Seizure]) -> tuple[str, list] | None:
    """``queryset``'s WHERE compiled, when everything else about it is what the statements
    around it assume: seizures filtered on their own columns (joins the ORM set up and then
    trimmed stay unreferenced), ordered by field names, with nothing selected, annotated
    or grouped (a slice is read as LIMIT and OFFSET). None otherwise."""
    query = queryset.query
    if (
        query.model is not Seizure
        or query.annotations
        or query.extra
        or query.extra_order_by
        or query.values_select
        or query.select
        or query.select_related
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or query.select_for_update
        or query.deferred_loading != (frozenset(), True)
        or not all(isinstance(field, str) for field in query.order_by)
        or any(query.alias_refcount[alias] for alias in list(query.alias_map)[1:])
    ):
        return None
    try:
        return query.get_compiler(queryset.db).compile(query.where)
    except EmptyResultSet:
        return _NOTHING
    except FullResultSet:
        return None


class _AroundWhere(NamedTuple):
    before: str
    after: str

    def sql(self, where: str) -> str:
        return f"{self.before}{where}{self.after}"


def _marked() -> tuple[QuerySet[Seizure], str]:
    """Seizures filtered by a mark, and the WHERE the mark compiles to."""
    marked = Seizure.objects.filter(RawSQL("ncen_where", (), output_field=BooleanField()))
    mark, _params = marked.query.get_compiler(marked.db).compile(marked.query.where)
    return marked, mark


def _split(sql: str, params, mark: str) -> _AroundWhere:
    if params:
        raise ValueError(f"Parameters outside the WHERE: {params!r}")
    before, after = sql.split(mark)
    return _AroundWhere(before, after)


class _Written(Exception):
    """Carries the statement the ORM was about to send out of the execute wrapper."""


def _refuse_to_send(execute, sql, params, many, context):
    raise _Written(sql, params)


@functools.cache
def _count_around_where(cap: int) -> _AroundWhere:
    """The statement of CappedPaginator's count (of at most ``cap`` + 1 seizures). The ORM
    writes a count only on its way to sending it: it is stopped before it does."""
    marked, mark = _marked()
    logged = connection.queries_logged
    with connection.execute_wrapper(_refuse_to_send):
        try:
            marked.order_by()[: cap + 1].count()
        except _Written as written:
            sql, params = written.args
    if logged:
        # The query log (DEBUG, assertNumQueries) took it down as sent; it was not.
        connection.queries_log.pop()
    return _split(sql, params, mark)


# Statements of a page's rows by what shapes them besides the WHERE (_rows_shape).
_ROWS_AROUND_WHERE: dict[tuple, _AroundWhere] = {}


def _rows_shape(query) -> tuple:
    """What the ORM's statement for ``query``'s rows depends on besides its WHERE and limits:
    its order, and the joins its filters set up and trimmed, which the rows' joins reuse
    (and whose count numbers the aliases of the others)."""
    joins = tuple(
        (alias, join.table_name, getattr(join, "join_field", None), join.join_type)
        for alias, join in query.alias_map.items()
    )
    return (joins, tuple(query.order_by), query.default_ordering, query.standard_ordering)


def _rows_around_where(queryset: QuerySet[Seizure]) -> _AroundWhere:
    """The statement of the page's plain rows (``list_rows``) of ``queryset`` (filtered and
    sliced), without its LIMIT and OFFSET: the ORM's, for the same query with a mark for its
    WHERE, written once per shape of query."""
    shape = _rows_shape(queryset.query)
    statement = _ROWS_AROUND_WHERE.get(shape)
    if statement is None:
        marked, mark = _marked()
        rows = queryset.all()
        rows.query.where = marked.query.where
        rows.query.clear_limits()
        statement = _split(*rows.list_rows().query.sql_with_params(), mark)
        _ROWS_AROUND_WHERE[shape] = statement
    return statement


def seizure_list_items(*, rows) -> dict[int, list[dict]]:
    """The items of ``rows`` read by seizure_list_rows (so visible to whoever asked), as rows
    in their order, by seizure id: one query, as the prefetch of ``with_list_relations``."""
    items = {row["id"]: [] for row in rows}
    if not items:
        return items
    with connection.cursor() as cursor:
        cursor.execute(_items_of_seizures(), [list(items)])
        for values in cursor.fetchall():
            item = dict(zip(ITEM_COLUMNS, values, strict=True))
            items[item["seizure_id"]].append(item)
    return items


@functools.cache
def _items_of_seizures() -> str:
    """The SQL the ORM writes for the items of some seizures, their codes joined, in their
    order, with the seizures' ids as one array parameter: the statement never changes, and
    building and compiling it was two thirds of reading a page's items (bench/README.md).
    Its columns are ITEM_COLUMNS, none of which the ORM converts from what psycopg gives
    (tests/seizures/test_api_list_rows.py compares the rows with the ORM's)."""
    queryset = Item.objects.filter(
        RawSQL(
            '"seizures_item"."seizure_id" = ANY(%s::bigint[])', ([],), output_field=BooleanField()
        )
    ).values(*ITEM_COLUMNS)
    sql, _params = queryset.query.sql_with_params()
    return sql


def seizure_get(*, user, pk: int) -> Seizure:
    """The seizure if ``user`` may see it; 404 otherwise, so that other administrations'
    ids are not confirmed."""
    return get_object_or_404(Seizure.objects.visible_to(user).with_detail_relations(), pk=pk)


def seizure_history(*, seizure: Seizure) -> QuerySet[AuditEntry]:
    """The record's audit entries, oldest first (the caller has already seen the record)."""
    return AuditEntry.objects.filter(
        object_type=seizure._meta.label_lower, object_id=str(seizure.pk)
    ).order_by("sequence")


def review_queue(*, user) -> QuerySet[Seizure]:
    """Records waiting for review in the supervisor's administration, the oldest first."""
    if user.role != Role.SUPERVISOR:
        return Seizure.objects.none()
    return (
        Seizure.objects.visible_to(user)
        .review_queue()
        .with_list_relations()
        .select_related("created_by")
    )


def review_queue_count(*, user) -> int:
    if user.role != Role.SUPERVISOR:
        return 0
    return Seizure.objects.visible_to(user).review_queue().count()


def returned_to(*, user) -> QuerySet[Seizure]:
    """The user's drafts that a supervisor returned, the latest returned first."""
    return (
        Seizure.objects.visible_to(user)
        .filter(created_by=user, status=Seizure.Status.DRAFT, returned_at__isnull=False)
        .with_list_relations()
        .order_by("-returned_at", "-id")
    )


def next_approval_number(*, seizure: Seizure) -> int:
    """The number the next approval of ``seizure`` will carry: 1, then 2, ..."""
    return seizure.approvals.count() + 1


def sharing_preview(
    *, seizure: Seizure, decision: SharingDecision, number: int | None = None
) -> dict[str, bytes]:
    """For each destination of ``decision``, the bytes that approving ``seizure`` (loaded
    by seizure_get) with it would send: the same function and serialisation as the exchange,
    over the same inputs an approval freezes. ``number``: the approval's number
    (next_approval_number), when the caller has already counted it."""
    policy = sharing_policy(administration=seizure.administration)
    inputs = PayloadInputs(
        version=number if number is not None else next_approval_number(seizure=seizure),
        record=payload_record(seizure),
        decision=decision,
        regional_fields=frozenset(policy.regional_fields),
    )
    return {
        destination: payload_bytes(seizure_payload(inputs=inputs, destination=destination))
        for destination in decision.destinations
    }


def approval_payload(*, approval: Approval, destination: str) -> bytes:
    """What the exchange sends for an approval, computed again from what it froze."""
    return payload_bytes(seizure_payload(inputs=approval.payload_inputs(), destination=destination))


def withdrawal_payloads(*, user, seizure: Seizure) -> dict[str, bytes]:
    """What a withdrawn record's destinations are told to drop, as its outbox holds it:
    every destination it was ever sent to, not only its last approval's
    (``exchange.outbox.outbox_add_withdrawal``). ``seizure`` comes from seizure_get."""
    if seizure.status != Seizure.Status.WITHDRAWN:
        return {}
    entries = (
        OutboxEntry.objects.visible_to(user)
        .filter(seizure=seizure, message=Message.WITHDRAWAL)
        .order_by("id")
        .values_list("destination", "payload")
    )
    return {destination: bytes(payload) for destination, payload in entries}


def offence_list(*, user) -> QuerySet[Offence]:
    return Offence.objects.visible_to(user).select_related("seizure", "offence_type", "status")


def code_list(*, user) -> QuerySet[Code]:
    return Code.objects.visible_to(user).select_related("parent").prefetch_related("units")
