"""`make run`: the whole of nCEN on one machine, with demo data, from nothing but Python.

Uses DATABASE_URL and REDIS_URL when they are set; for each one that is not, starts an
embedded server under .data/ (see scripts/embedded.py). Then migrates, loads the demo data
and runs the web server, a Celery worker and Celery beat until Ctrl-C or SIGTERM, or until
one of them dies; then stops them all and the embedded servers.

Environment: PORT (default 8000), and any setting of ncen.settings.development.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

from embedded import (
    ROOT,
    EmbeddedServices,
    ignore_interrupts,
    port_free,
    say,
    sigterm_as_interrupt,
    tcp_listening,
)

HOST = "127.0.0.1"
STOP_TIMEOUT = 15  # seconds a child gets to finish after SIGTERM
DEMO_EXCHANGE_KEY = ROOT / ".data" / "exchange" / "demo.pem"


def main() -> int:
    sigterm_as_interrupt()
    port = int(os.environ.get("PORT") or 8000)
    if not (ROOT / "manage.py").exists():
        say(f"{ROOT / 'manage.py'} is missing: is this a complete nCEN checkout?")
        return 1
    if not port_free(HOST, port):
        say(
            f"Port {port} on {HOST} is already in use (another `make run`?). Stop whatever "
            f"listens there, or choose another port: make run PORT={port + 1}"
        )
        return 1

    env = dict(os.environ)
    env.setdefault("NCEN_DEMO_MODE", "true")
    env.setdefault("NCEN_SITE_URL", f"http://{HOST}:{port}")
    env["DJANGO_SETTINGS_MODULE"] = "ncen.settings.development"
    env["PYTHONUNBUFFERED"] = "1"
    # The demo is its own regional hub, and Fiji's records go to it over HTTP, unless the
    # environment says otherwise about the exchange.
    if not any(name.startswith(("NCEN_HUB", "NCEN_EXCHANGE_")) for name in env):
        env.update(
            NCEN_HUB="true",
            NCEN_EXCHANGE_HUB_URL=f"http://{HOST}:{port}",
            NCEN_EXCHANGE_MEMBER="FJ",
            NCEN_EXCHANGE_KEY_FILE=str(DEMO_EXCHANGE_KEY),
        )
    try:
        services = EmbeddedServices(
            ROOT / ".data",
            postgres=not env.get("DATABASE_URL"),
            redis=not env.get("REDIS_URL"),
        )
        with services as embedded_env:
            env.update(embedded_env)
            return run(env, port)
    except KeyboardInterrupt:
        return 0


def manage(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=False, **kwargs
    )


def run(env: dict[str, str], port: int) -> int:
    say("Applying migrations ...")
    if manage(env, "migrate", "--noinput").returncode != 0:
        say("manage.py migrate failed (see above).")
        return 1
    say("Loading the demo data ...")
    seeded = manage(env, "seed_demo", stdout=subprocess.PIPE, text=True)
    print(seeded.stdout, end="", flush=True)
    if seeded.returncode != 0:
        say("manage.py seed_demo failed (see above).")
        return 1

    demo_exchange(env)

    python = sys.executable
    commands = {
        "web": [python, "manage.py", "runserver", f"{HOST}:{port}"],
        "worker": [python, "-m", "celery", "-A", "ncen", "worker", "-l", "info",
                   "--concurrency", "2"],
        "beat": [python, "-m", "celery", "-A", "ncen", "beat", "-l", "info"],
    }  # fmt: skip
    children: dict[str, subprocess.Popen] = {}
    try:
        for name, command in commands.items():
            # Each child leads its own process group: Ctrl-C reaches this script only, and
            # stopping a group also stops the runserver reloader's and the worker's children.
            children[name] = subprocess.Popen(  # noqa: S603 - our own arguments
                command, cwd=ROOT, env=env, start_new_session=True
            )
        return supervise(children, port, seeded.stdout)
    finally:
        ignore_interrupts()
        stop_children(children)


def demo_exchange(env: dict[str, str]) -> None:
    """Give the demo's member its exchange key, once, and register it at the demo's hub.
    Nothing to do when the environment configures the exchange itself."""
    key = DEMO_EXCHANGE_KEY
    if env.get("NCEN_EXCHANGE_KEY_FILE") != str(key):
        return
    action = "--show" if key.exists() else f"--out={key}"
    made = manage(
        env, "exchange_keys", action, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    if made.returncode == 0:
        # Registers the member, or gives it the key made now.
        manage(
            env,
            "exchange_member",
            "FJ",
            "Fiji Revenue and Customs Service",
            made.stdout.strip(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def supervise(children: dict[str, subprocess.Popen], port: int, sign_in: str) -> int:
    """Wait until a child exits (a failure: returns 1) or Ctrl-C / SIGTERM (returns 0)."""
    announced = False
    while True:
        for name, child in children.items():
            if child.poll() is not None:
                say(f"The {name} process exited with code {child.returncode}; stopping nCEN.")
                return 1
        if not announced and tcp_listening(HOST, port, timeout=0.2):
            announced = True
            banner = [
                "",
                "=" * 72,
                f"nCEN is running: http://{HOST}:{port}/",
                "Sign in with a demo account (printed by manage.py seed_demo):",
                *(f"    {line}" for line in sign_in.strip().splitlines()),
                "Press Ctrl-C to stop.",
                "=" * 72,
                "",
            ]
            print("\n".join(banner), flush=True)
        time.sleep(0.5)


def stop_children(children: dict[str, subprocess.Popen]) -> None:
    if not children:
        return
    say("Stopping the web server, the worker and beat ...")
    running = {name: child for name, child in children.items() if child.poll() is None}
    for child in children.values():  # a dead leader may leave live members in its group
        _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for name, child in running.items():
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"The {name} process did not stop within {STOP_TIMEOUT} s; killing it.")
            _signal_group(child, signal.SIGKILL)
            child.wait()


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signum)


if __name__ == "__main__":
    sys.exit(main())
