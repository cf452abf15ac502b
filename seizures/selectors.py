"""Every read of seizures goes through ``visible_to``; filtering is the FilterSet's job."""

import functools

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
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
from .querysets import ITEM_COLUMNS
from .snapshots import payload_record


def seizure_list(*, user) -> QuerySet[Seizure]:
    return Seizure.objects.visible_to(user).with_list_relations()


def seizure_list_rows(*, user) -> QuerySet[dict]:
    """seizure_list as plain rows (``SeizureQuerySet.list_rows``), for the API's feed."""
    return Seizure.objects.visible_to(user).list_rows()


def seizure_list_plain(*, user) -> QuerySet[Seizure]:
    """The seizures ``user`` may see, with nothing joined: what the API's numbered list
    filters and counts before it reads its page as plain rows. Counted as rows, the query
    would join the office, which keeps PostgreSQL from counting in the list index alone
    (bench/README.md)."""
    return Seizure.objects.visible_to(user)


class ListRowsPaginator(CappedPaginator):
    """Counts the seizures a list's query matches (``seizure_list_plain``, filtered), then
    reads the page's seizures as plain rows (``SeizureQuerySet.list_rows``): the list API's
    and the list page's."""

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(object_list.list_rows(), number, paginator)


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
