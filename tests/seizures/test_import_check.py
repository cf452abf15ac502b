"""Reading and checking a spreadsheet: every row's errors by column, nothing saved."""

import csv
import io
import os
import time
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from openpyxl import Workbook

from seizures.imports import (
    UPLOAD_MAX_AGE,
    ImportFileError,
    _parse_moment,
    check,
    read,
    template_header,
    upload_keep,
    upload_open,
)
from seizures.models import Seizure

from ..factories import code
from .import_files import GOOD_ROWS, as_csv, as_xlsx, with_bad_row

pytestmark = pytest.mark.django_db


def test_a_good_file_plans_every_seizure_and_saves_nothing(fj_officer):
    checked = check(by=fj_officer, sheet=read(as_csv(GOOD_ROWS)))
    assert checked.errors == []
    assert [(s.case_key, s.rows) for s in checked.seizures] == [
        ("A", [2, 3]),
        ("B", [4]),
        ("#5", [5]),
    ]
    first = checked.seizures[0]
    assert first.values["transit_countries"] == ["NZ", "AU"]
    assert first.values["origin_country"] == "MX"
    assert [item["quantity"] for item in first.items] == [Decimal("1.2"), Decimal(18000)]
    assert checked.seizures[1].values["container_number"] == "MSCU1234567"
    assert checked.seizures[1].values["office"] == fj_officer.office
    assert Seizure.objects.count() == 0


def test_an_xlsx_file_reads_as_the_csv_does(fj_officer):
    checked = check(by=fj_officer, sheet=read(as_xlsx(GOOD_ROWS)))
    assert checked.errors == []
    assert len(checked.seizures) == 3


def test_a_bad_row_is_reported_by_row_and_column(fj_officer):
    checked = check(by=fj_officer, sheet=read(as_csv(with_bad_row(GOOD_ROWS))))
    assert [(e.row, e.column_label) for e in checked.errors] == [(4, "Unit")]
    assert "Cigarettes is counted in" in checked.errors[0].message


def test_every_bad_cell_is_reported(fj_officer):
    rows = [
        {
            "Case key": "A",
            "Date and time": "03/14/2026",
            "Office": "Nowhere",
            "Commodity": "Unobtainium",
            "Quantity": "1,200",
            "Unit": "kg",
            "Country of origin": "Atlantis",
        },
        {
            "Case key": "A",
            "Date and time": "01/01/2026",
            "Commodity": "Cocaine",
            "Quantity": "-1",
            "Unit": "kg",
            "Estimated value": "10",
        },
    ]
    checked = check(by=fj_officer, sheet=read(as_csv(rows)))
    found = {(e.row, e.column_label): e.message for e in checked.errors}
    assert set(found) == {
        (2, "Date and time"),
        (2, "Office"),
        (2, "Country of origin"),
        (2, "Commodity"),
        (2, "Quantity"),
        (3, "Date and time"),
        (3, "Quantity"),
    }
    assert "day first" in found[(2, "Date and time")]
    assert "differs from row 2" in found[(3, "Date and time")]
    assert "not in the commodity list" in found[(2, "Commodity")]
    assert "could be read two ways" in found[(2, "Quantity")]


def test_codes_by_their_french_label(fj_officer):
    rows = [
        {
            "Date and time": "2026-01-20 08:00",
            "Détection": "",
            "Commodity": "Cocaïne",
            "Quantity": "2",
            "Unit": "Kilogrammes",
            "Detection method": "Chien détecteur",
            "Transport mode": "Passager aérien",
            "Country of origin": "Colombie",
        }
    ]
    checked = check(by=fj_officer, sheet=read(as_csv(rows)))
    assert checked.errors == []
    planned = checked.seizures[0]
    assert planned.values["detection_method"].code == "detector_dog"
    assert planned.values["transport_mode"].code == "air_passenger"
    assert planned.values["origin_country"] == "CO"
    assert planned.items[0]["unit"].code == "kg"


def test_a_future_date_is_refused_by_the_services_rule(fj_officer):
    rows = [{"Date and time": "2099-01-01", "Commodity": "Cocaine", "Quantity": "2", "Unit": "kg"}]
    checked = check(by=fj_officer, sheet=read(as_csv(rows)))
    assert [(e.row, e.column_label, e.message) for e in checked.errors] == [
        (2, "Date and time", "The seizure cannot be in the future.")
    ]


def test_french_csv_with_semicolons(fj_officer):
    checked = check(by=fj_officer, sheet=read(as_csv(GOOD_ROWS, delimiter=";")))
    assert checked.errors == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not a spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel"),
        (b"Name,Age\nBob,3\n", "These columns are not the template's: Name, Age."),
    ],
)
def test_files_that_are_not_the_template_are_refused_clearly(data, message):
    with pytest.raises(ImportFileError, match=message):
        read(data)


def test_a_header_without_rows_is_refused():
    with pytest.raises(ImportFileError, match="no seizures"):
        read(as_csv([]))


def test_an_officer_without_an_office_names_it(ws_officer):
    rows = [{"Date and time": "2026-01-20", "Commodity": "Cocaine", "Quantity": "2 kg"}]
    checked = check(by=ws_officer, sheet=read(as_csv(rows)))
    assert [(e.row, e.column_label, e.message) for e in checked.errors] == [
        (2, "Office", "Give the office: you have none of your own.")
    ]


def test_previews_nobody_confirmed_are_discarded_once_expired(fj_officer, settings):
    stale = upload_open(by=fj_officer, token=upload_keep(by=fj_officer, data=b"a", name="a"))
    path = os.path.join(settings.MEDIA_ROOT, "imports", stale["file"])
    old = time.time() - UPLOAD_MAX_AGE - 60
    os.utime(path, (old, old))
    fresh = upload_open(by=fj_officer, token=upload_keep(by=fj_officer, data=b"b", name="b"))
    assert not default_storage.exists(f"imports/{stale['file']}")
    assert default_storage.exists(f"imports/{fresh['file']}")


def test_xlsx_dates_and_numbers_as_excel_stores_them(fj_officer):
    workbook = Workbook()
    sheet = workbook.active
    header = template_header()
    sheet.append(header)
    row = dict.fromkeys(header)
    row.update(
        {
            "Case key": 7,
            "Date and time": datetime(2026, 3, 14, 9, 30),
            "Commodity": "cocaine",
            "Quantity": 1.5,
            "Unit": "kg",
            "Estimated value": 12000,
            "Currency": "FJD",
        }
    )
    sheet.append([row[name] for name in header])
    out = io.BytesIO()
    workbook.save(out)
    checked = check(by=fj_officer, sheet=read(out.getvalue()))
    assert checked.errors == []
    planned = checked.seizures[0]
    assert planned.case_key == "7"
    assert planned.values["occurred_at"].isoformat() == "2026-03-14T09:30:00+12:00"
    assert planned.items[0]["quantity"] == Decimal("1.5")
    assert planned.items[0]["estimated_value"] == Decimal(12000)


def test_a_value_repeated_on_many_rows_is_judged_on_each(fj_officer):
    """Dates, numbers and countries are read once per distinct text: a refused one is still
    reported on every row that has it, and a good one read the same on every row."""
    rows = [
        {
            "Date and time": date_text,
            "Country of origin": country,
            "Commodity": "Cocaine",
            "Quantity": quantity,
            "Unit": "kg",
        }
        for date_text, country, quantity in [
            ("31/02/2026", "Mexico", "1,200"),
            ("14/03/2026 09:30", "Atlantis", "2.5"),
            ("31/02/2026", "Atlantis", "1,200"),
            ("14/03/2026 09:30", "Mexico", "2.5"),
        ]
    ]
    checked = check(by=fj_officer, sheet=read(as_csv(rows)))
    found = {(e.row, e.column_label): e.message for e in checked.errors}
    assert set(found) == {
        (2, "Date and time"),
        (2, "Quantity"),
        (3, "Country of origin"),
        (4, "Date and time"),
        (4, "Country of origin"),
        (4, "Quantity"),
    }
    assert found[(2, "Date and time")] == found[(4, "Date and time")]
    assert found[(2, "Quantity")] == found[(4, "Quantity")]
    good = checked.seizures[-1]
    assert good.values["occurred_at"] == checked.seizures[1].values["occurred_at"]
    assert good.values["origin_country"] == "MX"
    assert good.items[0]["quantity"] == Decimal("2.5")


MOMENT = datetime(2026, 3, 14, 9, 30, 15)
# Each way of writing the time, and what it gives of MOMENT.
TIMES_OF_DAY = {
    "": datetime(2026, 3, 14),
    " %H:%M": datetime(2026, 3, 14, 9, 30),
    " %H:%M:%S": MOMENT,
    "T%H:%M": datetime(2026, 3, 14, 9, 30),
    "T%H:%M:%S": MOMENT,
}


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        *(
            (MOMENT.strftime(day + time_of_day), moment)
            for day in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")
            for time_of_day, moment in TIMES_OF_DAY.items()
        ),
        ("14 03 2026", None),
        ("2026/03/14", None),
        ("2026.03.14 09:30", None),
        ("14/03-2026", None),
        ("14.03.2026 9h30", None),
    ],
)
def test_every_date_format_reads_and_nothing_else(text, moment):
    """Only the formats whose separator is in the text are tried: each still reads."""
    assert _parse_moment(text) == moment


def test_blank_cells_spaces_and_short_rows_read_as_empty_and_codes_are_judged_on_each_row(
    fj_officer,
):
    header = template_header()

    def row(**cells) -> list[str]:
        values = [cells.get(name, "") for name in header]
        last = max(header.index(name) for name in cells)
        return values[: last + 1]  # a short row, as spreadsheets save them

    table = [
        header,
        row(
            **{
                "Case key": "K",
                "Date and time": "14/03/2026 09:30",
                "Country of origin": "Mexico",
                "Commodity": "Cocaine",
                "Quantity": "1 kg",
            }
        ),
        # The case's second row: spaces where the case's values were given.
        row(
            **{
                "Case key": "K",
                "Date and time": "   ",
                "Country of origin": " ",
                "Commodity": "cocaine",
                "Quantity": "2",
                "Unit": "kg",
            }
        ),
        row(**{"Date and time": "2026-01-20", "Commodity": "Unobtainium", "Quantity": "1 kg"}),
        row(**{"Date and time": "2026-01-21", "Commodity": "Unobtainium", "Quantity": "2 kg"}),
    ]
    out = io.StringIO()
    csv.writer(out).writerows(table)
    checked = check(by=fj_officer, sheet=read(out.getvalue().encode()))
    assert [(e.row, e.column_label) for e in checked.errors] == [(4, "Commodity"), (5, "Commodity")]
    assert checked.errors[0].message == checked.errors[1].message
    case = checked.seizures[0]
    assert case.rows == [2, 3]
    assert case.value_rows == {"occurred_at": 2, "origin_country": 2}
    assert case.values["origin_country"] == "MX"
    assert [item["commodity"] for item in case.items] == [code("commodity", "cocaine")] * 2
    assert [item["quantity"] for item in case.items] == [Decimal(1), Decimal(2)]
