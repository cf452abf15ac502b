"""The hub's regional dashboard without a rollup: each aggregate of analysis.stats and all
the figures of RegionalFigures over N regional records of 23 members (made up, in a
transaction rolled back at the end), with no filter, one member, and a commodity since a
date; p50/p95 in milliseconds.

    python bench/bench_regional_dashboard.py --records 50000 --runs 20
"""

import argparse
import os
import random
import time
import uuid
import zoneinfo
from datetime import UTC, datetime, timedelta

from common import Rollback, ms, p50_p95, table
from django.db import connection, transaction
from django.http import QueryDict
from django.utils import timezone

from analysis import stats
from analysis.figures import RegionalFigures
from exchange.filters import CurrentRegionalRecordFilterSet
from exchange.models import Member, RegionalRecord
from exchange.selectors import current_regional_record_list
from ncen.models import Role, User
from seizures.models import Code

COUNTRIES = ["FJ", "WS", "TO", "VU", "AU", "NZ", "PG", "SB", "US", "CN", "PE", "CO", "TH", "MY"]


def _shipped(code_list: str) -> list[str]:
    return list(
        Code.objects.filter(list=code_list, administration__isnull=True).values_list(
            "code", flat=True
        )
    )


def _make_records(count: int, seed: int) -> list[Member]:
    rng = random.Random(seed)
    members = [
        Member.objects.create(code=f"B{n:02d}", name=f"Bench member {n}", public_key="unused")
        for n in range(23)
    ]
    commodities = list(
        Code.objects.filter(
            list="commodity", administration__isnull=True, parent__isnull=False
        ).values_list("code", "parent__code")
    )
    transport, detection, concealment = (
        _shipped("transport_mode"),
        _shipped("detection_method"),
        _shipped("concealment_method"),
    )
    start = datetime(2022, 1, 1, tzinfo=UTC)
    batch = []
    for n in range(count):
        commodity, group = rng.choice(commodities)
        origin, destination, transit = rng.sample(COUNTRIES, 3)
        batch.append(
            RegionalRecord(
                member=rng.choice(members),
                record_uuid=uuid.uuid4(),
                reference=f"BENCH-{n}",
                version=1,
                payload={},
                handling_code="intelligence_only",
                source_reliability="B",
                information_accuracy=3,
                occurred_at=start + timedelta(minutes=rng.randrange(4 * 365 * 24 * 60)),
                commodity_codes=sorted({commodity, group}),
                origin_country=origin,
                destination_country=destination,
                route_countries=sorted({origin, destination, transit}),
                transport_mode=rng.choice(transport),
                detection_method=rng.choice([*detection, ""]),
                concealment_method=rng.choice(concealment),
                withdrawn_at=start if rng.random() < 0.02 else None,
            )
        )
    RegionalRecord.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE exchange_regionalrecord")
    return members


def _groups() -> list[str]:
    return list(
        Code.objects.filter(
            list="commodity", administration__isnull=True, parent__isnull=True
        ).values_list("code", flat=True)
    )


AGGREGATES = {
    "over_time month by commodity": lambda r: stats.over_time(
        r, period="month", split="commodity", commodities=_groups(), source=stats.REGIONAL
    ),
    "over_time week by member": lambda r: stats.over_time(
        r, period="week", split="member", source=stats.REGIONAL
    ),
    "top_routes": lambda r: stats.top_routes(r, source=stats.REGIONAL),
    "source_countries": lambda r: stats.source_countries(r, source=stats.REGIONAL),
    "route_countries": lambda r: stats.route_countries(r, source=stats.REGIONAL),
    "detection_methods": lambda r: stats.detection_methods(r, source=stats.REGIONAL),
}


def _filterset(analyst, query: dict) -> CurrentRegionalRecordFilterSet:
    data = QueryDict(mutable=True)
    data.update(query)
    return CurrentRegionalRecordFilterSet(
        data or None,
        queryset=current_regional_record_list(user=analyst),
        request_user=analyst,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    analyst = User.objects.filter(
        role=Role.REGIONAL_ANALYST, administration__is_hub=True, is_active=True
    ).first()
    if analyst is None:
        raise SystemExit("No regional analyst: run NCEN_DEMO_MODE=true python manage.py seed_demo.")
    timezone.activate(zoneinfo.ZoneInfo(analyst.administration.time_zone))
    rows = []
    try:
        with transaction.atomic():
            started = time.perf_counter()
            members = _make_records(args.records, args.seed)
            print(f"{args.records} records made in {time.perf_counter() - started:.1f} s")
            shapes = {
                "no filter": {},
                "member": {"member": str(members[0].pk)},
                "commodity & from": {"commodity": "drugs", "occurred_from": "2025-01-01"},
            }
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            for shape, query in shapes.items():
                for name, aggregate in AGGREGATES.items():
                    timings = []
                    for _ in range(args.runs):
                        records = _filterset(analyst, query).matching()
                        started = time.perf_counter()
                        aggregate(records)
                        timings.append((time.perf_counter() - started) * 1000)
                    rows.append((name, shape, *map(ms, p50_p95(timings))))
                    print(*rows[-1], sep=" | ", flush=True)
                timings = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    filterset = _filterset(analyst, query)
                    filterset.is_valid()
                    RegionalFigures(filterset).all(period="month", split="member")
                    timings.append((time.perf_counter() - started) * 1000)
                rows.append(("all figures (the page's)", shape, *map(ms, p50_p95(timings))))
                print(*rows[-1], sep=" | ", flush=True)
            raise Rollback
    except Rollback:
        pass
    print()
    print(table(rows, ("aggregate", "filters", "p50 ms", "p95 ms")))
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
