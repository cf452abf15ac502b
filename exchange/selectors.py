from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ncen.models import Administration

from .models import (
    DeliveryAttempt,
    FeedPull,
    InboundBatch,
    Member,
    Message,
    OutboxEntry,
    ReceivedRecord,
    RegionalRecord,
    RegionalVersion,
    SharingPolicy,
)
from .querysets import is_regional_analyst

QUEUE_LIMIT = 50
FAILED = Q(outcome=DeliveryAttempt.Outcome.FAILED)


def sharing_policy(*, administration: Administration) -> SharingPolicy:
    """The administration's policy; the defaults (unsaved) until its administrator sets one."""
    policy = SharingPolicy.objects.filter(administration=administration).first()
    return policy or SharingPolicy(administration=administration)


def seizure_deliveries(*, user, seizure) -> list[OutboxEntry]:
    """A record's outbox entries, oldest first, each with its attempts: two queries, and
    none for a record that was never approved (it has nothing to deliver)."""
    if seizure.last_approval_id is None:
        return []
    return list(
        OutboxEntry.objects.visible_to(user)
        .filter(seizure=seizure)
        .defer("payload")
        .prefetch_related(
            Prefetch("attempts_made", queryset=DeliveryAttempt.objects.order_by("id"))
        )
        .order_by("id")
    )


def _outbox(user) -> QuerySet[OutboxEntry]:
    return OutboxEntry.objects.visible_to(user).defer("payload")


def exchange_overview(*, user) -> dict:
    """What the administrator's exchange page shows: the configuration, the counts by state,
    the queue, the failures and the last contact with the hub."""
    outbox = _outbox(user)
    counts = dict(outbox.values_list("state").annotate(n=Count("id")).order_by())
    last = hub_contact(administration_id=user.administration_id)
    related = ("seizure",)
    return {
        "hub_url": settings.NCEN_EXCHANGE_HUB_URL,
        "member": settings.NCEN_EXCHANGE_MEMBER,
        "sends_for_this_administration": user.administration.code == settings.NCEN_EXCHANGE_MEMBER,
        "counts": {state: counts.get(state, 0) for state in OutboxEntry.State.values},
        "queue": list(
            outbox.filter(state__in=[OutboxEntry.State.PENDING, OutboxEntry.State.SENDING])
            .select_related(*related)
            .order_by("id")[:QUEUE_LIMIT]
        ),
        "failing": list(
            outbox.filter(state=OutboxEntry.State.PENDING)
            .exclude(last_error="")
            .select_related(*related)
            .order_by("id")[:QUEUE_LIMIT]
        ),
        "rejected": list(
            outbox.filter(state=OutboxEntry.State.REJECTED)
            .select_related(*related)
            .order_by("-acknowledged_at")[:QUEUE_LIMIT]
        ),
        "last_contact": last["answered"],
        "last_failure": last["failed"],
        "pull": feed_pull(administration_id=user.administration_id),
    }


def hub_contact(*, administration_id: int | None = None) -> dict:
    """When the hub last answered (accepted, duplicate or rejected) and when an attempt
    last failed, for one administration or the whole instance: each the latest row, read
    backwards along the index on finished_at."""
    attempts = DeliveryAttempt.objects.order_by("-finished_at")
    if administration_id is not None:
        attempts = attempts.filter(entry__administration_id=administration_id)
    return {
        "answered": attempts.exclude(FAILED).values_list("finished_at", flat=True).first(),
        "failed": attempts.filter(FAILED).values_list("finished_at", flat=True).first(),
    }


def _count(queryset, *, member="member", total=None) -> Coalesce:
    """A correlated subquery: the rows of ``queryset`` for the outer member (its field
    ``member``), counted, or ``total`` summed."""
    aggregate = Sum(total) if total else Count("id")
    return Coalesce(
        Subquery(queryset.order_by().values(member).annotate(n=aggregate).values("n")), 0
    )


def member_list() -> QuerySet[Member]:
    """The hub's registry with each member's counts (hub administrators only, see views)."""
    # Subqueries, not joins: a join of records and batches grows as their product.
    last_batch = (
        InboundBatch.objects.filter(member=OuterRef("pk"))
        .order_by("-received_at")
        .values("received_at")[:1]
    )
    return Member.objects.annotate(
        record_count=_count(RegionalRecord.objects.filter(member=OuterRef("pk"))),
        last_batch_at=Subquery(last_batch),
    ).order_by("code")


# --- Hub side: the regional analysts' reads -------------------------------------------------------


def regional_record_list(*, user) -> QuerySet[RegionalRecord]:
    """The regional records ``user`` may read, newest first, without the wide columns."""
    return (
        RegionalRecord.objects.visible_to(user)
        .select_related("member")
        .defer("payload", "search_text")
        .order_by("-occurred_at", "-id")
    )


def current_regional_record_list(*, user) -> QuerySet[RegionalRecord]:
    """The regional records ``user`` may read that their member has not withdrawn: what
    the regional dashboard counts."""
    return regional_record_list(user=user).filter(withdrawn_at__isnull=True)


def regional_record_get(*, user, pk: int) -> RegionalRecord:
    """A regional record with its version history (oldest first), or 404."""
    versions = RegionalVersion.objects.select_related("batch").defer("payload").order_by("id")
    return get_object_or_404(
        RegionalRecord.objects.visible_to(user)
        .select_related("member")
        .prefetch_related(Prefetch("versions", queryset=versions)),
        pk=pk,
    )


STATISTICS_DAYS = 30


def member_statistics(*, user) -> list[Member]:
    """Each member's deliveries to the hub: records, versions, withdrawals, batches, entries
    the hub rejected, the last contact, and the same over the last 30 days. Nothing for
    anyone but regional analysts."""
    if not is_regional_analyst(user):
        return []
    since = timezone.now() - timedelta(days=STATISTICS_DAYS)
    records = RegionalRecord.objects.filter(member=OuterRef("pk"))
    versions = RegionalVersion.objects.filter(record__member=OuterRef("pk"))
    batches = InboundBatch.objects.filter(member=OuterRef("pk"))
    seizure, withdrawal = Q(message=Message.SEIZURE), Q(message=Message.WITHDRAWAL)
    recent = Q(received_at__gte=since)
    return list(
        Member.objects.annotate(
            record_count=_count(records),
            version_count=_count(versions.filter(seizure), member="record__member"),
            withdrawal_count=_count(versions.filter(withdrawal), member="record__member"),
            batch_count=_count(batches),
            rejected_count=_count(batches, total="rejected"),
            last_contact=Subquery(batches.order_by("-received_at").values("received_at")[:1]),
            recent_version_count=_count(versions.filter(seizure & recent), member="record__member"),
            recent_withdrawal_count=_count(
                versions.filter(withdrawal & recent), member="record__member"
            ),
            recent_batch_count=_count(batches.filter(recent)),
            recent_rejected_count=_count(batches.filter(recent), total="rejected"),
        ).order_by("code")
    )


# --- Member side: the records received from the feed ----------------------------------------------


def received_record_list(*, user) -> QuerySet[ReceivedRecord]:
    return (
        ReceivedRecord.objects.visible_to(user).defer("search_text").order_by("-occurred_at", "-id")
    )


def received_record_get(*, user, pk: int) -> ReceivedRecord:
    return get_object_or_404(ReceivedRecord.objects.visible_to(user), pk=pk)


CORRELATION_LIMIT = 100


@dataclass
class RegionalAppearance:
    """A received record that shares identifiers with a local record, and which ones."""

    record: ReceivedRecord
    reasons: list[str]


def received_sharing_keys(
    *, user, nominal: dict[str, str], conveyance: dict[str, str]
) -> list[RegionalAppearance]:
    """The regional side of correlation, in one query: the received records ``user`` may
    read whose persons' and businesses' identifiers hold one of the ``nominal`` keys
    (persons.keys.typed_key), or whose conveyance fields hold one of the ``conveyance``
    keys (identifier_key), each key mapped to the words that say what matched. A withdrawn
    record has blank columns and matches nothing."""
    if not (nominal or conveyance):
        return []
    shares = Q()
    if nominal:
        shares |= Q(nominal_keys__overlap=sorted(nominal))
    if conveyance:
        shares |= Q(conveyance_keys__overlap=sorted(conveyance))
    records = received_record_list(user=user).defer("payload").filter(shares)
    return [
        RegionalAppearance(
            record=record,
            reasons=sorted(
                {nominal[key] for key in record.nominal_keys if key in nominal}
                | {conveyance[key] for key in record.conveyance_keys if key in conveyance}
            ),
        )
        for record in records[:CORRELATION_LIMIT]
    ]


def feed_pull(*, administration_id: int) -> FeedPull | None:
    """How this administration's pulls from the hub's feed went, if it ever pulled."""
    return FeedPull.objects.filter(administration_id=administration_id).first()
