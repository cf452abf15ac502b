"""The approval workflow at a million seizures: submitting, the review queue (page, API and
the navigation's count), the payload preview and approving.

Changes the data: it submits --records of the officer's drafts and approves half of them,
as the demo supervisor (one supervisor: nobody else is notified). Notification e-mails are
not sent to Redis.

    python bench/bench_approval.py [--records 500] [--runs 30]
"""

import argparse
import time

import common
from django.db import connection

from exchange.models import SharingDecision
from ncen import tasks
from ncen.models import Role, User
from seizures import selectors, services
from seizures.models import Seizure

DECISION = SharingDecision("regional_global", "intelligence_only", "", "B", 2)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    tasks.email_notification.apply_async = lambda **kwargs: None
    officer = common.officer()
    supervisor = User.objects.filter(
        administration=officer.administration, role=Role.SUPERVISOR, is_active=True
    ).first()
    drafts = Seizure.objects.filter(created_by=officer, status=Seizure.Status.DRAFT)
    rows = [
        (
            "seizure_submit",
            *common.p50_p95(
                [
                    timed(lambda s=s: services.seizure_submit(by=officer, seizure=s))
                    for s in drafts.order_by("id")[: args.records]
                ]
            ),
        )
    ]
    client = common.signed_in(supervisor)
    waiting = selectors.review_queue_count(user=supervisor)
    for url in ("/seizures/review/", "/api/v1/seizures/queue/", "/"):
        times = [common.timed_request(client, url)[0] for _ in range(args.runs)]
        rows.append((f"GET {url}", *common.p50_p95(times)))
    rows.append(
        (
            "review queue count",
            *common.p50_p95(
                [
                    timed(lambda: selectors.review_queue_count(user=supervisor))
                    for _ in range(args.runs)
                ]
            ),
        )
    )
    queue = [
        selectors.seizure_get(user=supervisor, pk=seizure.pk)
        for seizure in selectors.review_queue(user=supervisor)[: args.records // 2]
    ]
    previews, approvals = [], []
    for seizure in queue:
        previews.append(
            timed(lambda s=seizure: selectors.sharing_preview(seizure=s, decision=DECISION))
        )
        approvals.append(
            timed(
                lambda s=seizure: services.seizure_approve(
                    by=supervisor, seizure=s, expected_version=s.version, decision=DECISION
                )
            )
        )
    rows.append(("sharing_preview (2 destinations)", *common.p50_p95(previews)))
    rows.append(("seizure_approve", *common.p50_p95(approvals)))
    seizure = selectors.review_queue(user=supervisor).first()
    if seizure is not None:
        url = f"/seizures/{seizure.pk}/approve/"
        times = [common.timed_request(client, url)[0] for _ in range(args.runs)]
        rows.append(("GET the approval page with its preview", *common.p50_p95(times)))
    total = Seizure.objects.count()
    print(f"{total:,} seizures, {waiting:,} waiting for review when the queue was read\n")
    figures = [(name, common.ms(p50), common.ms(p95)) for name, p50, p95 in rows]
    print(common.table(figures, ("", "p50 ms", "p95 ms")))
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM seizures_seizure "
            "WHERE administration_id = %s AND status = 'submitted'",
            [officer.administration_id],
        )
        print("\nThe navigation's count:\n" + "\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
