"""How much of the list API's p95 is Python's cyclic garbage collector.

    python bench/gc_tail.py [--runs 200] [--mode normal|off|freeze|tuned]

Times GET /api/v1/seizures/ with the commodity-since-a-date and route-country filters (the
same varied parameters as bench_queries.py, each request sent once to warm it, then timed),
with the collector as Python sets it (normal), disabled (off), after gc.freeze() of what
start-up created (freeze), or frozen with a gen0 threshold of 50,000 objects and rare older
collections (tuned: gc.set_threshold(50_000, 50, 1000)).
"""

import argparse
import gc
import time
from urllib.parse import urlencode

from common import Parameters, officer, p50_p95, signed_in

MODES = ("normal", "off", "freeze", "tuned")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--mode", choices=MODES, default="normal")
    args = parser.parse_args()
    user = officer()
    client = signed_in(user)
    if args.mode == "off":
        gc.disable()
    elif args.mode in ("freeze", "tuned"):
        gc.collect()
        gc.freeze()
        if args.mode == "tuned":
            gc.set_threshold(50_000, 50, 1000)
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
