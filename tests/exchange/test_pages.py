"""What people see of the exchange: each record's delivery, the administrators' exchange
page with its "retry now", and the hub's registry of members."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exchange import delivery, selectors, signing
from exchange.models import Member, OutboxEntry
from ncen.models import AuditEntry

from ..conftest import signed_in_client
from .conftest import approved, reapproved

pytestmark = pytest.mark.django_db


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_a_record_shows_its_delivery_and_attempts(hub, fj_officer, fj_supervisor):
    seizure = approved(fj_officer, fj_supervisor).seizure
    client = signed_in_client(fj_officer)
    page = client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert "Delivery" in page
    assert 'data-state="pending"' in page

    hub.down = True
    delivery.deliver()
    page = client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert "Waiting to retry at" in page
    assert "could not be reached" in page
    assert "Failed, will retry" in page

    hub.down = False
    OutboxEntry.objects.update(next_attempt_at=timezone.now())
    delivery.deliver()
    page = client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert 'data-state="acknowledged"' in page
    assert "Accepted" in page


def test_a_rejected_entry_shows_the_hubs_reason_on_the_record_and_the_exchange_page(
    hub, fj_officer, fj_supervisor, fj_admin
):
    seizure = approved(fj_officer, fj_supervisor).seizure
    OutboxEntry.objects.update(
        state="rejected", outcome="rejected", reason="Unknown office code FJXXX."
    )
    assert "Unknown office code FJXXX." in (
        signed_in_client(fj_officer).get(f"/seizures/{seizure.pk}/").content.decode()
    )
    page = signed_in_client(fj_admin).get("/exchange/").content.decode()
    assert "Unknown office code FJXXX." in page
    assert seizure.reference in page
    assert '<dd data-count="rejected">1</dd>' in page


def test_the_detail_pages_queries_do_not_grow_with_versions_and_attempts(
    hub, fj_officer, fj_supervisor
):
    approval = approved(fj_officer, fj_supervisor, distribution="regional_global")
    client = signed_in_client(fj_officer)
    path = f"/seizures/{approval.seizure.pk}/"
    pinned = _queries(client, path)
    hub.down = True
    for _ in range(3):
        delivery.deliver()
        OutboxEntry.objects.update(next_attempt_at=timezone.now())
    reapproved(approval.seizure, fj_officer, fj_supervisor, distribution="regional_global")
    assert _queries(client, path) == pinned


def test_the_exchange_page_shows_the_queue_failures_and_last_contact(
    hub, fj_officer, fj_supervisor, fj_admin
):
    first = approved(fj_officer, fj_supervisor).seizure
    delivery.deliver()
    second = approved(fj_officer, fj_supervisor).seizure
    hub.down = True
    delivery.deliver()
    approved(fj_officer, fj_supervisor)
    client = signed_in_client(fj_admin)
    pinned = _queries(client, "/exchange/")
    page = client.get("/exchange/").content.decode()
    assert "https://hub.example" in page
    assert '<dd data-count="acknowledged">1</dd>' in page
    assert '<dd data-count="pending">2</dd>' in page
    assert "could not be reached" in page
    assert second.reference in page
    assert "Never" not in page  # the hub answered the first batch
    assert first.reference not in page.split('id="queue"')[1]
    for _ in range(5):
        approved(fj_officer, fj_supervisor)
    assert _queries(client, "/exchange/") == pinned


def test_retry_now_makes_the_queue_due_and_sends_it(hub, fj_officer, fj_supervisor, fj_admin):
    seizure = approved(fj_officer, fj_supervisor).seizure
    OutboxEntry.objects.update(next_attempt_at=timezone.now() + timedelta(hours=1), attempts=7)
    client = signed_in_client(fj_admin)
    response = client.post("/exchange/retry/")
    assert response.status_code == 302
    entry = OutboxEntry.objects.get(seizure=seizure)
    assert entry.next_attempt_at <= timezone.now()
    assert AuditEntry.objects.filter(action="exchange_retry_requested").exists()
    assert "1 queued entries will be sent now." in client.get("/exchange/").content.decode()


def test_only_administrators_see_the_exchange_page(fj_officer, fj_supervisor):
    for user in (fj_officer, fj_supervisor):
        client = signed_in_client(user)
        assert client.get("/exchange/").status_code == 403
        assert client.post("/exchange/retry/").status_code == 403


def test_the_hubs_administrator_registers_a_member_and_changes_its_key(
    exchange_settings, hub_admin, tmp_path
):
    client = signed_in_client(hub_admin)
    key = signing.public_key_text(signing.generate_private_key(tmp_path / "ws.pem"))
    response = client.post(
        "/exchange/hub/members/", {"code": "ws", "name": "Samoa Customs", "public_key": key}
    )
    assert response.status_code == 302
    member = Member.objects.get(code="WS")
    assert member.public_key == key
    assert AuditEntry.objects.filter(action="exchange_member_added").exists()

    page = client.get("/exchange/hub/members/").content.decode()
    assert "Samoa Customs" in page

    response = client.post(
        "/exchange/hub/members/", {"code": "TO", "name": "Tonga", "public_key": "ed25519:abc"}
    )
    assert response.status_code == 400
    assert "not a public key" in response.content.decode()
    assert not Member.objects.filter(code="TO").exists()

    new_key = signing.public_key_text(signing.generate_private_key(tmp_path / "ws2.pem"))
    response = client.post(
        f"/exchange/hub/members/{member.pk}/",
        {"name": "Samoa Customs Service", "public_key": new_key, "is_active": ""},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.public_key, member.is_active) == (new_key, False)
    assert AuditEntry.objects.filter(action="exchange_member_changed").exists()


def test_only_the_hubs_administrators_manage_members(exchange_settings, fj_admin, hub_admin):
    assert signed_in_client(fj_admin).get("/exchange/hub/members/").status_code == 403
    exchange_settings.NCEN_HUB = False
    assert signed_in_client(hub_admin).get("/exchange/hub/members/").status_code == 404


def test_a_global_message_says_why_it_waits(hub, fj_officer, fj_supervisor):
    seizure = approved(fj_officer, fj_supervisor, distribution="regional_global").seizure
    delivery.deliver()
    page = signed_in_client(fj_officer).get(f"/seizures/{seizure.pk}/").content.decode()
    assert 'data-state="acknowledged"' in page
    assert "no connection to the global database yet" in page


def test_the_members_page_counts_each_members_records_and_last_batch(
    hub, fj_officer, fj_supervisor, hub_admin
):
    for _ in range(2):
        approved(fj_officer, fj_supervisor)
    delivery.deliver()
    [member] = selectors.member_list()
    assert (member.code, member.record_count) == ("FJ", 2)
    assert member.last_batch_at is not None
    assert "FJ" in signed_in_client(hub_admin).get("/exchange/hub/members/").content.decode()
