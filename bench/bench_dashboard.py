"""The dashboard's aggregates at a million seizures: each function of analysis.stats over
the filters an analyst uses (none, a commodity since a date, an office), p50/p95 in
milliseconds and the path it took (the rollup of analysis.counts, or the seizures), and
with --explain the plan of each under the broadest filter. With --uncompacted N, the
readers also find N changes not yet compacted into the rollup (copies of its rows of the
latest days, as the triggers would append them; rolled back at the end).

    python bench/bench_dashboard.py --runs 20 [--explain] [--uncompacted 50000]
"""

import argparse
import os
import time
import zoneinfo

from common import Parameters, Raw, ms, officer, p50_p95, table
from django.db import connection, transaction
from django.utils import timezone

from analysis import counts, stats
from seizures.filters import SeizureFilterSet
from seizures.models import Code
from seizures.selectors import seizure_list


def _seizures(user, query: dict):
    filterset = SeizureFilterSet(query or None, queryset=seizure_list(user=user), request_user=user)
    return filterset.matching()


def _groups() -> list[int]:
    return list(
        Code.objects.filter(list="commodity", parent__isnull=True).values_list("pk", flat=True)
    )


AGGREGATES = {
    "over_time month by commodity": lambda s: stats.over_time(
        s, period="month", split="commodity", commodities=_groups()
    ),
    "over_time week by transport_mode": lambda s: stats.over_time(
        s, period="week", split="transport_mode"
    ),
    "top_routes": stats.top_routes,
    "source_countries": stats.source_countries,
    "route_countries": stats.route_countries,
    "detection_methods": stats.detection_methods,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--uncompacted", type=int, default=0)
    args = parser.parse_args()
    user = officer()
    with transaction.atomic():
        _measure(args, user)
        transaction.set_rollback(True)


def _measure(args, user) -> None:
    if args.uncompacted:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO analysis_seizurecountchange ({counts.KEY}, count) "  # noqa: S608
                f"SELECT {counts.KEY}, 1 FROM analysis_seizurecount "
                "WHERE administration_id = %s ORDER BY day DESC LIMIT %s",
                [user.administration_id, args.uncompacted],
            )
            print(f"{cursor.rowcount} uncompacted changes")
    timezone.activate(zoneinfo.ZoneInfo(user.administration.time_zone))
    parameters = Parameters(user)
    shapes = {
        "no filter": lambda: {},
        "commodity & from": parameters.commodity_since,
        "office": parameters.office,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    rows = []
    for name, aggregate in AGGREGATES.items():
        for shape, draw in shapes.items():
            timings, paths = [], set()
            for _ in range(args.runs):
                seizures = _seizures(user, {k: str(v) for k, v in draw().items()})
                paths.add("rollup" if counts.answerable(seizures) else "seizures")
                started = time.perf_counter()
                aggregate(seizures)
                timings.append((time.perf_counter() - started) * 1000)
            p50, p95 = p50_p95(timings)
            rows.append((name, shape, "/".join(sorted(paths)), ms(p50), ms(p95)))
            print(*rows[-1], sep=" | ", flush=True)
    print()
    print(table(rows, ("aggregate", "filters", "path", "p50 ms", "p95 ms")))
    print(f"load average: {os.getloadavg()}")
    if args.explain:
        _explain(user)


def _explain(user) -> None:
    """The plan of each aggregate over every seizure, as the ORM writes it."""
    from django.test.utils import CaptureQueriesContext

    raw = Raw()
    for name, aggregate in AGGREGATES.items():
        with CaptureQueriesContext(connection) as captured:
            aggregate(_seizures(user, {}))
        sql = next(
            q["sql"]
            for q in captured.captured_queries
            if "seizures_seizure" in q["sql"] or "analysis_seizurecount" in q["sql"]
        )
        print(f"\n== {name}\n{raw.explain(sql)}")
    raw.close()


if __name__ == "__main__":
    main()
