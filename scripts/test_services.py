"""Run a command with PostgreSQL and Redis available: `make test` runs pytest through it.

    python scripts/test_services.py COMMAND [ARG ...]

For each of DATABASE_URL and REDIS_URL that is unset while nothing listens on the default
address (127.0.0.1:5432, 127.0.0.1:6379), starts an embedded server under .data/test/
(see scripts/embedded.py), runs COMMAND with the variable set, stops the server and exits
with COMMAND's exit code. When nothing is missing, it simply executes COMMAND.
"""

import os
import subprocess
import sys

from embedded import ROOT, EmbeddedServices, say, sigterm_as_interrupt, stop_process, tcp_listening


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    need_postgres = not os.environ.get("DATABASE_URL") and not tcp_listening("127.0.0.1", 5432)
    need_redis = not os.environ.get("REDIS_URL") and not tcp_listening("127.0.0.1", 6379)
    if not (need_postgres or need_redis):
        os.execvp(command[0], command)  # noqa: S606 - the caller's command

    sigterm_as_interrupt()
    try:
        with EmbeddedServices(
            ROOT / ".data" / "test", postgres=need_postgres, redis=need_redis
        ) as embedded_env:
            say(f"Using embedded {' and '.join(embedded_env)} for: {' '.join(command)}")
            child = subprocess.Popen(command, env={**os.environ, **embedded_env})  # noqa: S603
            try:
                return child.wait()
            except KeyboardInterrupt:
                # Ctrl-C reached the child too; SIGTERM reached only us: pass it on.
                stop_process(child, timeout=30)
                return 130
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
