"""Named users of every role in two administrations, and helpers shared by the tests."""

import importlib
import os

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django_otp.oath import TOTP
from rest_framework.test import APIClient

from ncen.models import Role

from .factories import (
    PASSWORD,
    AdministrationFactory,
    OfficeFactory,
    TOTPDeviceFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def fiji(db):
    return AdministrationFactory(code="FJ", name="Fiji Revenue and Customs Service")


@pytest.fixture
def samoa(db):
    return AdministrationFactory(
        code="WS", name="Samoa Customs", country="WS", time_zone="Pacific/Apia"
    )


@pytest.fixture
def suva(fiji):
    return OfficeFactory(administration=fiji, name="Suva Port", code="FJSUV")


def _user(username, administration, role, office=None):
    user = UserFactory(username=username, administration=administration, role=role, office=office)
    if user.needs_second_factor:
        TOTPDeviceFactory(user=user)
    return user


@pytest.fixture
def fj_officer(fiji, suva):
    return _user("fj.officer", fiji, Role.OFFICER, suva)


@pytest.fixture
def fj_supervisor(fiji, suva):
    return _user("fj.supervisor", fiji, Role.SUPERVISOR, suva)


@pytest.fixture
def fj_second_supervisor(fiji, suva):
    return _user("fj.supervisor2", fiji, Role.SUPERVISOR, suva)


@pytest.fixture
def fj_admin(fiji, suva):
    return _user("fj.admin", fiji, Role.ADMINISTRATOR, suva)


@pytest.fixture
def ws_officer(samoa):
    return _user("ws.officer", samoa, Role.OFFICER)


@pytest.fixture
def ws_supervisor(samoa):
    return _user("ws.supervisor", samoa, Role.SUPERVISOR)


@pytest.fixture
def ws_admin(samoa):
    return _user("ws.admin", samoa, Role.ADMINISTRATOR)


@pytest.fixture
def hub_office(db):
    """The regional hub's own administration."""
    return AdministrationFactory(code="RH", name="Regional intelligence office", is_hub=True)


@pytest.fixture
def analyst(hub_office):
    return _user("rh.analyst", hub_office, Role.REGIONAL_ANALYST)


@pytest.fixture
def hub_admin(hub_office):
    return _user("rh.admin", hub_office, Role.ADMINISTRATOR)


def current_code(user) -> str:
    """The code the user's authenticator app shows right now."""
    device = user.totpdevice_set.get(confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def signed_in_client(user) -> Client:
    """A browser session signed in with password and, where the role needs it, the code."""
    client = Client()
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    if user.needs_second_factor:
        response = client.post("/sign-in/verify/", {"token": current_code(user)})
        assert response.status_code == 302, response.content
    return client


def api_client(user) -> APIClient:
    """An API client holding the user's token (the token page is behind the second factor)."""
    from ncen.services import api_token_rotate

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_rotate(user=user).key}")
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def _shipped_code_lists(request):
    """A transactional test empties every table when it ends, the code lists shipped by a
    data migration included: load them again for the next one, so that no test depends on
    which ran before it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from seizures.models import Code

    if not Code.objects.exists():
        shipped = importlib.import_module("seizures.migrations.0002_code_lists")
        shipped.load(django_apps, schema_editor=None)
