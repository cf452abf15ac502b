"""Periodic bulletin PDF at a million seizures: p50/p95 over --runs bulletins of one year of
FJ's seizures (every filter but the period empty, or --commodity), made as the worker makes
it: the figures of analysis.stats and the template (read), WeasyPrint's layout, writing the
PDF and keeping it with its audit entry (write and keep).

    python bench/bench_bulletin.py [--runs 5] [--year 2025] [--commodity drugs]

Everything happens in one transaction rolled back at the end, and the files go to a
temporary folder: the database is left as it was. Target (issue 7): 15 s.
"""

import argparse
import os
import tempfile
import time

from common import Rollback, print_runs
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from ncen.models import Role, User
from reports import services
from reports.models import Report
from seizures.models import Code, Seizure


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--commodity", help="a commodity code, e.g. drugs")
    args = parser.parse_args()
    officer = User.objects.filter(
        administration__code="FJ", role=Role.OFFICER, is_active=True
    ).first()
    filters = {"occurred_from": f"{args.year}-01-01", "occurred_to": f"{args.year}-12-31"}
    if args.commodity:
        filters["commodity"] = str(
            Code.objects.get(list="commodity", code=args.commodity, administration=None).pk
        )
    seizures = Seizure.objects.filter(administration__code="FJ").count()
    print(f"FJ seizures: {seizures:,}; filters {filters}; load average: {os.getloadavg()}")
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-bulletin-")
    timings, cpu, steps = [], [], {"read": [], "layout": [], "write and keep": []}
    try:
        with (
            transaction.atomic(),
            translation.override("en"),
            timezone.override(officer.administration.time_zone),
        ):
            for _run in range(args.runs):
                report = services.report_request(
                    by=officer, kind=Report.Kind.BULLETIN, filters=filters, language="en"
                )
                marks = []
                started, cpu_started = time.perf_counter(), time.process_time()
                services.report_generate(
                    report=report,
                    progress=lambda _done, marks=marks: marks.append(time.perf_counter()),
                )
                total = time.perf_counter() - started
                timings.append(total)
                cpu.append(time.process_time() - cpu_started)
                steps["read"].append(marks[1] - marks[0])
                steps["layout"].append(marks[2] - marks[1])
                steps["write and keep"].append(started + total - marks[2])
                print(f"  run {_run + 1}: {total:.2f} s, load {os.getloadavg()[0]:.1f}")
            report.refresh_from_db()
            print(f"{report.pages} pages, {report.size:,} bytes")
            raise Rollback
    except Rollback:
        pass
    print_runs(f"bulletin of {args.year}, {args.runs} runs", timings, cpu, steps, in_ms=False)


if __name__ == "__main__":
    main()
