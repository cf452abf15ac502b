"""The import over the API: preview, confirm, status, in the schema, one error format."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ncen.models import TaskRun
from seizures.models import Seizure

from ..conftest import api_client
from .import_files import GOOD_ROWS, as_csv, as_xlsx, with_bad_row

pytestmark = pytest.mark.django_db
URL = "/api/v1/seizure-imports/"


def _preview(client, data: bytes, name="seizures.csv"):
    return client.post(
        f"{URL}preview/", {"file": SimpleUploadedFile(name, data)}, format="multipart"
    )


def test_preview_lists_each_error_by_row_and_column(fj_officer):
    response = _preview(api_client(fj_officer), as_csv(with_bad_row(GOOD_ROWS)))
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is False
    assert body["token"] is None
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(4, "Unit")]
    assert not Seizure.objects.exists()


def test_preview_confirm_and_status(fj_officer):
    client = api_client(fj_officer)
    body = _preview(client, as_xlsx(GOOD_ROWS), name="march.xlsx").json()
    assert body["ready"] is True
    assert body["rows"] == 4
    assert [s["case_key"] for s in body["seizures"]] == ["A", "B", "#5"]
    assert body["seizures"][0]["items"][0]["commodity"] == "methamphetamine"
    response = client.post(URL, {"token": body["token"]}, format="json")
    assert response.status_code == 202
    run = TaskRun.objects.get()
    assert response.json()["id"] == str(run.pk)
    status = client.get(f"{URL}{run.pk}/").json()
    assert status["status"] == "queued"
    assert status["file"] == "march.xlsx"


def test_a_file_that_is_not_a_spreadsheet_is_a_400_in_the_error_format(fj_officer):
    response = _preview(api_client(fj_officer), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "not a spreadsheet" in error["fields"]["file"][0]


def test_another_administration_cannot_confirm_or_follow(fj_officer, ws_officer):
    owner = api_client(fj_officer)
    token = _preview(owner, as_csv(GOOD_ROWS)).json()["token"]
    stranger = api_client(ws_officer)
    response = stranger.post(URL, {"token": token}, format="json")
    assert response.status_code == 400
    assert "not yours" in response.json()["error"]["fields"]["token"][0]
    owner.post(URL, {"token": token}, format="json")
    run = TaskRun.objects.get()
    assert stranger.get(f"{URL}{run.pk}/").status_code == 404


def test_the_import_is_in_the_schema(fj_officer):
    schema = api_client(fj_officer).get("/api/schema/").content.decode()
    assert "/api/v1/seizure-imports/preview/" in schema
    assert "/api/v1/seizure-imports/{id}/" in schema
