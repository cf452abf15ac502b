"""Where the list API's time goes beyond SQL, and what a leaner page of 50 would cost.

    python bench/app_overhead.py [--runs 100]

Times, for a cheap filter (so that SQL is not what is measured): the whole request, the
FilterSet, fetching 50 seizures with their relations and items (ORM), serializing them with
SeizureListOutput (DRF) and rendering JSON; then the same page built the lean way: no joins
to the code lists (a dict of the few hundred codes, built once, gives their id, code and
label), the search vector deferred, plain dicts instead of nested serializers. The lean
output is checked to be equal to SeizureListOutput's.
"""

import argparse
import time

from common import ms, officer, p50_p95, signed_in, table
from django.db.models import Prefetch
from django.test import RequestFactory
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from seizures import selectors
from seizures.api.serializers import SeizureListOutput
from seizures.filters import SeizureFilterSet
from seizures.models import Code, Item


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def lean_page(user, query: dict) -> list[dict]:
    codes = {
        code.pk: {"id": code.pk, "code": code.code, "label": str(code)}
        for code in Code.objects.visible_to(user)
    }
    queryset = (
        SeizureFilterSet(query, queryset=selectors.seizure_list(user=user), request_user=user)
        .qs.select_related(None)
        .select_related("office")
        .defer("search_vector")
        .prefetch_related(None)
        .prefetch_related(Prefetch("items", queryset=Item.objects.select_related("commodity")))
    )

    def iso(value):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    rows = []
    for s in queryset[:50]:
        rows.append(
            {
                "id": s.pk,
                "uuid": str(s.uuid),
                "reference": s.reference,
                "status": s.status,
                "version": s.version,
                "occurred_at": iso(s.occurred_at),
                "office": {
                    "id": s.office.pk,
                    "name": s.office.name,
                    "code": s.office.code,
                    "kind": s.office.kind,
                },
                "detection_method": codes.get(s.detection_method_id),
                "transport_mode": codes.get(s.transport_mode_id),
                "concealment_method": codes.get(s.concealment_method_id),
                "flight_number": s.flight_number,
                "vessel_name": s.vessel_name,
                "vessel_imo": s.vessel_imo,
                "container_number": s.container_number,
                "vehicle_registration": s.vehicle_registration,
                "route": {
                    "origin": s.origin_country.code or None,
                    "departure": s.departure_country.code or None,
                    "transit": list(s.transit_countries),
                    "destination": s.destination_country.code or None,
                },
                "narrative": s.narrative,
                "items": [
                    {
                        "id": i.pk,
                        "position": i.position,
                        "commodity": codes[i.commodity_id],
                        "commodity_group": codes.get(i.commodity.parent_id),
                        "description": i.description,
                        "quantity": str(i.quantity),
                        "unit": codes[i.unit_id],
                        "estimated_value": (
                            None if i.estimated_value is None else str(i.estimated_value)
                        ),
                        "currency": i.currency,
                        "species": i.species,
                        "cites_appendix": i.cites_appendix,
                    }
                    for i in s.items.all()
                ],
                "created_at": iso(s.created_at),
                "updated_at": iso(s.updated_at),
            }
        )
    return rows


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

    def queryset():
        return SeizureFilterSet(
            query, queryset=selectors.seizure_list(user=user), request_user=user
        ).qs

    rows = list(queryset()[:50])
    data = SeizureListOutput(rows, many=True, context={"request": request}).data
    lean = lean_page(user, query)
    assert JSONRenderer().render(lean) == JSONRenderer().render(data), "lean page differs"
    measured = {
        "whole request (test Client)": timed(lambda: client.get(url), args.runs),
        "FilterSet and its validation": timed(lambda: queryset().query, args.runs),
        "COUNT(*)": timed(lambda: queryset().count(), args.runs),
        "fetch 50 with relations and items (ORM)": timed(lambda: list(queryset()[:50]), args.runs),
        "serialize 50 (SeizureListOutput)": timed(
            lambda: SeizureListOutput(rows, many=True, context={"request": request}).data,
            args.runs,
        ),
        "render JSON": timed(lambda: JSONRenderer().render(data), args.runs),
        "lean: fetch and build the same 50": timed(lambda: lean_page(user, query), args.runs),
    }
    print(
        table(
            [(name, *(ms(v) for v in p50_p95(times))) for name, times in measured.items()],
            ("step", "p50", "p95"),
        )
    )
    print(f"(milliseconds, {args.runs} runs, {url})")


if __name__ == "__main__":
    main()
