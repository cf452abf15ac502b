"""The live parts of the exchange for end-to-end tests and benchmarks: a hub served by
gunicorn on its own database, this instance's Celery worker with beat, and a Redis server of
their own that can be killed and started again."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
from django.db import connection

from ..celery_worker import database_url, wait_until

ROOT = Path(__file__).resolve().parents[2]
HUB_REDIS_DB = 7


def free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Hub:
    """A hub instance: its own database, migrated, with member FJ registered, served by
    gunicorn with the image's settings on a loopback port that it keeps across restarts."""

    def __init__(self, *, public_key: str, tmp_path: Path, workers: int = 1):
        self.workers = workers
        national = connection.settings_dict
        self.name = f"{national['NAME']}_hub"[:63]
        self.admin_url = database_url().rsplit("/", 1)[0] + "/postgres"
        self.url = database_url().rsplit("/", 1)[0] + f"/{self.name}"
        self.port = free_port()
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
                "--config",
                str(ROOT / "gunicorn.conf.py"),  # as the image runs it
                "ncen.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--preload",  # the application is loaded before the port opens
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to pause and resume it whole
        )
        wait_until(self._listening, timeout=30, what="the hub to listen")

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


class Worker:
    """This instance's Celery worker with beat (sweeping every second), on this test's
    database and a queue of its own, signing as FJ for ``hub``; it retries after a second
    or two, waits 5 seconds for an answer, and takes a claim held for 6 seconds for a dead
    worker's. ``redis_url`` is its broker (the settings' by default) and ``overrides`` change
    its other settings."""

    def __init__(
        self,
        *,
        hub: Hub,
        key_file: Path,
        tmp_path: Path,
        redis_url: str = "",
        concurrency: int = 1,
        **overrides,
    ):
        self.concurrency = concurrency
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
            **({"REDIS_URL": redis_url} if redis_url else {}),
            **overrides,
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
                *(
                    ("--pool", "solo")
                    if self.concurrency == 1
                    else ("--pool", "prefork", "--concurrency", str(self.concurrency))
                ),
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


class RedisServer:
    """A redis-server of its own on a loopback port that it keeps across restarts, without
    persistence: killing it loses every message it held, as a crash would."""

    def __init__(self, *, tmp_path: Path):
        self.port = free_port()
        self.tmp_path = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=30, what="Redis to answer")

    def _answers(self) -> bool:
        with contextlib.closing(socket.socket()) as probe:
            probe.settimeout(1)
            if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                return False
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")

    def kill(self):
        """SIGKILL: what it held is gone."""
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
