"""Spreadsheet import throughput: rows checked per second (the preview) and rows imported per
second (the worker's transaction), for a CSV of N rows, two items per seizure.

    python bench/import_throughput.py [--rows 2000] [--runs 1]

Each import is rolled back at the end: the database is left as it was. Target (issue 7):
5,000 rows/s imported. Wall clock, this process's CPU time and the CPU time of the
PostgreSQL process serving it (/proc, so on the same machine), which depend less on what
else the machine runs; with --runs N, the same file N times, each step's best and median.
"""

import argparse
import csv
import io
import os
import random
import statistics
import time

from common import cpu_seconds, officer
from django.db import connection, transaction

from seizures.imports import check, read, seizures_import, template_header

COMMODITIES = [("Methamphetamine", "kg"), ("Cocaine", "g"), ("Cigarettes", "sticks")]


def _file(rows: int) -> bytes:
    header = template_header()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for number in range(rows):
        commodity, unit = random.choice(COMMODITIES)
        values = {
            "Case key": str(number // 2),
            "Date and time": f"{random.randint(1, 28):02d}/0{random.randint(1, 9)}/2025 10:00",
            "Detection method": "X-ray or scanner",
            "Transport mode": "air_passenger",
            "Country of origin": "Mexico",
            "Country of destination": "FJ",
            "Commodity": commodity,
            "Quantity": f"{random.randint(1, 900)} {unit}",
        }
        if number % 2:
            values = {k: v for k, v in values.items() if k in ("Case key", "Commodity", "Quantity")}
        writer.writerow([values.get(name, "") for name in header])
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    user = officer()
    data = _file(args.rows)
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        server = cursor.fetchone()
    checks, imports = [], []
    for _run in range(args.runs):
        started = _clocks(server)
        checked = check(by=user, sheet=read(data))
        checks.append(_since(started, server))
        assert checked.ok, checked.errors[:3]

        started = _clocks(server)
        with transaction.atomic():
            created = seizures_import(by=user, data=data, file_name="bench.csv")
            imports.append(_since(started, server))
            transaction.set_rollback(True)
        print(
            f"{args.rows} rows, {len(created)} seizures: check {checks[-1][0]:.2f} s "
            f"(CPU {checks[-1][1]:.2f} s), import {imports[-1][0]:.2f} s "
            f"(CPU {imports[-1][1]:.2f} s, PostgreSQL's {imports[-1][2]:.2f} s)"
        )
    for name, times in (("check (preview)", checks), ("import (check and save)", imports)):
        walls = [wall for wall, _cpu, _server in times]
        best, median = min(walls), statistics.median(walls)
        print(
            f"{name}: best {best:.2f} s, {args.rows / best:,.0f} rows/s; median {median:.2f} s, "
            f"{args.rows / median:,.0f} rows/s; CPU median "
            f"{statistics.median(cpu for _wall, cpu, _server in times):.2f} s, PostgreSQL's "
            f"{statistics.median(server for _wall, _cpu, server in times):.2f} s"
        )
    print(f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    # Each rolled-back import leaves the rows its triggers appended to the rollup's changes
    # as dead rows, which every dashboard figure scans until a vacuum (autovacuum may be
    # off): ~80,000 a run. Leave the table as the runs found it.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM analysis_seizurecountchange")


def _clocks(server: tuple) -> tuple[float, float, float]:
    return time.perf_counter(), time.process_time(), cpu_seconds(server)


def _since(started: tuple, server: tuple) -> tuple[float, float, float]:
    """Wall clock, this process's CPU and PostgreSQL's since ``started``."""
    return tuple(now - then for now, then in zip(_clocks(server), started, strict=True))


if __name__ == "__main__":
    main()
