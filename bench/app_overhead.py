"""Where the list API's time goes beyond SQL.

    python bench/app_overhead.py [--runs 100]

Times, for a cheap filter (so that SQL is not what is measured), each step of
GET /api/v1/seizures/?detection_method&transport_mode: the whole request through Django's test
Client, the FilterSet (made, then validated with the queryset built), the capped count, the
page's rows and their items as the endpoint reads them (plain rows), shaping them
(SeizureListOutput.from_rows) and rendering JSON; then, for comparison, the same page as
model instances with their relations and through the serializer, as the detail still is.
Both are checked to give the same bytes. Each figure is wall clock and, beside it, the CPU
time of this process (which leaves out waiting for PostgreSQL and for other processes).
"""

import argparse
import time

from common import ms, officer, p50_p95, signed_in, table
from django.test import RequestFactory
from rest_framework.request import Request

from ncen.api.renderers import JSONRenderer
from seizures import selectors
from seizures.api.serializers import SeizureListOutput
from seizures.filters import SeizureFilterSet


def timed(function, runs: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    user = officer()
    client = signed_in(user)
    # A pair that matches many seizures, served by seizure_detection_transport_idx.
    pair = (
        selectors.seizure_list(user=user)
        .values_list("detection_method_id", "transport_mode_id")
        .order_by("-occurred_at")
        .first()
    )
    query = {"detection_method": pair[0], "transport_mode": pair[1]}
    url = f"/api/v1/seizures/?detection_method={pair[0]}&transport_mode={pair[1]}"
    request = Request(RequestFactory().get(url))
    request.user = user

    def filterset(queryset):
        # As the API makes it: with a form of the fields the request names.
        return SeizureFilterSet(query, queryset=queryset, request_user=user, form_shown=False)

    def filtered_rows():
        return filterset(selectors.seizure_list_rows(user=user)).qs

    rows = list(filtered_rows()[:50])
    items = selectors.seizure_list_items(rows=rows)
    data = SeizureListOutput.from_rows(rows, items)
    instances = list(filterset(selectors.seizure_list(user=user)).qs[:50])
    serialized = SeizureListOutput(instances, many=True, context={"request": request}).data
    assert JSONRenderer().render(data) == JSONRenderer().render(serialized), "rows differ"
    measured = {
        "whole request (test Client)": lambda: client.get(url),
        "FilterSet made": lambda: filterset(selectors.seizure_list_rows(user=user)),
        "FilterSet made and validated, query built": lambda: filtered_rows().query,
        # As the endpoint counts: the seizures' own query, which joins nothing.
        "COUNT(*), capped": lambda: (
            selectors.ListRowsPaginator(
                filterset(selectors.seizure_list_plain(user=user)).qs, 50
            ).count
        ),
        "fetch 50 rows": lambda: list(filtered_rows()[:50]),
        "fetch their items": lambda: selectors.seizure_list_items(rows=rows),
        "shape them (SeizureListOutput.from_rows)": lambda: SeizureListOutput.from_rows(
            rows, items
        ),
        "render JSON": lambda: JSONRenderer().render(data),
        "for comparison: fetch 50 instances with relations and items": lambda: list(
            filterset(selectors.seizure_list(user=user)).qs[:50]
        ),
        "for comparison: serialize them (SeizureListOutput)": lambda: (
            SeizureListOutput(instances, many=True, context={"request": request}).data
        ),
    }
    results = []
    for name, function in measured.items():
        wall, cpu = timed(function, args.runs)
        results.append((name, *(ms(v) for v in p50_p95(wall)), *(ms(v) for v in p50_p95(cpu))))
    print(table(results, ("step", "p50", "p95", "cpu p50", "cpu p95")))
    print(f"(milliseconds, {args.runs} runs, {url})")


if __name__ == "__main__":
    main()
