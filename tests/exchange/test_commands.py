"""The exchange's management commands: keys, status, retry and the hub's member
registration."""

import os
import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from exchange import signing
from exchange.models import Member, OutboxEntry

from .conftest import approved


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_exchange_keys_makes_a_private_key_for_its_owner_and_prints_the_public_key(tmp_path):
    path = tmp_path / "keys" / "exchange.pem"  # a folder that does not exist yet
    public = run("exchange_keys", "--out", str(path)).strip()
    assert public.startswith("ed25519:")
    signing.parse_public_key(public)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert run("exchange_keys", "--out", str(path), "--show").strip() == public
    with pytest.raises(CommandError, match="exists"):
        run("exchange_keys", "--out", str(path))
    assert run("exchange_keys", "--out", str(path), "--show").strip() == public


def test_exchange_keys_needs_a_path(settings):
    settings.NCEN_EXCHANGE_KEY_FILE = ""
    with pytest.raises(CommandError, match="NCEN_EXCHANGE_KEY_FILE"):
        run("exchange_keys")


@pytest.mark.django_db
def test_exchange_status_and_retry(hub, fj_officer, fj_supervisor):
    approved(fj_officer, fj_supervisor)
    hub.down = True
    run("exchange_retry")
    status = run("exchange_status")
    assert "regional   pending" in status
    assert "could not be reached" in status
    assert "last answer from the hub: never" in status

    hub.down = False
    output = run("exchange_retry")
    assert "1 queued entries are due now." in output
    assert "accepted=1" in output
    assert OutboxEntry.objects.get().state == "acknowledged"
    assert "regional   acknowledged" in run("exchange_status")


@pytest.mark.django_db
def test_exchange_status_lists_rejections_with_the_reason(hub, fj_officer, fj_supervisor):
    approved(fj_officer, fj_supervisor)
    OutboxEntry.objects.update(state="rejected", reason="Unknown office code.")
    assert "Unknown office code." in run("exchange_status")


@pytest.mark.django_db
def test_exchange_member_registers_a_member_on_a_hub(settings, tmp_path):
    settings.NCEN_HUB = True
    key = signing.public_key_text(signing.generate_private_key(tmp_path / "to.pem"))
    assert "is registered" in run("exchange_member", "TO", "Tonga Customs", key)
    assert Member.objects.get(code="TO").public_key == key
    new_key = signing.public_key_text(signing.generate_private_key(tmp_path / "to2.pem"))
    assert "is updated" in run("exchange_member", "to", "Tonga Customs Service", new_key)
    assert Member.objects.get(code="TO").public_key == new_key
    with pytest.raises(CommandError, match="public key"):
        run("exchange_member", "NU", "Niue Customs", "not-a-key")
    settings.NCEN_HUB = False
    with pytest.raises(CommandError, match="not a hub"):
        run("exchange_member", "NU", "Niue Customs", key)
