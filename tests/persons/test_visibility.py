"""An officer of another administration gets 404 for a person, business or conveyance, in
the pages and the API, whether or not the record exists."""

import pytest

from persons import services

from ..conftest import api_client, signed_in_client
from ..factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(fj_officer):
    return {
        "person": make_person(by=fj_officer),
        "business": services.business_create(by=fj_officer, values={"name": "Lautoka Freight"}),
        "conveyance": services.conveyance_create(
            by=fj_officer, values={"kind": "container", "identifier": "MSCU 123456-7"}
        ),
    }


@pytest.mark.parametrize(
    "path",
    [
        "/persons/{person}/",
        "/persons/{person}/edit/",
        "/persons/{person}/photo/",
        "/businesses/{business}/",
        "/businesses/{business}/edit/",
        "/conveyances/{conveyance}/",
    ],
)
def test_pages_of_another_administration_are_404(ws_officer, records, path):
    ids = {name: record.pk for name, record in records.items()}
    response = signed_in_client(ws_officer).get(path.format(**ids))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/persons/{person}/",
        "/api/v1/businesses/{business}/",
        "/api/v1/conveyances/{conveyance}/",
    ],
)
def test_api_records_of_another_administration_are_404(ws_officer, records, path):
    ids = {name: record.pk for name, record in records.items()}
    response = api_client(ws_officer).get(path.format(**ids))
    assert response.status_code == 404


def test_lists_leave_another_administration_out(ws_officer, records):
    client = api_client(ws_officer)
    for path in ("/api/v1/persons/", "/api/v1/businesses/", "/api/v1/conveyances/"):
        assert client.get(path).json()["count"] == 0
    assert "Sione Taufa" not in signed_in_client(ws_officer).get("/persons/").content.decode()


def test_a_person_cannot_be_linked_to_another_administration_s_case(
    fj_officer, ws_officer, records
):
    from ..factories import make_seizure

    seizure = make_seizure(by=fj_officer)
    response = api_client(ws_officer).post(
        "/api/v1/links/",
        {"seizure": seizure.pk, "person": records["person"].pk, "role": "courier"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"seizure", "person"}


def test_an_unknown_filter_is_a_400(fj_officer):
    response = api_client(fj_officer).get("/api/v1/persons/", {"passport": "X"})
    assert response.status_code == 400
