"""An instance that is both a member (FJ, sending) and the hub (receiving), in one database:
the sender's transport posts to the hub's view through Django's test client."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from exchange import delivery, pull, signing
from exchange.models import Member

from ..factories import make_seizure, submit_and_approve

HUB_URL = "https://hub.example"


@pytest.fixture
def fj_key(tmp_path):
    path = tmp_path / "fj-exchange.pem"
    return path, signing.generate_private_key(path)


@pytest.fixture
def exchange_settings(settings, fj_key):
    settings.NCEN_HUB = True
    settings.NCEN_EXCHANGE_HUB_URL = HUB_URL
    settings.NCEN_EXCHANGE_MEMBER = "FJ"
    settings.NCEN_EXCHANGE_KEY_FILE = str(fj_key[0])
    settings.NCEN_EXCHANGE_RETRY_BASE_SECONDS = 30
    settings.NCEN_EXCHANGE_RETRY_CEILING_SECONDS = 3600
    return settings


@pytest.fixture
def fj_member(db, fj_key):
    return Member.objects.create(
        code="FJ",
        name="Fiji Revenue and Customs Service",
        public_key=signing.public_key_text(fj_key[1]),
    )


class HubInProcess:
    """The transport, replaced: batches go to the hub's view in this process; ``down``
    makes it unreachable and ``calls`` counts what was posted."""

    def __init__(self):
        self.client = Client()
        self.down = False
        self.calls = []

    def __call__(self, url, body, headers, timeout):
        if self.down:
            raise ConnectionRefusedError(111, "Connection refused")
        self.calls.append(body)
        response = self.client.post(
            urlsplit(url).path,
            data=body,
            content_type=headers["Content-Type"],
            headers={name: value for name, value in headers.items() if name != "Content-Type"},
        )
        return response.status_code, response.json()


@pytest.fixture
def hub(exchange_settings, fj_member, monkeypatch):
    transport = HubInProcess()
    monkeypatch.setattr(delivery, "transport", transport)
    return transport


def approved(officer, supervisor, **decision):
    """A seizure recorded by ``officer`` and approved by ``supervisor``; its approval."""
    return submit_and_approve(make_seizure(by=officer), by=officer, approver=supervisor, **decision)


def reapproved(seizure, officer, supervisor, **decision_overrides):
    """Edit an approved record (which sends it back for review) and approve it again."""
    from seizures import services

    from ..factories import decision

    seizure.refresh_from_db()
    seizure = services.seizure_update(
        by=officer,
        seizure=seizure,
        expected_version=seizure.version,
        values={"narrative": f"Corrected after version {seizure.version}."},
    )
    return services.seizure_approve(
        by=supervisor,
        seizure=seizure,
        expected_version=seizure.version,
        decision=decision(**decision_overrides),
    )


class FeedInProcess:
    """The feed's transport, replaced: GETs go to the hub's view in this process."""

    def __init__(self):
        self.down = False
        self.pages = []

    def __call__(self, url, headers, timeout):
        if self.down:
            raise ConnectionRefusedError(111, "Connection refused")
        parts = urlsplit(url)
        response = Client().get(
            parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers
        )
        self.pages.append(response.json())
        return response.status_code, response.json()


@pytest.fixture
def ws_pulling(hub, exchange_settings, samoa, tmp_path, monkeypatch):
    """This instance sends as FJ (``hub``) until ``as_ws()``, then pulls the feed as WS
    with WS's own key, registered at the hub."""
    path = tmp_path / "ws.pem"
    Member.objects.create(
        code="WS",
        name="Samoa Customs",
        public_key=signing.public_key_text(signing.generate_private_key(path)),
    )
    transport = FeedInProcess()
    monkeypatch.setattr(pull, "transport", transport)
    fj_key_file = exchange_settings.NCEN_EXCHANGE_KEY_FILE

    def become(member, key_file):
        exchange_settings.NCEN_EXCHANGE_MEMBER = member
        exchange_settings.NCEN_EXCHANGE_KEY_FILE = key_file

    transport.as_ws = lambda: become("WS", str(path))
    transport.as_fj = lambda: become("FJ", fj_key_file)
    return transport


def deliver_then_pull(ws_pulling) -> dict:
    delivery.deliver()
    ws_pulling.as_ws()
    return pull.pull()
