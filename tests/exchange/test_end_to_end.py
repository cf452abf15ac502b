"""The real thing: a Celery worker with beat, on the real Redis, delivers from this
instance's outbox to a hub running as a separate HTTP server on its own database, through
an outage of the hub."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from exchange import signing
from exchange.models import OutboxEntry
from exchange.tasks import deliver_outbox

from ..celery_worker import database_url
from .conftest import approved, reapproved

ROOT = Path(__file__).resolve().parents[2]
HUB_REDIS_DB = 7


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Hub:
    """A hub instance: its own database, migrated, with member FJ registered, served by
    gunicorn on a loopback port that it keeps across restarts."""

    def __init__(self, *, public_key: str, tmp_path: Path):
        national = connection.settings_dict
        self.name = f"{national['NAME']}_hub"[:63]
        self.admin_url = database_url().rsplit("/", 1)[0] + "/postgres"
        self.url = database_url().rsplit("/", 1)[0] + f"/{self.name}"
        self.port = _free_port()
        self.log = (tmp_path / "hub.log").open("wb")
        self.process = None
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "ncen.settings.test",
            "DATABASE_URL": self.url,
            "REDIS_URL": f"redis://127.0.0.1:6379/{HUB_REDIS_DB}",
            "NCEN_HUB": "true",
        }
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
        self._manage("migrate", "-v0")
        self._manage("exchange_member", "FJ", "Fiji Revenue and Customs Service", public_key)

    def _admin(self, *statements):
        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            for statement in statements:
                admin.execute(statement)

    def _manage(self, *args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ncen.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--preload",  # the application is loaded before the port opens
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to pause and resume it whole
        )
        _wait_until(self._listening, timeout=30, what="the hub to listen")

    def _listening(self) -> bool:
        with contextlib.closing(socket.socket()) as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def pause(self):
        """SIGSTOP: connections are still accepted by the kernel, but nothing answers."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.killpg(self.process.pid, signal.SIGCONT)

    def stop(self):
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGCONT)  # in case a failed test left it paused
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
            self.process = None

    def bytes_waiting(self) -> int:
        """Bytes that reached the paused hub's established connections, unread: a request
        on the wire. From /proc/net/tcp: local address, state 01 (established), rx_queue."""
        waiting = 0
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(FileNotFoundError), open(table) as rows:
                for row in list(rows)[1:]:
                    fields = row.split()
                    port = int(fields[1].rsplit(":", 1)[1], 16)
                    if port == self.port and fields[3] == "01":
                        waiting += int(fields[4].split(":")[1], 16)
        return waiting

    def query(self, sql: str, *params):
        with psycopg.connect(self.url) as hub_db:
            return hub_db.execute(sql, params).fetchall()

    def close(self):
        self.stop()
        self.log.close()
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def fj_keys(tmp_path):
    path = tmp_path / "fj.pem"
    return path, signing.public_key_text(signing.generate_private_key(path))


@pytest.fixture
def hub_server(transactional_db, fj_keys, tmp_path):
    hub = Hub(public_key=fj_keys[1], tmp_path=tmp_path)
    hub.start()
    yield hub
    hub.close()


class Worker:
    """This instance's Celery worker with beat (sweeping every second), on this test's
    database and a queue of its own, signing as FJ for ``hub``; it retries after a second
    or two, waits 5 seconds for an answer, and takes a claim held for 6 seconds for a dead
    worker's."""

    def __init__(self, *, hub: Hub, key_file: Path, tmp_path: Path):
        self.queue = f"test-exchange-{uuid.uuid4().hex}"
        self.tmp_path = tmp_path
        self.process = None
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "ncen.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_QUEUE": self.queue,
            "NCEN_EXCHANGE_HUB_URL": f"http://127.0.0.1:{hub.port}",
            "NCEN_EXCHANGE_MEMBER": "FJ",
            "NCEN_EXCHANGE_KEY_FILE": str(key_file),
            "NCEN_EXCHANGE_RETRY_BASE_SECONDS": "1",
            "NCEN_EXCHANGE_RETRY_CEILING_SECONDS": "2",
            "NCEN_EXCHANGE_SWEEP_SECONDS": "1",
            "NCEN_EXCHANGE_TIMEOUT_SECONDS": "5",
            "NCEN_EXCHANGE_SENDING_LEASE_SECONDS": "6",
        }

    def start(self):
        log = (self.tmp_path / "worker.log").open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ncen",
                "worker",
                "--beat",
                "--schedule",
                str(self.tmp_path / f"beat-schedule-{uuid.uuid4().hex}"),
                "--pool",
                "solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: beat runs in a child process
        )
        log.close()

    def kill(self):
        """SIGKILL to the worker and its beat: no chance to finish what it holds."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture
def national_worker(transactional_db, hub_server, fj_keys, tmp_path, monkeypatch):
    worker = Worker(hub=hub_server, key_file=fj_keys[0], tmp_path=tmp_path)
    send = deliver_outbox.apply_async
    monkeypatch.setattr(
        deliver_outbox, "apply_async", lambda **kwargs: send(queue=worker.queue, **kwargs)
    )
    worker.start()
    yield worker
    worker.stop()


def _entry(seizure, version) -> OutboxEntry:
    return OutboxEntry.objects.get(seizure=seizure, version=version, destination="regional")


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_to_a_live_hub_once_and_through_an_outage(
    hub_server, national_worker, fj_officer, fj_supervisor
):
    approval = approved(fj_officer, fj_supervisor)
    seizure = approval.seizure
    _wait_until(
        lambda: _entry(seizure, 1).state == "acknowledged", timeout=30, what="version 1's answer"
    )
    stored = hub_server.query(
        "SELECT r.version, v.version, v.message FROM exchange_regionalrecord r"
        " JOIN exchange_regionalversion v ON v.record_id = r.id WHERE r.record_uuid = %s",
        seizure.uuid,
    )
    assert stored == [(1, 1, "seizure")]

    hub_server.stop()
    reapproved(seizure, fj_officer, fj_supervisor)
    failed = _wait_until(
        lambda: (entry := _entry(seizure, 2)).attempts >= 1 and entry.last_error and entry,
        timeout=30,
        what="a failed attempt at version 2",
    )
    assert failed.state == "pending"
    assert "could not be reached" in failed.last_error
    assert failed.next_attempt_at <= timezone.now() + timezone.timedelta(seconds=3)

    hub_server.start()
    delivered = _wait_until(
        lambda: (entry := _entry(seizure, 2)).state == "acknowledged" and entry,
        timeout=30,
        what="version 2 delivered after the hub came back",
    )
    # A first answer slower than the timeout (the machine is busy) is sent again and then
    # acknowledged as a duplicate: either way the hub holds each version once (below).
    assert delivered.outcome in {"accepted", "duplicate"}
    assert delivered.attempts >= 2
    stored = hub_server.query(
        "SELECT r.version, v.version, v.message FROM exchange_regionalrecord r"
        " JOIN exchange_regionalversion v ON v.record_id = r.id WHERE r.record_uuid = %s"
        " ORDER BY v.id",
        seizure.uuid,
    )
    assert stored == [(2, 1, "seizure"), (2, 2, "seizure")]
    assert hub_server.query("SELECT count(*) FROM exchange_regionalrecord") == [(1,)]


# The POST waits up to 5 seconds for the paused hub, long enough to kill the worker in it.
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_loses_and_duplicates_nothing(
    hub_server, national_worker, fj_officer, fj_supervisor
):
    """The hub hangs while the worker sends; the worker is killed with the batch on the
    wire; the hub then reads that batch. A new worker takes the abandoned claim back after
    its lease and sends it again: the hub answers duplicate and holds the record once."""
    hub_server.pause()
    seizure = approved(fj_officer, fj_supervisor).seizure
    _wait_until(
        lambda: _entry(seizure, 1).state == "sending", timeout=30, what="the worker to claim"
    )
    # The claim comes before the request: kill the worker only once the whole batch (more
    # than its payload) waits in the paused hub's connection, or the hub never gets it.
    payload_size = len(_entry(seizure, 1).payload)
    _wait_until(
        lambda: hub_server.bytes_waiting() > payload_size, timeout=30, what="the batch to arrive"
    )
    national_worker.kill()
    hub_server.resume()
    _wait_until(
        lambda: hub_server.query("SELECT count(*) FROM exchange_regionalversion") == [(1,)],
        timeout=30,
        what="the hub to store the batch of the killed worker",
    )
    assert _entry(seizure, 1).state == "sending"  # nobody is left to hear the answer

    national_worker.start()
    entry = _wait_until(
        lambda: (entry := _entry(seizure, 1)).state == "acknowledged" and entry,
        timeout=30,
        what="the new worker to send the abandoned entry again",
    )
    assert entry.outcome == "duplicate"
    assert hub_server.query("SELECT count(*) FROM exchange_regionalversion") == [(1,)]
    assert hub_server.query("SELECT count(*) FROM exchange_regionalrecord") == [(1,)]
