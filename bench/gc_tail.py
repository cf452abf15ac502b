"""How much of the list API's p95 is Python's cyclic garbage collector.

    python bench/gc_tail.py [--runs 200] [--mode server|python|off|freeze]

Times GET /api/v1/seizures/ with the commodity-since-a-date and route-country filters (the
same varied parameters as bench_queries.py, each request sent once to warm it, then timed),
with the collector as the server sets it (server: gunicorn.conf.py's
settle_garbage_collector, which every benchmark applies through common.py), as Python sets
it (python: nothing frozen, thresholds 700, 10, 10), disabled (off), or after gc.freeze() of
what start-up created with Python's thresholds (freeze).
"""

import argparse
import gc
import time
from urllib.parse import urlencode

from common import Parameters, officer, p50_p95, signed_in

MODES = ("server", "python", "off", "freeze")
PYTHON_THRESHOLDS = (700, 10, 10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--mode", choices=MODES, default="server")
    args = parser.parse_args()
    user = officer()
    client = signed_in(user)
    # common.py has settled the collector as the server does; undo what the mode leaves out.
    if args.mode != "server":
        gc.unfreeze()
        gc.set_threshold(*PYTHON_THRESHOLDS)
    if args.mode == "off":
        gc.disable()
    elif args.mode == "freeze":
        gc.collect()
        gc.freeze()
    for case in ("commodity_since", "route_country"):
        params = Parameters(user, seed=1)
        times = []
        for _ in range(args.runs):
            url = f"/api/v1/seizures/?{urlencode(getattr(params, case)())}"
            client.get(url)
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        p50, p95 = p50_p95(times)
        print(f"{args.mode:7} {case:16} p50 {p50:6.1f}  p95 {p95:6.1f}  max {max(times):6.1f} ms")


if __name__ == "__main__":
    main()
