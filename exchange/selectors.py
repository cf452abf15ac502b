from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ncen.models import Administration

from .models import (
    DeliveryAttempt,
    InboundBatch,
    Member,
    OutboxEntry,
    RegionalRecord,
    SharingPolicy,
)

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


def member_list() -> QuerySet[Member]:
    """The hub's registry with each member's counts (hub administrators only, see views)."""
    # Subqueries, not joins: a join of records and batches grows as their product.
    records = (
        RegionalRecord.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(n=Count("id"))
        .values("n")
    )
    last_batch = (
        InboundBatch.objects.filter(member=OuterRef("pk"))
        .order_by("-received_at")
        .values("received_at")[:1]
    )
    return Member.objects.annotate(
        record_count=Coalesce(Subquery(records), 0), last_batch_at=Subquery(last_batch)
    ).order_by("code")
