"""/api/v1/indicators/ and /api/v1/alerts/: the same services, rights and visibility as the
pages, one error format, and list query counts that do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import services
from indicators.models import Indicator
from ncen.audit import Action
from ncen.models import AuditEntry

from ..conftest import api_client
from ..factories import code, make_seizure
from .conftest import criteria, make_indicator

pytestmark = pytest.mark.django_db


def _body(user, **overrides):
    return {
        "name": "Cocaine by air",
        "rationale": "Couriers through Sydney.",
        "criteria": criteria(),
        "recipients": [user.pk],
        **overrides,
    }


def test_create_read_change_and_deactivate(fj_officer, fj_supervisor):
    client = api_client(fj_officer)
    created = client.post("/api/v1/indicators/", _body(fj_officer), format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["owner"] == {"id": fj_officer.pk, "username": "fj.officer"}
    assert data["criteria"]["commodity"] == str(code("commodity", "cocaine").pk)
    assert (data["is_active"], data["checked"], data["hits"], data["hit_rate"]) == (
        True,
        0,
        0,
        None,
    )
    url = f"/api/v1/indicators/{data['id']}/"
    changed = client.patch(url, {"recipients": [fj_officer.pk, fj_supervisor.pk]}, format="json")
    assert changed.status_code == 200, changed.json()
    assert [r["username"] for r in changed.json()["recipients"]] == ["fj.officer", "fj.supervisor"]
    assert changed.json()["name"] == "Cocaine by air"  # untouched fields kept
    assert client.delete(url).status_code == 204
    assert client.get(url).json()["is_active"] is False
    assert client.get("/api/v1/indicators/?is_active=true").json()["count"] == 0
    assert list(
        AuditEntry.objects.filter(object_type="indicators.indicator")
        .order_by("sequence")
        .values_list("action", flat=True)
    ) == [Action.INDICATOR_CREATED, Action.INDICATOR_UPDATED, Action.INDICATOR_DEACTIVATED]


@pytest.mark.parametrize(
    ("criteria_", "message"),
    [
        ({"colour": "red"}, "colour: not a filter of seizures."),
        ({"transport_mode": 999999}, "Transport: Select a valid choice."),
        ("commodity=5", "Give the criteria as filter names and values."),
    ],
)
def test_invalid_criteria_answer_400_in_the_error_format(fj_officer, criteria_, message):
    response = api_client(fj_officer).post(
        "/api/v1/indicators/", _body(fj_officer, criteria=criteria_), format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["criteria"][0].startswith(message)
    assert not Indicator.objects.exists()


def test_recipients_of_another_administration_are_refused(fj_officer, ws_officer):
    response = api_client(fj_officer).post(
        "/api/v1/indicators/", _body(fj_officer, recipients=[ws_officer.pk]), format="json"
    )
    assert response.status_code == 400
    assert "recipients" in response.json()["error"]["fields"]


def test_other_administrations_and_roles(fj_officer, fj_admin, ws_supervisor):
    indicator = make_indicator(by=fj_officer)
    outsider = api_client(ws_supervisor)
    url = f"/api/v1/indicators/{indicator.pk}/"
    assert outsider.get(url).status_code == 404
    assert outsider.patch(url, {"name": "x"}, format="json").status_code == 404
    assert outsider.delete(url).status_code == 404
    assert outsider.get("/api/v1/indicators/").json()["count"] == 0
    admin = api_client(fj_admin)
    assert admin.get(url).status_code == 200
    assert admin.delete(url).status_code == 403
    refused = admin.post("/api/v1/indicators/", _body(fj_admin), format="json")
    assert refused.status_code == 403


def test_unknown_query_parameters_answer_400(fj_officer):
    client = api_client(fj_officer)
    assert client.get("/api/v1/indicators/?colour=red").status_code == 400
    assert client.get("/api/v1/alerts/?colour=red").status_code == 400


def test_alerts_list_and_mark_read(fj_officer, fj_supervisor):
    make_indicator(by=fj_officer, recipients=[fj_officer, fj_supervisor])
    seizures = [make_seizure(by=fj_officer) for _ in range(2)]
    for seizure in seizures:
        services.indicators_check(seizure_id=seizure.pk, actor_id=fj_officer.pk)
    client = api_client(fj_supervisor)
    listed = client.get("/api/v1/alerts/").json()
    assert listed["count"] == 2
    first = listed["results"][0]
    assert first["seizure"]["reference"] == seizures[1].reference
    assert first["indicator"]["name"] == "Cocaine by air passengers"
    assert first["read_at"] is None
    marked = client.post("/api/v1/alerts/read/", {"alerts": [first["id"]]}, format="json")
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/alerts/?unread=true").json()["count"] == 1
    assert client.post("/api/v1/alerts/read/", {}, format="json").json() == {"marked": 1}
    # Another user's alert is a 404, and theirs to mark only.
    officers = api_client(fj_officer).get("/api/v1/alerts/").json()["results"][0]["id"]
    assert client.get(f"/api/v1/alerts/{officers}/").status_code == 404
    assert client.post("/api/v1/alerts/read/", {"alerts": [officers]}, format="json").json() == {
        "marked": 0
    }


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("path", "pinned"), [("/api/v1/indicators/", 4), ("/api/v1/alerts/", 3)])
def test_list_endpoints_run_a_fixed_number_of_queries(fj_officer, path, pinned):
    # The token, the capped count and the page; and the indicators' recipients.
    client = api_client(fj_officer)
    make_indicator(by=fj_officer)
    seizure = make_seizure(by=fj_officer)
    services.indicators_check(seizure_id=seizure.pk, actor_id=fj_officer.pk)
    assert _queries(client, path) == pinned
    for n in range(3):
        make_indicator(by=fj_officer, name=f"More {n}")
    for _ in range(3):
        seizure = make_seizure(by=fj_officer)
        services.indicators_check(seizure_id=seizure.pk, actor_id=fj_officer.pk)
    assert _queries(client, path) == pinned


def test_the_schema_lists_the_endpoints(fj_officer):
    from ..conftest import signed_in_client

    schema = signed_in_client(fj_officer).get("/api/schema/").content.decode()
    for path in ("/api/v1/indicators/", "/api/v1/indicators/{id}/", "/api/v1/alerts/read/"):
        assert f"{path}:" in schema
