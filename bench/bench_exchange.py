"""The exchange's delivery: records per second from the outbox to the hub's acknowledgement,
and the latency from approval to acknowledgement with an idle worker.

Runs the live parts of the end-to-end test (tests/exchange/live.py): a hub served by
gunicorn on a database of its own (``<database>_hub``, created and dropped by the run) and
this instance's Celery worker with beat, on its own queue of REDIS_URL. Changes the data:
it records and approves, as FJ's demo officer and supervisor, the shared records that are
missing to reach --records, then puts every regional outbox entry of FJ back in the queue
and times their delivery; then it approves --approvals more records one at a time.

The clock starts once the worker has started and run one delivery task (it is idle, as a
worker of a running instance is), and the outbox has been vacuumed (the runs before left
their dead rows, which autovacuum would have cleared). Besides the wall clock, it reports
the CPU time the worker, the hub and their PostgreSQL connections spent during delivery.

    python bench/bench_exchange.py [--records 10000] [--approvals 50] [--batch-size 200]
                                   [--senders 1] [--hub-workers 1]
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

import common
from common import cpu_seconds
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from exchange import signing
from exchange.models import Destination, Message, OutboxEntry
from exchange.tasks import deliver_outbox
from ncen import tasks
from ncen.models import TaskRun, User
from ncen.tasking import enqueue
from seizures import services
from tests.celery_worker import wait_until
from tests.exchange.live import Hub, Worker
from tests.factories import decision, make_seizures

CHUNK = 500


def regional_entries():
    return OutboxEntry.objects.filter(administration__code="FJ", destination=Destination.REGIONAL)


def submitted(*, officer, count: int) -> list:
    return [
        services.seizure_submit(by=officer, seizure=seizure)
        for seizure in make_seizures(by=officer, count=count)
    ]


def approve(*, supervisor, seizure):
    return services.seizure_approve(
        by=supervisor, seizure=seizure, expected_version=seizure.version, decision=decision()
    )


def add_approved(*, officer, supervisor, count: int) -> None:
    started = time.perf_counter()
    while count > 0:
        with transaction.atomic():
            for seizure in submitted(officer=officer, count=min(count, CHUNK)):
                approve(supervisor=supervisor, seizure=seizure)
        count -= CHUNK
        elapsed = time.perf_counter() - started
        print(f"  {regional_entries().count()} entries after {elapsed:.0f} s")


def group_pids(group: int) -> list[int]:
    """The processes of a process group: a worker with its beat, gunicorn with its workers."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            if int(fields[2]) == group:
                pids.append(int(entry))
    return pids


class BackendCpu:
    """The CPU time of the PostgreSQL server processes serving some databases (other than
    this script's), sampled while delivery runs: a Celery task opens a connection of its own
    and closes it when it ends, so the processes are read while they live."""

    def __init__(self, databases: list[str]):
        self.databases = databases
        self.start = self._now()  # what the processes that serve already had spent
        self.last = dict(self.start)

    def _now(self) -> dict[int, float]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = ANY(%s) AND pid <> pg_backend_pid()",
                [self.databases],
            )
            return {pid: cpu_seconds([pid]) for (pid,) in cursor.fetchall()}

    def sample(self) -> None:
        self.last.update(self._now())

    def spent(self) -> float:
        return sum(cpu - self.start.get(pid, 0) for pid, cpu in self.last.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--approvals", type=int, default=50)
    parser.add_argument("--spacing", type=float, default=0.5, help="seconds between approvals")
    parser.add_argument("--batch-size", type=int, help="NCEN_EXCHANGE_BATCH_SIZE of the worker")
    parser.add_argument("--senders", type=int, default=1, help="the worker's concurrency")
    parser.add_argument("--hub-workers", type=int, default=1, help="the hub's gunicorn workers")
    args = parser.parse_args()
    officer = User.objects.get(username="fj.officer")
    supervisor = User.objects.get(username="fj.supervisor")
    tasks.email_notification.apply_async = lambda **kwargs: None
    send = deliver_outbox.apply_async
    deliver_outbox.apply_async = lambda **kwargs: None  # nothing is sent while generating
    missing = args.records - regional_entries().filter(message=Message.SEIZURE).count()
    if missing > 0:
        print(f"Approving {missing} shared records")
        add_approved(officer=officer, supervisor=supervisor, count=missing)
    drafts = submitted(officer=officer, count=args.approvals)

    with tempfile.TemporaryDirectory() as folder:
        tmp_path = Path(folder)
        key_file = tmp_path / "fj.pem"
        public_key = signing.public_key_text(signing.generate_private_key(key_file))
        hub = Hub(public_key=public_key, tmp_path=tmp_path, workers=args.hub_workers)
        overrides = {"NCEN_EXCHANGE_BATCH_SIZE": str(args.batch_size)} if args.batch_size else {}
        worker = Worker(
            hub=hub,
            key_file=key_file,
            tmp_path=tmp_path,
            concurrency=args.senders,
            **overrides,
        )
        deliver_outbox.apply_async = lambda **kwargs: send(queue=worker.queue, **kwargs)
        try:
            hub.start()
            worker.start()
            ready = enqueue(deliver_outbox)
            wait_until(
                lambda: TaskRun.objects.filter(
                    pk=ready.pk, status=TaskRun.Status.SUCCEEDED
                ).exists(),
                timeout=120,
                what="the worker to run its first task",
            )
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE exchange_outboxentry")
            processes = {
                "worker": group_pids(worker.process.pid),
                "hub": group_pids(hub.process.pid),
            }
            cpu_before = {name: cpu_seconds(pids) for name, pids in processes.items()}
            national = connection.settings_dict["NAME"]
            backends = {name: BackendCpu([name]) for name in (national, hub.name)}
            # Everything goes back in the queue; each sender of the (now idle) worker is asked
            # once.
            started = timezone.now()
            count = regional_entries().update(
                state=OutboxEntry.State.PENDING,
                attempts=0,
                next_attempt_at=started,
                claimed_by=None,
                claimed_at=None,
                outcome="",
                acknowledged_at=None,
            )
            for _sender in range(args.senders):
                deliver_outbox.apply_async()

            def delivered() -> bool:
                for backend in backends.values():
                    backend.sample()
                return not regional_entries().exclude(state=OutboxEntry.State.ACKNOWLEDGED).exists()

            wait_until(
                delivered,
                timeout=600,
                what="every entry to be acknowledged",
            )
            finished = regional_entries().aggregate(last=Max("acknowledged_at"))["last"]
            seconds = (finished - started).total_seconds()
            cpu = {name: cpu_seconds(pids) - cpu_before[name] for name, pids in processes.items()}
            cpu["PostgreSQL, national"] = backends[national].spent()
            cpu["PostgreSQL, hub"] = backends[hub.name].spent()
            stored = hub.query("SELECT count(*) FROM exchange_regionalversion")[0][0]
            load_after_delivery = os.getloadavg()

            latencies = []
            for seizure in drafts:
                time.sleep(args.spacing)
                approval = approve(supervisor=supervisor, seizure=seizure)
                entry = wait_until(
                    lambda a=approval: (
                        regional_entries().filter(approval=a, acknowledged_at__isnull=False).first()
                    ),
                    timeout=60,
                    what="the approval's acknowledgement",
                )
                latencies.append((entry.acknowledged_at - approval.approved_at).total_seconds())
        finally:
            deliver_outbox.apply_async = send
            worker.stop()
            hub.close()

    p50, p95 = common.p50_p95(latencies)
    print(
        common.table(
            [
                ("entries delivered", count),
                ("messages the hub stored", stored),
                ("seconds, queue to last acknowledgement", f"{seconds:.2f}"),
                ("records/s", f"{count / seconds:.0f}"),
                *((f"CPU s during delivery: {name}", f"{cpu[name]:.2f}") for name in cpu),
                ("load average after delivery", " ".join(f"{x:.2f}" for x in load_after_delivery)),
                (f"approval to acknowledgement, {len(latencies)} approvals: p50 s", f"{p50:.3f}"),
                ("approval to acknowledgement: p95 s", f"{p95:.3f}"),
                ("load average at the end", " ".join(f"{x:.2f}" for x in os.getloadavg())),
            ],
            ("figure", "value"),
        )
    )


if __name__ == "__main__":
    main()
