"""The exchange refuses to start in production with a hub it would not reach safely, or
without its key: one line naming the variable."""

import pytest
from django.core.management import call_command

from exchange import signing

from ..ncen.test_settings import _manage


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "exchange.pem"
    signing.generate_private_key(path)
    return str(path)


def test_a_configured_exchange_starts_in_production(key_file):
    result = _manage(
        "check",
        NCEN_EXCHANGE_HUB_URL="https://hub.ocorilo.example",
        NCEN_EXCHANGE_MEMBER="FJ",
        NCEN_EXCHANGE_KEY_FILE=key_file,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("changes", "variable"),
    [
        ({"NCEN_EXCHANGE_HUB_URL": "http://hub.ocorilo.example"}, "NCEN_EXCHANGE_HUB_URL"),
        ({"NCEN_EXCHANGE_HUB_URL": "ftp://hub.ocorilo.example"}, "NCEN_EXCHANGE_HUB_URL"),
        ({"NCEN_EXCHANGE_KEY_FILE": None}, "NCEN_EXCHANGE_KEY_FILE"),
        ({"NCEN_EXCHANGE_KEY_FILE": "/nonexistent/exchange.pem"}, "NCEN_EXCHANGE_KEY_FILE"),
        ({"NCEN_EXCHANGE_KEY_FILE": "pyproject.toml"}, "NCEN_EXCHANGE_KEY_FILE"),
        ({"NCEN_EXCHANGE_MEMBER": None}, "NCEN_EXCHANGE_MEMBER"),
        ({"NCEN_HUB": "maybe"}, "NCEN_HUB"),
        ({"NCEN_EXCHANGE_SENDING_LEASE_SECONDS": "20"}, "NCEN_EXCHANGE_SENDING_LEASE_SECONDS"),
    ],
)
def test_a_misconfigured_exchange_stops_with_one_line_naming_the_variable(
    key_file, changes, variable
):
    values = {
        "NCEN_EXCHANGE_HUB_URL": "https://hub.ocorilo.example",
        "NCEN_EXCHANGE_MEMBER": "FJ",
        "NCEN_EXCHANGE_KEY_FILE": key_file,
        **changes,
    }
    result = _manage("check", **values)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_an_instance_without_a_hub_needs_no_key():
    result = _manage("check", NCEN_EXCHANGE_HUB_URL=None, NCEN_EXCHANGE_KEY_FILE=None)
    assert result.returncode == 0, result.stderr


def test_the_beat_schedule_sweeps_the_outbox():
    from ncen.celery import app

    assert app.conf.beat_schedule["exchange-sweep-outbox"]["task"] == "exchange.tasks.sweep_outbox"
    assert "exchange.tasks.sweep_outbox" in app.tasks
    assert "exchange.tasks.deliver_outbox" in app.tasks
    call_command("check")
