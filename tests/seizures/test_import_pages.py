"""The import pages: template, preview, confirmation, and who may see an import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ncen.models import TaskRun
from seizures.imports import seizures_import, template_header
from seizures.models import Seizure
from seizures.tasks import import_seizures

from ..conftest import api_client, signed_in_client
from ..factories import make_seizure
from .import_files import GOOD_ROWS, as_csv, as_xlsx, with_bad_row

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, name="seizures.csv"):
    return client.post("/seizures/import/", {"file": SimpleUploadedFile(name, data)})


def test_the_templates_name_the_columns(fj_officer):
    client = signed_in_client(fj_officer)
    csv_text = client.get("/seizures/import/template.csv").content.decode("utf-8-sig")
    assert csv_text.strip().split(",")[:3] == ["Case key", "Date and time", "Office"]
    response = client.get("/seizures/import/template.xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == template_header()
    codes = [row[1] for row in workbook["Codes"].iter_rows(values_only=True)]
    assert "methamphetamine" in codes
    assert "FJSUV" in codes


def test_a_bad_row_is_shown_by_row_and_column_and_nothing_is_offered(fj_officer):
    client = signed_in_client(fj_officer)
    response = _upload(client, as_csv(with_bad_row(GOOD_ROWS)))
    assert response.status_code == 200
    errors = response.context["preview"].checked.errors
    assert [(e.row, e.column_label) for e in errors] == [(4, "Unit")]
    page = response.content.decode()
    assert "<td>4</td><td>Unit</td>" in page
    assert 'name="token"' not in page
    assert not Seizure.objects.exists()


def test_a_good_file_is_previewed_and_confirmed(fj_officer):
    client = signed_in_client(fj_officer)
    response = _upload(client, as_xlsx(GOOD_ROWS), name="march.xlsx")
    preview = response.context["preview"]
    assert preview.checked.ok
    assert "Import 3 seizures" in response.content.decode()
    assert not Seizure.objects.exists()
    response = client.post("/seizures/import/confirm/", {"token": preview.token})
    run = TaskRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/seizures/import/{run.pk}/"
    assert run.requested_by == fj_officer
    assert run.arguments["name"] == "march.xlsx"
    # Confirming twice does not import twice.
    client.post("/seizures/import/confirm/", {"token": preview.token})
    assert TaskRun.objects.count() == 1
    page = client.get(f"/seizures/import/{run.pk}/").content.decode()
    assert "<progress" in page
    state = client.get(f"/seizures/import/{run.pk}/status/").json()
    assert state["status"] == "queued"
    assert state["finished"] is False


def test_a_file_that_is_not_a_spreadsheet_is_refused(fj_officer):
    client = signed_in_client(fj_officer)
    response = _upload(client, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", name="seizures.csv")
    assert response.context["preview"] is None
    assert response.context["form"].errors["file"] == [
        "This file is not a spreadsheet: upload the template saved as .xlsx or CSV."
    ]


def test_another_administration_cannot_see_or_confirm_an_import(fj_officer, ws_officer):
    owner = signed_in_client(fj_officer)
    token = _upload(owner, as_csv(GOOD_ROWS)).context["preview"].token
    stranger = signed_in_client(ws_officer)
    response = stranger.post("/seizures/import/confirm/", {"token": token})
    assert response.status_code == 400
    assert "not yours" in response.content.decode()
    assert not TaskRun.objects.exists()
    owner.post("/seizures/import/confirm/", {"token": token})
    run = TaskRun.objects.get()
    assert stranger.get(f"/seizures/import/{run.pk}/").status_code == 404
    assert stranger.get(f"/seizures/import/{run.pk}/status/").status_code == 404


def test_a_role_that_does_not_record_seizures_cannot_import(fj_admin):
    client = signed_in_client(fj_admin)
    assert client.get("/seizures/import/").status_code == 403
    assert client.get("/seizures/import/template.csv").status_code == 403


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_finished_import_page_is_pinned(fj_officer):
    """Session with its user, the run, the seizures and their items, whatever their number, and the
    navigation's unread notifications."""
    client = signed_in_client(fj_officer)
    for count in (3, 30):
        created = seizures_import(by=fj_officer, data=as_csv(_cases(count)), file_name="x")
        run = TaskRun.objects.create(
            name=import_seizures.name,
            requested_by=fj_officer,
            administration=fj_officer.administration,
            status=TaskRun.Status.SUCCEEDED,
            arguments={"name": "x.csv"},
            result={"done": count, "total": count, "seizures": [s.pk for s in created]},
        )
        page = client.get(f"/seizures/import/{run.pk}/").content.decode()
        assert page.count('href="/seizures/') >= count
        assert _queries(client, f"/seizures/import/{run.pk}/") == 5


def _cases(count: int) -> list[dict]:
    return [
        {"Date and time": "2026-01-20", "Commodity": "Cocaine", "Quantity": f"{n + 1} kg"}
        for n in range(count)
    ]


def test_the_same_file_is_not_imported_twice_even_by_a_colleague(fj_officer, fj_supervisor):
    officer = signed_in_client(fj_officer)
    first = _upload(officer, as_csv(GOOD_ROWS)).context["preview"].token
    officer.post("/seizures/import/confirm/", {"token": first})
    colleague = signed_in_client(fj_supervisor)
    again = _upload(colleague, as_csv(GOOD_ROWS)).context["preview"].token
    response = colleague.post("/seizures/import/confirm/", {"token": again})
    assert response.status_code == 400
    assert "already imported, by" in response.content.decode()
    assert TaskRun.objects.count() == 1


def test_the_list_filtered_to_an_import_shows_its_seizures_only(fj_officer, ws_officer):
    other = make_seizure(by=fj_officer)
    created = seizures_import(by=fj_officer, data=as_csv(GOOD_ROWS), file_name="x")
    run = TaskRun.objects.create(
        name=import_seizures.name,
        requested_by=fj_officer,
        administration=fj_officer.administration,
        status=TaskRun.Status.SUCCEEDED,
        result={"seizures": [s.pk for s in created]},
    )
    page = signed_in_client(fj_officer).get(f"/seizures/?imported={run.pk}")
    # The page lists its seizures as plain rows.
    assert [row["id"] for row in page.context["page"]] == [s.pk for s in created]
    assert other.reference not in page.content.decode()
    api = api_client(fj_officer).get(f"/api/v1/seizures/?imported={run.pk}").json()
    assert sorted(s["id"] for s in api["results"]) == sorted(s.pk for s in created)
    # Someone who may not follow the import gets nothing from it.
    assert not api_client(ws_officer).get(f"/api/v1/seizures/?imported={run.pk}").json()["results"]
