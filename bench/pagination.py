"""What counting costs on a million seizures, and what cheaper pagination saves.

    python bench/pagination.py [--runs 100] [--caps 1000,10000]

For the list API's common filters and for free text, times through psycopg (raw SQL, as the
ORM writes it):
  exact     SELECT COUNT(*) over every match (what the API and page did before the cap)
  ≤N        COUNT(*) over at most N+1 matches ("N+" beyond), for each N of --caps; the API
            and page count at most ncen.paginator.COUNT_CAP (1,000)
  estimate  the planner's row estimate (EXPLAIN, no execution); its ratio to the exact count
  page 1    the first 50 rows, newest first
  page 100  OFFSET 4950: page-number pagination deep in the list
  keyset    the 50 rows after the first page's last date: cursor pagination, at any depth,
            as /api/v1/seizures/feed/ reads them
"""

import argparse
import time

from common import Parameters, Raw, connection, ms, officer, p50_p95, table
from django.test.utils import CaptureQueriesContext

from seizures import selectors
from seizures.filters import SeizureFilterSet


def sql_of(evaluate) -> str:
    with CaptureQueriesContext(connection) as captured:
        evaluate()
    # The first statement reads the seizures; any others prefetch their items.
    return captured.captured_queries[0]["sql"]


def estimate(raw: Raw, sql: str) -> tuple[float, float]:
    """Milliseconds to plan ``sql`` (a query with LIMIT 1) and the rows its scan expects."""
    with raw.conn.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(b"EXPLAIN (FORMAT JSON) " + sql.encode())
        plan = cursor.fetchone()[0][0]["Plan"]
        took = (time.perf_counter() - started) * 1000
    # Under the Limit: what the whole filtered scan is expected to return.
    return took, plan["Plans"][0]["Plan Rows"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--caps", default="1000,10000")
    args = parser.parse_args()
    caps = [int(cap) for cap in args.caps.split(",")]
    user = officer()
    params = Parameters(user, seed=2)
    raw = Raw()
    shapes = {
        "?commodity&occurred_from": params.commodity_since,
        "?route_country": params.route_country,
        "?detection_method&transport_mode": params.detection_transport,
        "?office": params.office,
        "?q (free text)": params.word,
        "(no filter)": dict,
    }
    rows = []
    for name, make in shapes.items():
        keys = ("exact", *(f"cap{cap}" for cap in caps), "estimate", "page1", "page100", "keyset")
        times = {key: [] for key in keys}
        errors = []
        for _ in range(args.runs):
            query = make()
            queryset = SeizureFilterSet(
                query, queryset=selectors.seizure_list(user=user), request_user=user
            ).qs
            exact_sql = sql_of(queryset.count)
            for cap in caps:
                capped_sql = sql_of(lambda qs=queryset, cap=cap: qs.order_by()[: cap + 1].count())
                times[f"cap{cap}"].append(raw.run(capped_sql))
            page1_sql = sql_of(lambda qs=queryset: list(qs[:50]))
            page100_sql = sql_of(lambda qs=queryset: list(qs[4950:5000]))
            last = queryset.values_list("occurred_at", "pk")[49:50]
            last = list(last)
            if last:
                at, _pk = last[0]
                # As DRF's CursorPagination does: a position on the ordering field (ties
                # are rare at one-second resolution, and are skipped by an offset there).
                keyset = queryset.filter(occurred_at__lt=at)
                keyset_sql = sql_of(lambda qs=keyset: list(qs[:50]))
                times["keyset"].append(raw.run(keyset_sql))
            exact = raw.run(exact_sql)
            times["exact"].append(exact)
            one_sql = sql_of(lambda qs=queryset: list(qs.values_list("pk")[:1]))
            took, rows_estimated = estimate(raw, one_sql)
            times["estimate"].append(took)
            with raw.conn.cursor() as cursor:
                cursor.execute(exact_sql.encode())
                actual = cursor.fetchone()[0]
            if actual:
                errors.append(max(rows_estimated, 1) / actual)
            times["page1"].append(raw.run(page1_sql))
            times["page100"].append(raw.run(page100_sql))
        rows.append(
            (
                name,
                *(
                    "/".join(ms(v) for v in p50_p95(times[key])) if times[key] else "-"
                    for key in times
                ),
                "/".join(f"{v:.2f}" for v in p50_p95(errors)) if errors else "-",
            )
        )
        print(f"  {name} done", flush=True)
    print()
    print(
        table(
            rows,
            (
                "filter",
                "exact count",
                *(f"count ≤{cap:,}" for cap in caps),
                "estimate",
                "page 1",
                "page 100",
                "keyset page",
                "estimate/actual p50/p95",
            ),
        )
    )
    print("(p50/p95 in milliseconds, raw SQL through psycopg)")
    raw.close()


if __name__ == "__main__":
    main()
