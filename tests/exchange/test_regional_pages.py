"""The hub's regional analysts search the regional records, read a record's versions and
each member's delivery statistics; nobody else does."""

import pytest

from exchange import delivery
from exchange.models import RegionalRecord

from ..conftest import api_client, signed_in_client
from .conftest import approved, reapproved

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(hub, fj_officer, fj_supervisor):
    first = approved(fj_officer, fj_supervisor).seizure
    approved(fj_officer, fj_supervisor, handling_code="not_for_court")
    delivery.deliver()
    reapproved(first, fj_officer, fj_supervisor)
    delivery.deliver()
    return RegionalRecord.objects.get(record_uuid=first.uuid)


def test_an_analyst_searches_and_filters_the_regional_records(
    shared, analyst, django_assert_num_queries
):
    client = signed_in_client(analyst)
    client.get("/exchange/hub/records/")
    with django_assert_num_queries(6):
        response = client.get("/exchange/hub/records/")
    assert response.status_code == 200
    assert len(response.context["page"]) == 2
    page = response.content.decode()
    assert "For intelligence use only" in page
    assert "Not to be used in court without permission" in page
    court = client.get("/exchange/hub/records/", {"handling_code": "not_for_court"})
    assert [r.handling_code for r in court.context["page"]] == ["not_for_court"]
    member = client.get("/exchange/hub/records/", {"member": shared.member_id})
    assert len(member.context["page"]) == 2
    found = client.get("/exchange/hub/records/", {"q": shared.reference}).context["page"]
    assert [r.pk for r in found] == [shared.pk]
    assert list(client.get("/exchange/hub/records/", {"q": "zanzibar"}).context["page"]) == []


def test_an_analyst_reads_a_records_version_history(shared, analyst):
    page = signed_in_client(analyst).get(f"/exchange/hub/records/{shared.pk}/")
    assert page.status_code == 200
    versions = list(page.context["record"].versions.all())
    assert [(v.version, v.message) for v in versions] == [(1, "seizure"), (2, "seizure")]


def test_the_statistics_count_each_members_deliveries(shared, analyst):
    page = signed_in_client(analyst).get("/exchange/hub/statistics/")
    [fj] = page.context["members"]
    assert (fj.record_count, fj.version_count, fj.withdrawal_count) == (2, 3, 0)
    assert (fj.batch_count, fj.rejected_count, fj.recent_batch_count) == (2, 0, 2)
    assert fj.last_contact is not None


def test_nobody_else_reads_the_regional_records(shared, hub_admin, fj_officer, analyst):
    for user in (hub_admin, fj_officer):
        client = signed_in_client(user)
        assert client.get("/exchange/hub/records/").status_code == 403
        assert client.get(f"/exchange/hub/records/{shared.pk}/").status_code == 403
        assert client.get("/exchange/hub/statistics/").status_code == 403
        assert api_client(user).get("/api/v1/regional-records/").json()["results"] == []
    answer = api_client(analyst).get("/api/v1/regional-records/").json()
    assert len(answer["results"]) == 2
    assert api_client(analyst).get("/api/v1/regional-records/", {"x": "1"}).status_code == 400
