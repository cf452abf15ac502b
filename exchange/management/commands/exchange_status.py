from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count, Min

from ...models import FeedPull, OutboxEntry
from ...selectors import hub_contact


class Command(BaseCommand):
    help = "The outbox by state and destination, the last contact with the hub and rejections."

    def add_arguments(self, parser):
        parser.add_argument("--rejected", type=int, default=20, help="How many rejections to list.")

    def handle(self, *args, rejected=20, **options):
        out = self.stdout.write
        out(f"hub: {settings.NCEN_EXCHANGE_HUB_URL or '(not configured)'}")
        out(f"member: {settings.NCEN_EXCHANGE_MEMBER or '(not configured)'}")
        rows = (
            OutboxEntry.objects.values("destination", "state")
            .annotate(count=Count("id"), oldest=Min("created_at"))
            .order_by("destination", "state")
        )
        for row in rows:
            out(
                f"{row['destination']:<10} {row['state']:<13} {row['count']:>8}"
                f"  oldest {row['oldest']:%Y-%m-%d %H:%M:%S}"
            )
        if not rows:
            out("outbox: empty")
        last = hub_contact()
        out(f"last answer from the hub: {last['answered'] or 'never'}")
        out(f"last failed attempt: {last['failed'] or 'none'}")
        waiting = (
            OutboxEntry.objects.filter(state=OutboxEntry.State.PENDING)
            .exclude(last_error="")
            .order_by("next_attempt_at")
            .first()
        )
        if waiting:
            out(f"next retry: {waiting.next_attempt_at} after: {waiting.last_error}")
        for pull in FeedPull.objects.select_related("administration").order_by("id"):
            out(
                f"feed pull for {pull.administration.code}: last {pull.last_attempt_at or 'never'},"
                f" last success {pull.last_success_at or 'never'}, {pull.received} messages"
                f" received, error: {pull.last_error or 'none'}"
            )
        for entry in (
            OutboxEntry.objects.filter(state=OutboxEntry.State.REJECTED)
            .select_related("administration")
            .order_by("-acknowledged_at")[:rejected]
        ):
            out(f"rejected {entry.idempotency_key}: {entry.reason}")
