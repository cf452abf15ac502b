"""Supervisors and administrators reach nothing without their second factor."""

import time

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ncen.models import AuditEntry

from ..conftest import current_code, signed_in_client
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def _password_only(user) -> Client:
    client = Client()
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("path", ["/", "/users/", "/audit/", "/account/", "/admin/"])
def test_supervisor_and_administrator_without_code_are_sent_to_verify(
    fj_admin, fj_supervisor, path
):
    for user in (fj_admin, fj_supervisor):
        response = _password_only(user).get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/verify/")


def test_session_api_calls_without_code_are_refused(fj_supervisor):
    client = APIClient()
    assert client.login(username=fj_supervisor.username, password=PASSWORD)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403


def test_user_without_device_must_enrol_before_anything(fiji):
    from ..factories import UserFactory

    supervisor = UserFactory(username="new.supervisor", administration=fiji, role="supervisor")
    client = _password_only(supervisor)
    response = client.get("/sign-in/verify/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/account/second-factor/")
    assert b"<svg" in response.content  # the QR code is drawn on the server
    device = supervisor.totpdevice_set.get(confirmed=False)
    assert client.post("/account/second-factor/", {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    # A wrong code throttles the next attempt for a second, as it would an attacker.
    assert (
        "Wait a minute"
        in client.post("/account/second-factor/", {"token": _code(device)}).content.decode()
    )
    time.sleep(1.1)
    response = client.post("/account/second-factor/", {"token": _code(device)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="second_factor_enrolled", actor=supervisor).exists()


def _code(device) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def test_enrolled_user_cannot_replace_device_without_verifying(fj_supervisor):
    response = _password_only(fj_supervisor).get("/account/second-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/verify/")


def test_wrong_code_is_refused_and_audited(fj_supervisor):
    client = _password_only(fj_supervisor)
    wrong = "111111" if current_code(fj_supervisor) != "111111" else "222222"
    response = client.post("/sign-in/verify/", {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/users/").status_code == 302
    assert AuditEntry.objects.filter(action="second_factor_failed").exists()


def test_verified_supervisor_reaches_pages(fj_supervisor):
    assert signed_in_client(fj_supervisor).get("/").status_code == 200


def test_officer_needs_no_second_factor(fj_officer):
    assert _password_only(fj_officer).get("/").status_code == 200


def test_demo_mode_relaxes_the_second_factor_and_says_so(settings, fj_supervisor):
    settings.NCEN_DEMO_MODE = True
    settings.NCEN_REQUIRE_SECOND_FACTOR = False
    sign_in_page = Client().get("/sign-in/")
    assert b"not asked for a second factor" in sign_in_page.content
    assert _password_only(fj_supervisor).get("/").status_code == 200
