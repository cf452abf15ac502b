"""Time the seizure pages and API at a million seizures, and the same SQL through psycopg.

    python bench/bench_queries.py [--runs 200] [--only api,text,page,detail] [--explain]

For every case and run, with varied parameters:
  1. one request with the queries captured (it also warms the caches for that query),
  2. the timed request through Django's test Client, signed in as an officer (app; cpu is
     the process's CPU time for it, steadier than the wall clock on a shared machine),
  3. the captured statements that read seizures, sent as they are through psycopg (raw).
app/raw compares the medians, app-raw subtracts them. "count" is the paginator's COUNT(*)
alone, raw.
--explain prints EXPLAIN (ANALYZE, BUFFERS) of the slowest run's statements of each case.
"""

import argparse
import os
import time
from urllib.parse import urlencode

from common import (
    Parameters,
    Raw,
    captured_request,
    ms,
    officer,
    p50_p95,
    signed_in,
    table,
    timed_request,
)


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
        # The same request answering an empty page: what the app costs besides its rows.
        "api list ?office, none match": (
            "api",
            "/api/v1/seizures/",
            lambda: {**params.office(), "occurred_to": "1999-12-31"},
        ),
        "api feed ?commodity&occurred_from": (
            "api",
            "/api/v1/seizures/feed/",
            params.commodity_since,
        ),
        "api list ?q (free text)": ("text", "/api/v1/seizures/", params.word),
        "page /seizures/?filters": ("page", "/seizures/", lambda: params.rng.choice(filters)()),
        "page /seizures/?q (free text)": ("text", "/seizures/", params.word),
        "page /seizures/<id>/": ("detail", "/seizures/{id}/", None),
        "api /api/v1/seizures/<id>/": ("detail", "/api/v1/seizures/{id}/", None),
    }


def run_case(client, raw, path, make_params, params, runs):
    app, cpu, first, raw_times, counts, slowest = [], [], [], [], [], (0.0, None, [])
    for _ in range(runs):
        if make_params is None:
            pk = params.seizure_id()
            url, query = path.format(id=pk), {}
        else:
            query = make_params()
            url = f"{path}?{urlencode(query)}"
        started = time.perf_counter()
        statements, status = captured_request(client, url)
        first.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        elapsed, status, cpu_time = timed_request(client, url)
        app.append(elapsed)
        cpu.append(cpu_time)
        total = 0.0
        for sql in statements:
            took = raw.run(sql)
            total += took
            if sql.upper().startswith("SELECT COUNT(*)"):  # exact or capped
                counts.append(took)
        raw_times.append(total)
        if app[-1] > slowest[0]:
            slowest = (app[-1], url, statements)
    return app, cpu, first, raw_times, counts, slowest


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
    args = parser.parse_args()
    groups = set(args.only.split(","))

    user = officer()
    client = signed_in(user)
    params = Parameters(user, seed=args.seed)
    raw = Raw()
    print(
        f"{user.administration.code}: {params.max_id - params.min_id + 1:,} ids, "
        f"{args.runs} runs per case, officer {user.username}; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    rows, explains = [], []
    for name, (group, path, make_params) in cases(params).items():
        if group not in groups:
            continue
        started = time.monotonic()
        app, cpu, first, raw_times, counts, slowest = run_case(
            client, raw, path, make_params, params, args.runs
        )
        app50, app95 = p50_p95(app)
        raw50, raw95 = p50_p95(raw_times)
        count = "/".join(ms(v) for v in p50_p95(counts)) if counts else "-"
        rows.append(
            (
                name,
                len(app),
                ms(app50),
                ms(app95),
                "/".join(ms(v) for v in p50_p95(cpu)),
                ms(p50_p95(first)[1]),
                ms(raw50),
                ms(raw95),
                f"{app50 / raw50:.2f}" if raw50 else "-",
                ms(app50 - raw50),
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
                "cpu p50/p95",
                "first p95",
                "raw p50",
                "raw p95",
                "app/raw",
                "app-raw p50",
                "count p50/p95",
            ),
        )
    )
    print(
        "(milliseconds; raw = the request's statements on seizures, through psycopg; "
        "app-raw = the time the app adds to them)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    for name, (elapsed, url, statements) in explains:
        print(f"\n=== {name}: slowest run {elapsed:.1f} ms: {url}")
        for sql in statements:
            print(f"\n{sql}\n{raw.explain(sql)}")
    raw.close()


if __name__ == "__main__":
    main()
