"""A member pulls the feed into read-only received records: in order, idempotently, with
the cursor stored only with the rows; its users find them beside their own seizures, as
their handling code allows; a conveyance's correlation lists them."""

import pytest

from exchange import delivery, pull
from exchange.models import FeedPull, ReceivedRecord
from ncen.models import AuditEntry
from seizures import services

from ..conftest import api_client, signed_in_client
from .conftest import approved, deliver_then_pull, reapproved

pytestmark = pytest.mark.django_db


def test_a_pull_stores_the_others_records_with_their_handling_code(
    ws_pulling, samoa, fj_officer, fj_supervisor
):
    seizure = approved(fj_officer, fj_supervisor, handling_code="no_onward_sharing").seizure
    totals = deliver_then_pull(ws_pulling)
    assert totals["received"] == 1
    record = ReceivedRecord.objects.get()
    assert (record.administration, record.member, record.record_uuid) == (
        samoa,
        "FJ",
        seizure.uuid,
    )
    assert (record.reference, record.version, record.handling_code) == (
        seizure.reference,
        1,
        "no_onward_sharing",
    )
    assert record.commodity_codes  # the searchable columns come with it
    state = FeedPull.objects.get(administration=samoa)
    assert state.last_success_at is not None
    assert state.last_error == ""
    assert state.received == 1
    entry = AuditEntry.objects.get(action="regional_record_received")
    assert entry.object_id == str(record.pk)


def test_a_page_applied_twice_stores_nothing_twice(ws_pulling, samoa, fj_officer, fj_supervisor):
    approved(fj_officer, fj_supervisor)
    deliver_then_pull(ws_pulling)
    sender = delivery.Sender.configured()
    page = ws_pulling.pages[0]
    # The same page, read again from the start (as after a lost answer)...
    FeedPull.objects.filter(administration=samoa).update(cursor="")
    counts = pull.apply_page(sender=sender, cursor="", page=page)
    assert (counts["received"], counts["updated"], counts["skipped"]) == (0, 0, 1)
    assert ReceivedRecord.objects.count() == 1
    assert AuditEntry.objects.filter(action="regional_record_received").count() == 1
    # ... and a page read with a cursor that moved meanwhile stores nothing at all.
    assert pull.apply_page(sender=sender, cursor="", page=page) is None


def test_versions_apply_in_order_and_a_withdrawal_hides_the_content(
    ws_pulling, samoa, fj_officer, fj_supervisor, settings
):
    settings.NCEN_HUB_FEED_PAGE_SIZE = 1  # one message a page
    seizure = approved(fj_officer, fj_supervisor).seizure
    delivery.deliver()
    reapproved(seizure, fj_officer, fj_supervisor, handling_code="not_for_court")
    delivery.deliver()
    ws_pulling.as_ws()
    pull.pull()
    record = ReceivedRecord.objects.get()
    assert (record.version, record.handling_code) == (2, "not_for_court")
    assert "Corrected after version 1" not in str(record.payload)  # no free text shared

    ws_pulling.as_fj()
    seizure.refresh_from_db()
    services.seizure_withdraw(by=fj_supervisor, seizure=seizure, reason="Wrong case.")
    delivery.deliver()
    ws_pulling.as_ws()
    totals = pull.pull()
    assert totals["withdrawn"] == 1
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert record.payload == {}
    assert record.commodity_codes == []
    assert record.search_text == ""
    assert ReceivedRecord.objects.count() == 1
    # Behind both versions, the member was sent the second alone, then the withdrawal.
    assert [(e["version"], e["message"]) for p in ws_pulling.pages for e in p["entries"]] == [
        (2, "seizure"),
        (2, "withdrawal"),
    ]


def test_an_unreachable_hub_leaves_the_cursor_and_says_why(
    ws_pulling, samoa, fj_officer, fj_supervisor
):
    approved(fj_officer, fj_supervisor)
    delivery.deliver()
    ws_pulling.as_ws()
    ws_pulling.down = True
    totals = pull.pull()
    assert "could not be reached" in totals["error"]
    state = FeedPull.objects.get(administration=samoa)
    assert (state.cursor, state.last_success_at) == ("", None)
    assert "could not be reached" in state.last_error
    assert not ReceivedRecord.objects.exists()
    ws_pulling.down = False
    pull.pull()
    state.refresh_from_db()
    assert state.last_error == ""
    assert ReceivedRecord.objects.count() == 1


# --- Visibility and the pages ---------------------------------------------------------------------


@pytest.fixture
def received(ws_pulling, samoa, fj_officer, fj_supervisor):
    """Two FJ records received by WS: one for intelligence only, one under another
    restriction."""
    approved(fj_officer, fj_supervisor)
    approved(fj_officer, fj_supervisor, handling_code="other", handling_text="Ask FJ first.")
    deliver_then_pull(ws_pulling)
    return {r.handling_code: r for r in ReceivedRecord.objects.all()}


def test_the_handling_code_decides_who_reads_a_received_record(
    received, ws_officer, ws_supervisor, ws_admin, fj_officer
):
    def visible(user):
        return set(ReceivedRecord.objects.visible_to(user).values_list("handling_code", flat=True))

    assert visible(ws_officer) == {"intelligence_only"}
    assert visible(ws_supervisor) == {"intelligence_only", "other"}
    assert visible(ws_admin) == set()
    assert visible(fj_officer) == set()  # another administration received nothing


def test_the_regional_records_page_lists_them_with_member_and_handling_code(
    received, ws_officer, django_assert_num_queries
):
    client = signed_in_client(ws_officer)
    client.get("/seizures/regional/")  # warm the session
    with django_assert_num_queries(6):
        response = client.get("/seizures/regional/")
    assert response.status_code == 200
    page = response.content.decode()
    record = received["intelligence_only"]
    assert record.reference in page
    assert "For intelligence use only" in page
    assert "Ask FJ first." not in page  # the supervisor-only record
    detail = client.get(f"/seizures/regional/{record.pk}/")
    assert detail.status_code == 200
    assert "For intelligence use only" in detail.content.decode()
    assert client.get(f"/seizures/regional/{received['other'].pk}/").status_code == 404


def test_the_page_query_count_does_not_grow_with_the_records(
    received, ws_pulling, ws_supervisor, fj_officer, fj_supervisor, django_assert_num_queries
):
    client = signed_in_client(ws_supervisor)
    client.get("/seizures/regional/")
    # The supervisor's navigation counts the review queue: one query more than an officer's.
    with django_assert_num_queries(8):
        assert len(client.get("/seizures/regional/").context["page"]) == 2
    ws_pulling.as_fj()
    for _n in range(3):
        approved(fj_officer, fj_supervisor)
    deliver_then_pull(ws_pulling)
    with django_assert_num_queries(8):
        assert len(client.get("/seizures/regional/").context["page"]) == 5


def test_the_filters_narrow_the_regional_records(received, ws_supervisor):
    client = signed_in_client(ws_supervisor)
    both = client.get("/seizures/regional/", {"member": "FJ"}).context["page"].object_list
    assert len(both) == 2
    other = client.get("/seizures/regional/", {"handling_code": "other"}).context["page"]
    assert [r.handling_code for r in other] == ["other"]
    none = client.get("/seizures/regional/", {"route_country": "AQ"}).context["page"]
    assert list(none) == []
    bad = client.get("/seizures/regional/", {"occurred_from": "not a date"})
    assert bad.context["invalid"] is True


def test_the_api_lists_received_records_and_refuses_unknown_filters(received, ws_officer):
    client = api_client(ws_officer)
    answer = client.get("/api/v1/received-records/").json()
    assert [r["handling_code"] for r in answer["results"]] == ["intelligence_only"]
    assert client.get("/api/v1/received-records/", {"colour": "red"}).status_code == 400


def test_the_exchange_page_shows_the_last_pull(received, ws_admin):
    page = signed_in_client(ws_admin).get("/exchange/").content.decode()
    assert "Last pull of the regional records" in page
    assert "2 messages received in all." in page


def test_a_conveyance_lists_the_regional_records_that_name_it(
    ws_pulling, samoa, fj_officer, fj_supervisor, ws_officer
):
    from persons.services import conveyance_create

    from ..factories import make_seizure, submit_and_approve

    seizure = make_seizure(by=fj_officer, container_number="MSCU1234567")
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    approved(fj_officer, fj_supervisor)  # another record, naming no container
    deliver_then_pull(ws_pulling)
    container = conveyance_create(
        by=ws_officer, values={"kind": "container", "identifier": "MSCU 123456-7"}
    )
    page = signed_in_client(ws_officer).get(f"/conveyances/{container.pk}/")
    assert [r.record.record_uuid for r in page.context["regional_records"]] == [seizure.uuid]
    assert seizure.reference in page.content.decode()
