"""Find the slowest value of each list filter and show its plan.

    python bench/explain.py [--worst 2] [--count] [--shape office]

For every value of every common filter of the list (each commodity and group since a date a
year ago, each route country, each detection and transport pair, each office, a set of
free-text words), times the first page of the list (50 rows, newest first) as the ORM
writes it, through psycopg; then prints EXPLAIN (ANALYZE, BUFFERS) of the slowest
--worst values of each filter. --count does the same for the paginator's COUNT(*).
"""

import argparse
from datetime import timedelta

from common import Parameters, Raw, connection, ms, officer, p50_p95, table
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from seizures import selectors
from seizures.filters import SeizureFilterSet

WORDS = [
    "cocaine",
    "methamphetamine",
    "tramadol",
    "kava",
    "passenger",
    "container",
    "yacht",
    "tabua",
    "hawksbill",
    "bilge",
    "Kona",
    "Honiara",
    "surfboard",
    "vacuum-sealed",
    "cigarettes",
]


def values(params: Parameters, shape: str) -> list[dict]:
    year_ago = (timezone.localdate() - timedelta(days=365)).isoformat()
    if shape == "commodity":
        return [{"commodity": pk, "occurred_from": year_ago} for pk in params.commodities]
    if shape == "route_country":
        return [{"route_country": country} for country in params.countries]
    if shape == "detection_transport":
        return [
            {"detection_method": d, "transport_mode": t}
            for d in params.detection
            for t in params.transport
        ]
    if shape == "office":
        return [{"office": pk} for pk in params.offices]
    return [{"q": word} for word in WORDS]


def statement(user, query: dict, count: bool) -> str:
    queryset = SeizureFilterSet(
        query, queryset=selectors.seizure_list(user=user), request_user=user
    ).qs
    with CaptureQueriesContext(connection) as captured:
        if count:
            queryset.count()
        else:
            list(queryset[:50])
    # The first statement reads the seizures; the others are the prefetch of their items.
    return captured.captured_queries[0]["sql"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worst", type=int, default=2)
    parser.add_argument("--count", action="store_true")
    parser.add_argument(
        "--shape",
        default="commodity,route_country,detection_transport,office,q",
    )
    args = parser.parse_args()
    user = officer()
    params = Parameters(user)
    raw = Raw()
    rows, worst = [], []
    for shape in args.shape.split(","):
        timings = []
        for query in values(params, shape):
            sql = statement(user, query, args.count)
            raw.run(sql)  # warm
            took = min(raw.run(sql) for _ in range(3))
            timings.append((took, query, sql))
        timings.sort(key=lambda t: t[0], reverse=True)
        p50, p95 = p50_p95([t[0] for t in timings])
        rows.append((shape, len(timings), ms(p50), ms(p95), ms(timings[0][0]), str(timings[0][1])))
        worst.extend((shape, *t) for t in timings[: args.worst])
    print(table(rows, ("filter", "values", "p50", "p95", "max", "slowest value")))
    print("(milliseconds, best of 3, " + ("COUNT(*)" if args.count else "page 1") + ")")
    for shape, took, query, sql in worst:
        print(f"\n=== {shape} {query}: {took:.1f} ms\n{sql}\n{raw.explain(sql)}")
    raw.close()


if __name__ == "__main__":
    main()
