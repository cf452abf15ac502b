"""Spreadsheets for the import tests, written as an officer would fill the template."""

import csv
import io

from openpyxl import Workbook

from seizures.imports import template_header

GOOD_ROWS = [
    # Case A: two items, one seizure.
    {
        "Case key": "A",
        "Date and time": "14/03/2026 09:30",
        "Office": "FJSUV",
        "Detection method": "Detector dog",
        "Transport mode": "air_passenger",
        "Concealment method": "In baggage",
        "Country of origin": "Mexico",
        "Country of departure": "US",
        "Transit countries": "NZ; AU",
        "Country of destination": "FJ",
        "Narrative": "Crystals in shampoo bottles",
        "Commodity": "Methamphetamine",
        "Description": "Two bottles",
        "Quantity": "1.2 kg",
        "Estimated value": "250000",
        "Currency": "FJD",
    },
    {
        "Case key": "A",
        "Commodity": "undeclared currency",
        "Quantity": "18000",
        "Unit": "Amount of currency",
        "Estimated value": "18000",
        "Currency": "usd",
    },
    # Case B: one item, ISO date, the officer's own office.
    {
        "Case key": "B",
        "Date and time": "2026-02-01 17:05",
        "Transport mode": "Sea cargo or container",
        "Container number": "mscu1234567",
        "Commodity": "Cigarettes",
        "Quantity": "12000",
        "Unit": "sticks",
    },
    # No case key: a seizure of its own.
    {
        "Date and time": "2026-01-20",
        "Commodity": "Cocaine",
        "Quantity": "3,2",
        "Unit": "kg",
    },
]


def rows_to_table(rows: list[dict]) -> list[list]:
    header = template_header()
    return [header, *([row.get(name, "") for name in header] for row in rows)]


def as_csv(rows: list[dict], *, delimiter=",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows_to_table(rows))
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows_to_table(rows):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_bad_row(rows: list[dict]) -> list[dict]:
    """The good rows with row 4 (case B) giving a unit cigarettes are not counted in."""
    rows = [dict(row) for row in rows]
    rows[2]["Unit"] = "kg"
    return rows
