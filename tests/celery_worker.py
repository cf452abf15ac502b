"""A real Celery worker for a test: on the test's database, with a queue of its own on the
real Redis, and the test's upload folder; the mail it sends is written to files the test
reads (``sent_mail``)."""

import email
import email.policy
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    db = connection.settings_dict
    credentials = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}"
    if db["HOST"].startswith("/"):  # a Unix socket directory, as with the embedded server
        return f"postgres://{credentials}@/{db['NAME']}?host={quote(db['HOST'])}"
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition, *, timeout: float, what: str, state=None):
    """``condition()``'s first true value within ``timeout`` seconds; else fail, saying what
    was awaited and, when given, what ``state()`` says about where things stand."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    found = f" ({state()})" if state is not None else ""
    raise AssertionError(f"timed out waiting for {what}{found}")


def finished(run, *, timeout: float = 60):
    """The TaskRun ``run`` once a worker has finished it, succeeded or failed."""
    from ncen.models import TaskRun

    def done():
        run.refresh_from_db()
        return run.status in (TaskRun.Status.SUCCEEDED, TaskRun.Status.FAILED) and run

    return wait_until(done, timeout=timeout, what=f"{run.name} to finish", state=lambda: run.status)


def mail_folder(queue: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "worker-mail" / queue


def sent_mail(queue: str) -> list[email.message.EmailMessage]:
    """The messages the worker of ``queue`` has sent so far, in the order it wrote them."""
    folder = mail_folder(queue)
    files = sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime_ns)
    # The file backend writes each message followed by a line of 79 dashes.
    return [
        email.message_from_bytes(raw.strip(), policy=email.policy.default)
        for path in files
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")
        if raw.strip()
    ]


@contextmanager
def running_worker(queue: str):
    folder = mail_folder(queue)
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ncen.settings.test",
        "DATABASE_URL": database_url(),
        "NCEN_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "NCEN_TEST_MAIL_DIR": str(folder),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ncen",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def send_to(task, queue: str, monkeypatch) -> None:
    """Send ``task`` to the test's queue: the worker listens to nothing else."""
    send = task.apply_async
    monkeypatch.setattr(task, "apply_async", lambda **kwargs: send(queue=queue, **kwargs))


def own_queue(request) -> str:
    """A queue name of the test's own."""
    return f"test-{os.getpid()}-{request.node.name}"[:100]


@contextmanager
def worker_for(task, request, monkeypatch):
    """A worker on a queue of the test's own, to which ``task`` is sent."""
    queue = own_queue(request)
    with running_worker(queue):
        send_to(task, queue, monkeypatch)
        yield queue
