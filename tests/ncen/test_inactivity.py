"""Unused accounts: a warning first, deactivation after the limit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ncen import services
from ncen.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _last_used(user, days_ago):
    user.last_login = timezone.now() - timedelta(days=days_ago)
    user.save(update_fields=["last_login"])


def test_warns_then_deactivates(settings, fj_officer, fj_supervisor, fj_admin):
    settings.NCEN_INACTIVITY_DAYS = 90
    settings.NCEN_INACTIVITY_WARNING_DAYS = 14
    _last_used(fj_officer, 80)  # within the warning window
    _last_used(fj_supervisor, 91)  # past the limit
    _last_used(fj_admin, 10)

    result = services.unused_accounts_deactivate(site_url="https://ncen.example")
    assert result == {"warned": 1, "deactivated": 1}
    for user in (fj_officer, fj_supervisor, fj_admin):
        user.refresh_from_db()
    assert fj_officer.is_active
    assert fj_officer.inactivity_warned_at is not None
    assert not fj_supervisor.is_active
    assert fj_admin.is_active
    assert fj_admin.inactivity_warned_at is None
    assert [message.to for message in mail.outbox] == [[fj_officer.email]]
    assert "https://ncen.example/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="user_deactivated_unused").get().object_id == str(
        fj_supervisor.pk
    )

    # Running again warns nobody twice.
    assert services.unused_accounts_deactivate(site_url="https://ncen.example") == {
        "warned": 0,
        "deactivated": 0,
    }


def test_warning_is_shown_to_the_administrator(settings, fj_officer, fj_admin):
    from ..conftest import signed_in_client

    _last_used(fj_officer, 85)
    services.unused_accounts_deactivate(site_url="https://ncen.example")
    client = signed_in_client(fj_admin)
    page = client.get(f"/users/{fj_officer.pk}/").content.decode()
    assert "Deactivated if unused until" in page
    listing = client.get("/users/").content.decode()
    assert "Warned: unused" in listing
