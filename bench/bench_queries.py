"""Time the seizure pages and API at a million seizures, and the same SQL through psycopg.

    python bench/bench_queries.py [--runs 200] [--only api,text,page,detail] [--explain]

For every case and run, with varied parameters:
  1. one request with the queries captured (it also warms the caches for that query),
  2. the timed request through Django's test Client, signed in as an officer (app),
  3. the captured statements that read seizures, sent as they are through psycopg (raw).
app/raw compares the medians. "count" is the paginator's COUNT(*) alone, raw.
--explain prints EXPLAIN (ANALYZE, BUFFERS) of the slowest run's statements of each case.
--capped-count N and --jit-off measure proposals for other modules, applied to this process
only (see CappedPaginator in common.py).

Where /api/v1/seizures/ or /seizures/ does not answer 200 yet, the case measures the ORM
path instead: SeizureFilterSet over selectors.seizure_list, the count and the first 50 rows
serialized (marked "orm" in the table).
"""

import argparse
import json
import os
import time
from urllib.parse import urlencode

from common import (
    Parameters,
    Raw,
    captured_request,
    connection,
    ms,
    officer,
    p50_p95,
    propose,
    signed_in,
    table,
    timed_request,
)
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from seizures import selectors
from seizures.filters import SeizureFilterSet

PAGE_SIZE = 50


def cases(params: Parameters):
    """name -> (group, path or None for detail, parameter function)."""
    filters = [
        params.commodity_since,
        params.route_country,
        params.detection_transport,
        params.office,
    ]
    return {
        "api list ?commodity&occurred_from": ("api", "/api/v1/seizures/", params.commodity_since),
        "api list ?route_country": ("api", "/api/v1/seizures/", params.route_country),
        "api list ?detection_method&transport_mode": (
            "api",
            "/api/v1/seizures/",
            params.detection_transport,
        ),
        "api list ?office": ("api", "/api/v1/seizures/", params.office),
        "api list ?q (free text)": ("text", "/api/v1/seizures/", params.word),
        "page /seizures/?filters": ("page", "/seizures/", lambda: params.rng.choice(filters)()),
        "page /seizures/?q (free text)": ("text", "/seizures/", params.word),
        "page /seizures/<id>/": ("detail", "/seizures/{id}/", None),
        "api /api/v1/seizures/<id>/": ("detail", "/api/v1/seizures/{id}/", None),
    }


def orm_list(user, query: dict) -> list:
    """What the list API does, without the view: filter, count, first page, serialize."""
    request = RequestFactory().get("/api/v1/seizures/", query)
    request.user = user
    filterset = SeizureFilterSet(query, queryset=selectors.seizure_list(user=user), request=request)
    queryset = filterset.qs
    total = queryset.count()
    rows = [
        {
            "id": s.pk,
            "reference": s.reference,
            "occurred_at": s.occurred_at.isoformat(),
            "office": s.office.name,
            "detection": str(s.detection_method),
            "transport": str(s.transport_mode),
            "items": [
                {
                    "commodity": str(i.commodity),
                    "quantity": str(i.quantity),
                    "unit": str(i.unit),
                }
                for i in s.items.all()
            ],
        }
        for s in queryset[:PAGE_SIZE]
    ]
    return json.dumps({"count": total, "results": rows})


def orm_detail(user, pk: int) -> str:
    seizure = selectors.seizure_get(user=user, pk=pk)
    return json.dumps(
        {
            "reference": seizure.reference,
            "narrative": seizure.narrative,
            "items": [str(item) for item in seizure.items.all()],
            "offences": [str(offence) for offence in seizure.offences.all()],
        }
    )


def run_case(client, user, raw, path, make_params, params, runs, use_orm):
    app, first, raw_times, counts, slowest = [], [], [], [], (0.0, None, [])
    for _ in range(runs):
        if make_params is None:
            pk = params.seizure_id()
            url, query = path.format(id=pk), {}
        else:
            query = make_params()
            url = f"{path}?{urlencode(query)}"
        if use_orm:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                orm_detail(user, pk) if make_params is None else orm_list(user, query)
                first.append((time.perf_counter() - started) * 1000)
            statements = [q["sql"] for q in captured.captured_queries]
            started = time.perf_counter()
            orm_detail(user, pk) if make_params is None else orm_list(user, query)
            app.append((time.perf_counter() - started) * 1000)
        else:
            started = time.perf_counter()
            statements, status = captured_request(client, url)
            first.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{url} answered {status}")
            elapsed, status = timed_request(client, url)
            app.append(elapsed)
        total = 0.0
        for sql in statements:
            took = raw.run(sql)
            total += took
            if sql.upper().startswith("SELECT COUNT(*)"):  # exact or capped
                counts.append(took)
        raw_times.append(total)
        if app[-1] > slowest[0]:
            slowest = (app[-1], url, statements)
    return app, first, raw_times, counts, slowest


def answers(client, url) -> bool:
    try:
        return client.get(url).status_code == 200
    except Exception as error:
        print(f"  {url} raised {error!r}")
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--only", default="api,text,page,detail")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--capped-count",
        type=int,
        default=None,
        metavar="N",
        help="measure the proposal: the API and page paginators count at most N matches",
    )
    parser.add_argument(
        "--jit-off", action="store_true", help="measure the proposal: JIT off for the app"
    )
    args = parser.parse_args()
    groups = set(args.only.split(","))
    applied = propose(capped_count=args.capped_count, jit_off=args.jit_off)

    user = officer()
    client = signed_in(user)
    params = Parameters(user, seed=args.seed)
    raw = Raw()
    some_id = params.seizure_id()
    available = {
        "/api/v1/seizures/": answers(client, "/api/v1/seizures/?page_size=1"),
        "/seizures/": answers(client, "/seizures/"),
        "/seizures/{id}/": answers(client, f"/seizures/{some_id}/"),
        "/api/v1/seizures/{id}/": answers(client, f"/api/v1/seizures/{some_id}/"),
    }
    print(
        f"{user.administration.code}: {params.max_id - params.min_id + 1:,} ids, "
        f"{args.runs} runs per case, officer {user.username}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    if applied:
        print("Proposals applied in this process: " + ", ".join(applied))
    rows, explains = [], []
    for name, (group, path, make_params) in cases(params).items():
        if group not in groups:
            continue
        use_orm = not available[path]
        if use_orm and path.startswith("/seizures/") and make_params is not None:
            # The HTML list is the API's query plus a template; measure the ORM path once.
            print(f"  {name}: page not available, skipped")
            continue
        started = time.monotonic()
        app, first, raw_times, counts, slowest = run_case(
            client, user, raw, path, make_params, params, args.runs, use_orm
        )
        app50, app95 = p50_p95(app)
        raw50, raw95 = p50_p95(raw_times)
        count = "/".join(ms(v) for v in p50_p95(counts)) if counts else "-"
        rows.append(
            (
                name + (" (orm)" if use_orm else ""),
                len(app),
                ms(app50),
                ms(app95),
                ms(p50_p95(first)[1]),
                ms(raw50),
                ms(raw95),
                f"{app50 / raw50:.2f}" if raw50 else "-",
                count,
            )
        )
        print(f"  {name}: {time.monotonic() - started:.0f}s", flush=True)
        if args.explain:
            explains.append((name, slowest))
    print()
    print(
        table(
            rows,
            (
                "case",
                "runs",
                "app p50",
                "app p95",
                "first p95",
                "raw p50",
                "raw p95",
                "app/raw",
                "count p50/p95",
            ),
        )
    )
    print("(milliseconds; raw = the request's statements on seizures, through psycopg)")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    for name, (elapsed, url, statements) in explains:
        print(f"\n=== {name}: slowest run {elapsed:.1f} ms: {url}")
        for sql in statements:
            print(f"\n{sql}\n{raw.explain(sql)}")
    raw.close()


if __name__ == "__main__":
    main()
