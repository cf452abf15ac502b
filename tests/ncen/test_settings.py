"""Production settings: check --deploy is clean, and bad configuration stops start-up with
one line naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ncen.settings.production",
    "SECRET_KEY": "q8V" + "x7-Lm2Pz9Rt4Wk6Yb1Nc3Hd5Jf0Gs8Ue2Ai4Oo6Vy1Tr3Qw5Ez7Xp9Bn0Km",
    "ALLOWED_HOSTS": "ncen.customs.gov.fj",
    "CSRF_TRUSTED_ORIGINS": "https://ncen.customs.gov.fj",
    "DATABASE_URL": "postgres://ncen:s3cret@db:5432/ncen",
    "REDIS_URL": "redis://redis:6379/0",
    "NCEN_SITE_URL": "https://ncen.customs.gov.fj",
}


def _manage(*args, **env_changes):
    # The test process's own switches (conftest's async flag) are no part of production.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PRODUCTION_ENV)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"DATABASE_URL": "mysql://db/ncen"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://db:notaport/ncen"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://db:5432/"}, "DATABASE_URL"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"REDIS_URL": "http://redis"}, "REDIS_URL"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
    ],
)
def test_bad_configuration_stops_with_one_line_naming_the_variable(changes, variable):
    result = _manage("check", **changes)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_the_applications_connections_run_without_jit():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
