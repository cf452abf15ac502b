"""Spreadsheet import throughput: rows checked per second (the preview) and rows imported per
second (the worker's transaction), for a CSV of N rows, two items per seizure.

    python bench/import_throughput.py [--rows 2000]

The import is rolled back at the end: the database is left as it was. Target (issue 7):
5,000 rows/s imported.
"""

import argparse
import csv
import io
import random
import time

from common import officer
from django.db import transaction

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
    args = parser.parse_args()
    user = officer()
    data = _file(args.rows)

    started = time.perf_counter()
    checked = check(by=user, sheet=read(data))
    checking = time.perf_counter() - started
    assert checked.ok, checked.errors[:3]

    started = time.perf_counter()
    with transaction.atomic():
        created = seizures_import(by=user, data=data, file_name="bench.csv")
        importing = time.perf_counter() - started
        transaction.set_rollback(True)
    print(f"{args.rows} rows, {len(created)} seizures")
    print(f"check (preview): {checking:.2f} s, {args.rows / checking:,.0f} rows/s")
    print(f"import (check and save): {importing:.2f} s, {args.rows / importing:,.0f} rows/s")


if __name__ == "__main__":
    main()
