"""Sign-in: lockout per account and per address, and every attempt in the audit trail."""

import pytest
from django.test import Client

from ncen.models import AuditEntry

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def _attempt(user_or_name, password, address="10.0.0.1"):
    username = getattr(user_or_name, "username", user_or_name)
    return Client(REMOTE_ADDR=address).post(
        "/sign-in/", {"username": username, "password": password}
    )


def test_account_locks_after_repeated_failures_even_with_right_password(settings, fj_officer):
    settings.NCEN_SIGNIN_FAILURE_LIMIT = 3
    for _ in range(3):
        assert _attempt(fj_officer, "wrong password").status_code == 200
    response = _attempt(fj_officer, PASSWORD, address="10.0.0.2")
    assert response.status_code == 200
    assert "Too many failed sign-ins" in response.content.decode()
    assert AuditEntry.objects.filter(action="sign_in_failed").count() == 3
    assert AuditEntry.objects.filter(action="sign_in_locked").count() == 1


def test_address_locks_after_failures_across_accounts(settings, fj_officer):
    settings.NCEN_SIGNIN_ADDRESS_FAILURE_LIMIT = 4
    for n in range(4):
        _attempt(f"nobody{n}", "guess", address="10.9.9.9")
    assert "Too many failed" in _attempt(fj_officer, PASSWORD, address="10.9.9.9").content.decode()
    assert _attempt(fj_officer, PASSWORD, address="10.1.1.1").status_code == 302


def test_lockout_ends_after_the_lockout_period(settings, fj_officer):
    settings.NCEN_SIGNIN_FAILURE_LIMIT = 2
    for _ in range(2):
        _attempt(fj_officer, "wrong")
    from datetime import timedelta

    from ncen.models import SignInFailure

    SignInFailure.objects.update(
        created_at=SignInFailure.objects.first().created_at - timedelta(hours=1)
    )
    assert _attempt(fj_officer, PASSWORD).status_code == 302


def test_success_clears_the_accounts_failures_and_is_audited(settings, fj_officer):
    settings.NCEN_SIGNIN_FAILURE_LIMIT = 3
    _attempt(fj_officer, "wrong")
    _attempt(fj_officer, "wrong")
    assert _attempt(fj_officer, PASSWORD).status_code == 302
    _attempt(fj_officer, "wrong")
    _attempt(fj_officer, "wrong")
    assert _attempt(fj_officer, PASSWORD).status_code == 302
    entry = AuditEntry.objects.filter(action="sign_in").first()
    assert entry.actor == fj_officer
    assert entry.ip_address == "10.0.0.1"


def test_failed_sign_in_keeps_the_username(fj_officer):
    response = _attempt(fj_officer, "wrong")
    assert f'value="{fj_officer.username}"'.encode() in response.content


def test_client_address_behind_a_trusted_proxy(settings, fj_officer):
    settings.NCEN_TRUSTED_PROXIES = 1
    Client(REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9").post(
        "/sign-in/", {"username": fj_officer.username, "password": PASSWORD}
    )
    assert AuditEntry.objects.get(action="sign_in").ip_address == "203.0.113.9"
