"""Checking one record against N active risk indicators: what the worker's task does for each
submitted or approved record (the FilterSets validated, one query asking every indicator,
the checks, hits, audit entries and alerts written).

Changes nothing: the indicators and every check run in a transaction rolled back at the
end. Notification e-mails are not sent to Redis.

    python bench/bench_indicators.py [--indicators 10,100,300] [--records 50]
"""

import argparse
import os
import time

import common
from django.db import transaction

from indicators import criteria, services
from indicators.models import Indicator
from ncen import tasks
from seizures.models import Seizure


class Rollback(Exception):
    pass


def criteria_of(seizure: Seizure, n: int) -> dict:
    """Criteria drawn from a real record, of the shapes analysts save: a commodity with a
    transport mode, a route country with a detection method, or a word of the narrative."""
    shape = n % 3
    if shape == 0:
        return {"commodity": seizure.commodity_ids[-1], "transport_mode": seizure.transport_mode_id}
    if shape == 1:
        return {
            "route_country": seizure.route_countries[0],
            "detection_method": seizure.detection_method_id,
        }
    words = [w for w in seizure.narrative.lower().split() if w.isalpha() and len(w) > 5]
    return {"q": words[n % len(words)] if words else "cocaine"}


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", default="10,100,300")
    parser.add_argument("--records", type=int, default=50)
    args = parser.parse_args()
    tasks.email_notification.apply_async = lambda **kwargs: None
    officer = common.officer()
    seizures = Seizure.objects.visible_to(officer).exclude(route_countries=[])
    total = Seizure.objects.count()
    samples = list(seizures.order_by("-id")[: max(int(n) for n in args.indicators.split(","))])
    records = list(seizures.order_by("?")[: args.records])
    print(f"{total:,} seizures; load average {os.getloadavg()[0]:.2f}")
    print(f"{'indicators':>10} {'match p50':>10} {'p95':>8} {'check p50':>10} {'p95':>8} ms")
    for count in (int(n) for n in args.indicators.split(",")):
        try:
            with transaction.atomic():
                Indicator.objects.bulk_create(
                    Indicator(
                        administration_id=officer.administration_id,
                        name=f"bench {n}",
                        rationale="bench",
                        criteria=criteria.criteria_clean(
                            criteria_of(samples[n % len(samples)], n), user=officer
                        ),
                        owner=officer,
                        activated_at=samples[0].created_at,
                    )
                    for n in range(count)
                )
                active = list(Indicator.objects.filter(administration=officer.administration))
                Indicator.recipients.through.objects.bulk_create(
                    Indicator.recipients.through(indicator=i, user=officer) for i in active
                )
                matching = [
                    timed(lambda r=r, a=active: criteria.matching(a, seizure=r, user=officer))
                    for r in records
                ]
                checks = []
                for record in records:
                    try:
                        with transaction.atomic():
                            checks.append(
                                timed(
                                    lambda r=record: services.indicators_check(
                                        seizure_id=r.pk, actor_id=officer.pk
                                    )
                                )
                            )
                            raise Rollback
                    except Rollback:
                        pass
                raise Rollback
        except Rollback:
            pass
        print(
            f"{count:>10} {common.p50_p95(matching)[0]:>10.1f} {common.p50_p95(matching)[1]:>8.1f}"
            f" {common.p50_p95(checks)[0]:>10.1f} {common.p50_p95(checks)[1]:>8.1f}"
        )


if __name__ == "__main__":
    main()
