"""The seizure list API as production serves it: gunicorn with gunicorn.conf.py and the
production settings, over HTTP with a token; and the worker's memory.

    python bench/served.py [--runs 200] [--gc server|python] [--only api,text] [--soak 2000]

Starts one gunicorn worker on a free port of 127.0.0.1 (`--gc python` without
gunicorn.conf.py, so with Python's own collector settings), then for every case and run, with
the varied parameters of bench_queries.py: one request through Django's test Client in this
process with its queries captured, the timed GET to gunicorn (app: connect, request, the
whole answer read), and the captured statements that read seizures sent through psycopg
(raw), as bench_queries.py does. The worker's resident memory (VmRSS) is read after the
first request of all and after the last; --soak N then sends the same URLs again, N more
requests untimed, and reads it after each quarter. The officer's API token is rotated to get
one.
"""

import argparse
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from common import (
    ROOT,
    Parameters,
    Raw,
    captured_request,
    ms,
    officer,
    p50_p95,
    signed_in,
    table,
)
from django.db import connection

from ncen.services import api_token_rotate

CASES = {
    "api list ?commodity&occurred_from": ("api", "commodity_since"),
    "api list ?route_country": ("api", "route_country"),
    "api list ?detection_method&transport_mode": ("api", "detection_transport"),
    "api list ?office": ("api", "office"),
    "api list ?q (free text)": ("text", "word"),
}
PATH = "/api/v1/seizures/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, config: Path) -> subprocess.Popen:
    params = connection.settings_dict
    database = (
        f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        f"/{params['NAME']}"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ncen.settings.production",
        # A key for this run only; production settings refuse to start without one.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", database),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "SECURE_SSL_REDIRECT": "false",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(config),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "ncen.wsgi:application",
        ],
        cwd=ROOT,
        env=environment,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz/", {})[1] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz/ within 60 s")


def worker_pid(server: subprocess.Popen) -> int:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for {pid}")


def get(port: int, url: str, headers: dict) -> tuple[float, int]:
    """Milliseconds to connect, send ``url`` and read the whole answer; and its status."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", url, headers={"X-Forwarded-Proto": "https", **headers})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    return (time.perf_counter() - started) * 1000, response.status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--gc", choices=("server", "python"), default="server")
    parser.add_argument("--only", default="api,text")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--soak", type=int, default=0)
    args = parser.parse_args()
    groups = set(args.only.split(","))

    user = officer()
    client = signed_in(user)
    params = Parameters(user, seed=args.seed)
    headers = {"Authorization": f"Token {api_token_rotate(user=user).key}"}
    raw = Raw()
    port = free_port()
    with tempfile.TemporaryDirectory() as empty:
        config = ROOT / "gunicorn.conf.py"
        if args.gc == "python":
            config = Path(empty) / "gunicorn.conf.py"
            config.write_text("# Python's own garbage collector settings.\n")
        server = start_server(port, config)
    try:
        pid = worker_pid(server)
        print(
            f"gunicorn, 1 worker (pid {pid}), garbage collector: {args.gc}; {args.runs} runs "
            f"per case, officer {user.username}; load average {os.getloadavg()[0]:.2f}"
        )
        requests = 0
        rows, memory, urls = [], [], []
        for name, (group, case) in CASES.items():
            if group not in groups:
                continue
            app, raw_times = [], []
            for _ in range(args.runs):
                url = f"{PATH}?{urlencode(getattr(params, case)())}"
                urls.append(url)
                statements, status = captured_request(client, url)
                if status != 200:
                    raise SystemExit(f"{url} answered {status} in this process")
                elapsed, status = get(port, url, headers)
                requests += 1
                if status != 200:
                    raise SystemExit(f"{url} answered {status} from gunicorn")
                if requests == 1:
                    memory.append(("after the first request", rss_mb(pid)))
                app.append(elapsed)
                raw_times.append(sum(raw.run(sql) for sql in statements))
            app50, app95 = p50_p95(app)
            raw50, raw95 = p50_p95(raw_times)
            rows.append(
                (name, len(app), ms(app50), ms(app95), ms(raw50), ms(raw95), f"{app50 / raw50:.2f}")
            )
            print(f"  {name}: done", flush=True)
        memory.append((f"after {requests} requests", rss_mb(pid)))
        for _quarter in range(4 if args.soak else 0):
            for index in range(args.soak // 4):
                get(port, urls[(requests + index) % len(urls)], headers)
            requests += args.soak // 4
            memory.append((f"after {requests}", rss_mb(pid)))
    finally:
        server.terminate()
        server.wait(timeout=30)
        raw.close()
    print()
    print(table(rows, ("case", "runs", "app p50", "app p95", "raw p50", "raw p95", "app/raw")))
    print("(milliseconds; app = the GET to gunicorn, raw = its statements on seizures)")
    print("worker memory: " + "; ".join(f"{when} {mb:.1f} MB" for when, mb in memory))
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
