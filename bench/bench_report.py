"""Seizure report PDF generation at a million seizures: p50/p95 over --runs reports of one
full case (6 items, 3 offences, 3 photos, 3 persons and a business linked), made as the
worker makes it (reading the record, the template, WeasyPrint's layout, writing the PDF,
keeping it with its audit entries), for a supervisor, whose report names the persons.

    python bench/bench_report.py [--runs 30]

Everything happens in one transaction rolled back at the end, and the files go to a
temporary folder: the database is left as it was. Target (issue 7): 1 s.
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
from seizures.models import Seizure
from tests.factories import make_full_case


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    supervisor = User.objects.filter(
        administration__code="FJ", role=Role.SUPERVISOR, is_active=True
    ).first()
    seizures = Seizure.objects.filter(administration__code="FJ").count()
    print(f"FJ seizures: {seizures:,}; load average: {os.getloadavg()}")
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-report-")
    # CPU time of this process beside wall-clock time: on a shared machine the wall clock
    # also counts the time other processes held the cores.
    timings, cpu, steps = [], [], {"read": [], "layout": [], "write and keep": []}
    try:
        with transaction.atomic():
            seizure = make_full_case(by=supervisor)
            with (
                translation.override("en"),
                timezone.override(supervisor.administration.time_zone),
            ):
                for run in range(args.runs + 1):
                    report = services.report_request(
                        by=supervisor, kind=Report.Kind.SEIZURE, seizure=seizure, language="en"
                    )
                    marks = [time.perf_counter()]
                    started, cpu_started = time.perf_counter(), time.process_time()
                    services.report_generate(
                        report=report,
                        progress=lambda _done, marks=marks: marks.append(time.perf_counter()),
                    )
                    total = time.perf_counter() - started
                    cpu_total = time.process_time() - cpu_started
                    if run == 0:
                        print(f"first (cold: fonts, templates, WeasyPrint's caches): {total:.3f} s")
                        continue
                    timings.append(total)
                    cpu.append(cpu_total)
                    steps["read"].append(marks[2] - marks[1])
                    steps["layout"].append(marks[3] - marks[2])
                    steps["write and keep"].append(started + total - marks[3])
            report.refresh_from_db()
            nominal = report.includes_nominal
            print(f"{report.pages} pages, {report.size:,} bytes, persons named: {nominal}")
            raise Rollback
    except Rollback:
        pass
    print_runs(f"seizure report, {args.runs} runs", timings, cpu, steps, in_ms=True)


if __name__ == "__main__":
    main()
