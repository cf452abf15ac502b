"""What the benchmark scripts share: Django set-up, a signed-in client, varied parameters,
timing of the app and of the same SQL sent straight through psycopg.

Not tests: they measure the development database (DJANGO_SETTINGS_MODULE defaults to
ncen.settings.development, DATABASE_URL to postgres://postgres@127.0.0.1:5432/ncen) after
`python manage.py generate_data --seizures 1000000`.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncen.settings.development")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ncen.models import Office, Role, User  # noqa: E402
from ncen.wsgi import settle_garbage_collector  # noqa: E402
from seizures.models import Code, Seizure  # noqa: E402

# Measure the app as production runs it: no query log, no debug templates, and the garbage
# collector as gunicorn.conf.py sets it in each worker once the application is loaded.
settings.DEBUG = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
settle_garbage_collector()
# The common words of the generated narratives, which nobody searches for.
STOP_WORDS = frozenset(
    {
        "the",
        "and",
        "was",
        "were",
        "with",
        "from",
        "for",
        "that",
        "had",
        "not",
        "has",
        "its",
        "his",
        "her",
        "into",
        "this",
        "then",
        "than",
        "after",
        "before",
        "found",
        "been",
        "their",
        "officers",
        "officer",
    }
)


def officer(code: str = "FJ") -> User:
    user = User.objects.filter(administration__code=code, role=Role.OFFICER, is_active=True).first()
    if user is None:
        sys.exit(f"No officer of {code}: run NCEN_DEMO_MODE=true python manage.py seed_demo.")
    count = Seizure.objects.filter(administration_id=user.administration_id).count()
    if count < 1000:
        sys.exit(f"{code} has {count} seizures: run python manage.py generate_data first.")
    return user


def cpu_seconds(pids) -> float:
    """User and system CPU time of these processes so far (/proc/PID/stat), in seconds."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(share * 100) - 1]


def p50_p95(values: list[float]) -> tuple[float, float]:
    return percentile(values, 0.50), percentile(values, 0.95)


def print_runs(title: str, timings: list, cpu: list, steps: dict, *, in_ms: bool) -> None:
    """p50 and p95 of a document's runs, of this process's CPU time and of each step (in
    seconds, shown in milliseconds or seconds), then the load average."""

    def shown(values: list[float]) -> str:
        p50, p95 = p50_p95(values)
        if in_ms:
            return f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
        return f"p50 {p50:.2f} s, p95 {p95:.2f} s"

    print(f"{title}: {shown(timings)}")
    print(f"  CPU time of this process: {shown(cpu)}")
    for name, values in steps.items():
        print(f"  {name:>14}: {shown(values)}")
    print(f"load average after: {os.getloadavg()}")


class Raw:
    """A psycopg connection of its own, on which captured SQL runs as the app sent it."""

    def __init__(self):
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("server_side_binding", None)
        self.conn = psycopg.connect(**params, autocommit=True)

    def run(self, sql: str) -> float:
        """Milliseconds to execute one statement and fetch all its rows."""
        with self.conn.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql.encode())
            if cursor.description is not None:
                cursor.fetchall()
            return (time.perf_counter() - started) * 1000

    def explain(self, sql: str) -> str:
        with self.conn.cursor() as cursor:
            cursor.execute(b"EXPLAIN (ANALYZE, BUFFERS) " + sql.encode())
            return "\n".join(row[0] for row in cursor.fetchall())

    def close(self):
        self.conn.close()


def data_queries(captured) -> list[str]:
    """The statements of a request that read seizures (not the session, user or savepoints)."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if "seizures_" in query["sql"] and not query["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]


def timed_request(client: Client, url: str) -> tuple[float, int, float]:
    """Milliseconds of wall clock, the status, and milliseconds of this process's CPU time
    (which leaves out waiting for PostgreSQL and for other processes on a busy machine)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    else:
        _ = response.content
    cpu = (time.process_time() - started_cpu) * 1000
    return (time.perf_counter() - started) * 1000, response.status_code, cpu


def captured_request(client: Client, url: str) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return data_queries(captured), response.status_code


class Parameters:
    """Varied, realistic filter values drawn from the data itself."""

    def __init__(self, user: User, seed: int = 1):
        self.rng = random.Random(seed)
        self.user = user
        administration_id = user.administration_id
        self.offices = list(
            Office.objects.filter(administration_id=administration_id).values_list("pk", flat=True)
        )
        self.commodities = list(
            Code.objects.filter(list="commodity", administration__isnull=True).values_list(
                "pk", flat=True
            )
        )
        self.detection = list(
            Code.objects.filter(list="detection_method").values_list("pk", flat=True)
        )
        self.transport = list(
            Code.objects.filter(list="transport_mode").values_list("pk", flat=True)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c, count(*) FROM (SELECT unnest(route_countries) AS c FROM "
                "seizures_seizure TABLESAMPLE SYSTEM (2) WHERE administration_id = %s) AS s "
                "GROUP BY c",
                [administration_id],
            )
            self.countries = [country for country, _count in cursor.fetchall()]
            cursor.execute(
                "SELECT min(occurred_at)::date, max(occurred_at)::date FROM seizures_seizure "
                "WHERE administration_id = %s",
                [administration_id],
            )
            self.first_day, self.last_day = cursor.fetchone()
            cursor.execute(
                "SELECT narrative, flight_number, vessel_name, container_number "
                "FROM seizures_seizure TABLESAMPLE SYSTEM (1) WHERE administration_id = %s "
                "LIMIT 2000",
                [administration_id],
            )
            self.samples = cursor.fetchall()
            cursor.execute(
                "SELECT min(id), max(id) FROM seizures_seizure WHERE administration_id = %s",
                [administration_id],
            )
            self.min_id, self.max_id = cursor.fetchone()

    def day(self, *, at_least_days_ago: int = 0):
        span = (self.last_day - self.first_day).days - at_least_days_ago
        return self.first_day + timedelta(days=self.rng.randrange(span))

    def commodity_since(self) -> dict:
        return {
            "commodity": self.rng.choice(self.commodities),
            "occurred_from": self.day(at_least_days_ago=30).isoformat(),
        }

    def route_country(self) -> dict:
        return {"route_country": self.rng.choice(self.countries)}

    def detection_transport(self) -> dict:
        return {
            "detection_method": self.rng.choice(self.detection),
            "transport_mode": self.rng.choice(self.transport),
        }

    def office(self) -> dict:
        return {"office": self.rng.choice(self.offices)}

    def word(self) -> dict:
        """A word someone would search for: a token of a narrative, or a conveyance id."""
        narrative, flight, vessel, container = self.rng.choice(self.samples)
        pick = self.rng.random()
        if pick < 0.15 and container:
            return {"q": container}
        if pick < 0.25 and flight:
            return {"q": flight}
        if pick < 0.35 and vessel:
            return {"q": f'"{vessel}"'}
        words = [
            word.strip(".,;()'").lower()
            for word in narrative.split()
            if len(word.strip(".,;()'")) >= 4 and word.isascii()
        ]
        words = [word for word in words if word.isalpha() and word not in STOP_WORDS]
        return {"q": self.rng.choice(words)}

    def seizure_id(self) -> int:
        while True:
            pk = self.rng.randint(self.min_id, self.max_id)
            if Seizure.objects.filter(
                pk=pk, administration_id=self.user.administration_id
            ).exists():
                return pk


def table(rows: list[tuple], headers: tuple) -> str:
    widths = [max(len(str(v)) for v in column) for column in zip(headers, *rows, strict=True)]
    lines = [" | ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-|-".join("-" * w for w in widths))
    for row in rows:
        lines.append(" | ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def ms(value: float) -> str:
    return f"{value:.1f}"


class Rollback(Exception):
    """Raised inside a benchmark's transaction to leave the database as it was."""
