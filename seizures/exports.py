"""Seizures as spreadsheet rows, one row per seizure, for the list's CSV and XLSX exports
(and, later, the API's). Callers pass a queryset they have already narrowed with the
selector and the FilterSet: nothing here decides what a user may see."""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import Seizure

# Seizures read per query; each chunk's items come with it in one more query.
CHUNK_SIZE = 2000
# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and
# carriage return, as the start of one once the row is re-parsed).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit; a longer cell makes it report the whole file as damaged.
XLSX_CELL_LIMIT = 32767
# Joins several values in one cell; commas appear in labels, semicolons do not.
SEPARATOR = "; "


def export_queryset(queryset: QuerySet[Seizure]) -> QuerySet[Seizure]:
    """``queryset`` with the relations the rows read that the list page does not need."""
    return queryset.select_related("location_type", "procedure", "created_by")


def export_rows(queryset: QuerySet[Seizure], *, time_zone: tzinfo | None = None) -> Iterator[list]:
    """The header, then one row per seizure. Times are given in ``time_zone`` (by default
    the active one, the administration's) and labels in the active language; both are
    captured now, because a streamed response is iterated after the view has returned."""
    time_zone = time_zone or timezone.get_current_timezone()
    language = translation.get_language()

    def rows():
        with translation.override(language), timezone.override(time_zone):
            yield _header(time_zone)
            for seizure in export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE):
                yield _row(seizure, time_zone)

    return rows()


def _header(time_zone: tzinfo) -> list[str]:
    return [
        _("Reference"),
        _("Date and time (%(time_zone)s)") % {"time_zone": time_zone},
        _("Office"),
        _("Location type"),
        _("Customs procedure"),
        _("Detection method"),
        _("Transport mode"),
        _("Concealment method"),
        _("Flight number"),
        _("Vessel name"),
        _("Vessel IMO number"),
        _("Container number"),
        _("Vehicle registration"),
        _("Country of origin"),
        _("Country of departure"),
        _("Transit countries"),
        _("Country of destination"),
        _("Commodity codes"),
        _("Commodities"),
        _("Quantities"),
        _("Estimated value"),
        _("Narrative"),
        _("Status"),
        _("Version"),
        _("Created by"),
    ]


# Spreadsheet column widths, one per column of the header: the narrative is wide.
COLUMN_WIDTHS = (16, 17, *([18] * 19), 60, 10, 8, 14)


def _row(seizure: Seizure, time_zone: tzinfo) -> list:
    items = list(seizure.items.all())
    return [
        seizure.reference,
        timezone.localtime(seizure.occurred_at, time_zone).replace(tzinfo=None),
        seizure.office.name,
        _label(seizure.location_type),
        _label(seizure.procedure),
        _label(seizure.detection_method),
        _label(seizure.transport_mode),
        _label(seizure.concealment_method),
        seizure.flight_number,
        seizure.vessel_name,
        seizure.vessel_imo,
        seizure.container_number,
        seizure.vehicle_registration,
        seizure.origin_country.code,
        seizure.departure_country.code,
        SEPARATOR.join(seizure.transit_countries),
        seizure.destination_country.code,
        SEPARATOR.join(item.commodity.code for item in items),
        SEPARATOR.join(_label(item.commodity) for item in items),
        SEPARATOR.join(f"{_number(item.quantity)} {item.unit.code}" for item in items),
        SEPARATOR.join(
            f"{total:.2f} {currency}" for currency, total in _value_per_currency(items).items()
        ),
        seizure.narrative,
        seizure.get_status_display(),
        seizure.version,
        seizure.created_by.username,
    ]


def _label(code) -> str:
    return str(code) if code is not None else ""


def _number(value: Decimal) -> str:
    """2.500 as 2.5 and 100.000 as 100: no trailing zeros, never an exponent."""
    return f"{value.normalize():f}"


def _value_per_currency(items) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for item in items:
        if item.estimated_value is not None:
            totals[item.currency] = totals.get(item.currency, Decimal(0)) + item.estimated_value
    return dict(sorted(totals.items()))


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula, made inert with a leading quote."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


class _Echo:
    """A file whose write returns the line, so that csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def write_csv(rows: Iterable[list]) -> Iterator[str]:
    """The rows as CSV lines, after a byte order mark so that Excel reads UTF-8."""
    yield "\ufeff"
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def _xlsx_value(value):
    if isinstance(value, str):
        # openpyxl refuses control characters, and would store "=..." as a formula.
        value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
        if len(value) > XLSX_CELL_LIMIT:
            value = value[: XLSX_CELL_LIMIT - 1] + "…"
    return value


def write_xlsx(rows: Iterable[list], file: IO[bytes], *, title: str) -> None:
    """The rows as one worksheet, written row by row (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    rows = iter(rows)
    header = next(rows)
    if len(header) == len(COLUMN_WIDTHS):
        for index, width in enumerate(COLUMN_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(name))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    workbook.save(file)
