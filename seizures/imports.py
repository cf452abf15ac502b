"""Seizures from a spreadsheet: the template, reading an upload, checking every row, and the
import itself.

The template has **one row per item**, and a *Case key* column groups the rows of one seizure.
An officer copying a register or a boarding report into a spreadsheet writes down what was
found line by line; one row per seizure with "Commodity 1", "Quantity 1", "Commodity 2" ...
columns would cap the number of items, make a sheet too wide to read, and break sorting and
filtering by commodity. The seizure's own columns (date, office, route ...) are filled on the
case's first row; its other rows may leave them blank or repeat them, but may not contradict
them. A row with no case key is a seizure of its own.

The columns are named as the list's export names them. Codes are given by their code or their
label in English or French, countries by ISO code or name, dates day first (14/03/2026 09:30)
or ISO (2026-03-14 09:30), in the administration's time zone.

Nothing here decides what a seizure may hold: rows are parsed, then checked by
services.seizure_check_many and saved by services.seizure_create_many, which apply the rules of
seizure_check and seizure_create, the ones every form and the API go through. The file is read
twice, at preview and again inside the import's transaction, so that what is saved is checked
against the code lists of the moment it is saved.
"""

import csv
import hashlib
import io
import os
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ncen import audit
from ncen import selectors as core_selectors
from ncen.audit import Action
from ncen.models import TaskRun

from . import attachments, rights, services
from .forms import RouteForm
from .models import Code, CodeList, Item, Seizure

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An upload waits this long between its preview and its import.
UPLOAD_MAX_AGE = 24 * 60 * 60
UPLOAD_DIR = "imports"
TOKEN_SALT = "seizures.imports"  # noqa: S105 - a signing namespace, not a secret
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A quantity followed by its unit: "12.5 kg", "3 packs".
UNIT_AFTER_NUMBER = re.compile(r"([-+]?[\d.,\s]+?)\s*([^\W\d_].*)")
# Several countries in one cell.
LIST_SEPARATORS = re.compile(r"[;,|]")


# --- The template ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # lazily translated
    level: str  # "case", "seizure" or "item"
    required: bool = False
    example: str = ""
    help: str = ""


COLUMNS = (
    Column(
        "case",
        gettext_lazy("Case key"),
        "case",
        example="A",
        help=gettext_lazy("Rows with the same key are one seizure; blank: a seizure of its own."),
    ),
    Column(
        "occurred_at",
        gettext_lazy("Date and time"),
        "seizure",
        required=True,
        example="14/03/2026 09:30",
        help=gettext_lazy("Day first (14/03/2026 09:30) or ISO (2026-03-14 09:30)."),
    ),
    Column(
        "office",
        gettext_lazy("Office"),
        "seizure",
        example="FJSUV",
        help=gettext_lazy("Code or name of one of your offices; blank: your own office."),
    ),
    Column("location_type", gettext_lazy("Location type"), "seizure", example="Seaport"),
    Column("procedure", gettext_lazy("Customs procedure"), "seizure", example="Import"),
    Column("detection_method", gettext_lazy("Detection method"), "seizure", example="X-ray"),
    Column("transport_mode", gettext_lazy("Transport mode"), "seizure", example="sea_cargo"),
    Column(
        "concealment_method",
        gettext_lazy("Concealment method"),
        "seizure",
        example="In cargo or goods",
    ),
    Column("flight_number", gettext_lazy("Flight number"), "seizure"),
    Column("vessel_name", gettext_lazy("Vessel name"), "seizure", example="Pacific Star"),
    Column("vessel_imo", gettext_lazy("Vessel IMO number"), "seizure", example="9321483"),
    Column("container_number", gettext_lazy("Container number"), "seizure", example="MSCU1234567"),
    Column("vehicle_registration", gettext_lazy("Vehicle registration"), "seizure"),
    Column("origin_country", gettext_lazy("Country of origin"), "seizure", example="Mexico"),
    Column("departure_country", gettext_lazy("Country of departure"), "seizure", example="US"),
    Column(
        "transit_countries",
        gettext_lazy("Transit countries"),
        "seizure",
        example="NZ; AU",
        help=gettext_lazy("Codes or names, separated by semicolons."),
    ),
    Column("destination_country", gettext_lazy("Country of destination"), "seizure", example="FJ"),
    Column("narrative", gettext_lazy("Narrative"), "seizure"),
    Column(
        "commodity",
        gettext_lazy("Commodity"),
        "item",
        required=True,
        example="Methamphetamine",
    ),
    Column("description", gettext_lazy("Description"), "item", example="Crystals in tins"),
    Column(
        "quantity",
        gettext_lazy("Quantity"),
        "item",
        required=True,
        example="12.5",
        help=gettext_lazy("A number, or a number and its unit (12.5 kg)."),
    ),
    Column("unit", gettext_lazy("Unit"), "item", example="kg"),
    Column("estimated_value", gettext_lazy("Estimated value"), "item", example="250000"),
    Column("currency", gettext_lazy("Currency"), "item", example="FJD"),
    Column("species", gettext_lazy("Species"), "item"),
    Column("cites_appendix", gettext_lazy("CITES appendix"), "item"),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
SEIZURE_COLUMNS = [column for column in COLUMNS if column.level == "seizure"]
ITEM_KEYS = [column.key for column in COLUMNS if column.level == "item"]
SEIZURE_CODE_LISTS = {
    "location_type": CodeList.LOCATION_TYPE,
    "procedure": CodeList.CUSTOMS_PROCEDURE,
    "detection_method": CodeList.DETECTION_METHOD,
    "transport_mode": CodeList.TRANSPORT_MODE,
    "concealment_method": CodeList.CONCEALMENT_METHOD,
}
COUNTRY_FIELDS = ("origin_country", "departure_country", "destination_country")


def template_header() -> list[str]:
    return [str(column.label) for column in COLUMNS]


def template_csv() -> str:
    """The template as CSV: the header alone, after a byte order mark for Excel."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerow(template_header())
    return out.getvalue()


def template_xlsx(*, user) -> bytes:
    """The template as a workbook: the sheet to fill, an example, the columns explained, and
    the codes and offices the user may give."""
    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    sheet.title = _("Seizures")[:31]
    sheet.append(template_header())
    for index in range(1, len(COLUMNS) + 1):
        sheet.cell(row=1, column=index).font = bold
        sheet.column_dimensions[get_column_letter(index)].width = 40 if index == 18 else 18
    sheet.freeze_panes = "B2"

    example = workbook.create_sheet(_("Example")[:31])
    example.append(template_header())
    example.append([column.example for column in COLUMNS])
    second = {
        "case": "A",
        "commodity": "Undeclared currency",
        "quantity": "18000",
        "unit": "currency",
        "estimated_value": "18000",
        "currency": "USD",
    }
    example.append([second.get(column.key, "") for column in COLUMNS])

    guide = workbook.create_sheet(_("Columns")[:31])
    guide.append([_("Column"), _("Required"), _("What to write")])
    for column in COLUMNS:
        guide.append([str(column.label), _("yes") if column.required else "", str(column.help)])

    codes = workbook.create_sheet(_("Codes")[:31])
    codes.append([_("List"), _("Code"), _("Label (English)"), _("Label (French)")])
    lists = dict(CodeList.choices)
    for code in Code.objects.offered_to(user).exclude(list__startswith="offence_"):
        codes.append([str(lists[code.list]), code.code, code.label, code.label_fr])
    codes.append([])
    for office in core_selectors.office_choices(user=user):
        codes.append([_("Office"), office.code, office.name, ""])
    for extra in (guide, codes):
        for row in extra.iter_rows(max_row=1):
            for cell in row:
                cell.font = bold
        for letter in "ABCD":
            extra.column_dimensions[letter].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Reading a file -------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be read as the template: nothing in it was checked."""


@dataclass
class Sheet:
    columns: list[str]  # column keys, in the file's order
    rows: list[tuple[int, list]]  # (row number in the spreadsheet, cells)


def read(data: bytes) -> Sheet:
    """The upload's rows, judged by content whatever the file is called."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s.") % {"size": filesizeformat(MAX_BYTES)}
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel (.xls) file: save it as .xlsx or CSV and upload that.")
        )
    sniffed = attachments.sniff(data)
    content_type = sniffed.content_type if sniffed else None
    if content_type == XLSX:
        table = _xlsx_rows(data)
    elif content_type == "text/plain" or (sniffed is None and _is_legacy_text(data)):
        table = _csv_rows(data)
    else:
        raise ImportFileError(
            _("This file is not a spreadsheet: upload the template saved as .xlsx or CSV.")
        )
    numbered = [(number, row) for number, row in table if any(_text(cell) for cell in row)]
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    (_header_number, header), *rows = numbered
    columns = _columns(header)
    if not rows:
        raise ImportFileError(_("The file has its header row but no seizures below it."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)d rows; import at most %(limit)d at a time.")
            % {"count": len(rows), "limit": MAX_ROWS}
        )
    return Sheet(columns=columns, rows=rows)


def _is_legacy_text(data: bytes) -> bool:
    """A CSV saved by Excel on Windows, in its Western European code page."""
    if b"\x00" in data[:65536]:
        return False
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return data.lstrip()[:1] != b"<"


def _xlsx_rows(data: bytes) -> list[tuple[int, list]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("This workbook cannot be read; is it damaged?")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(row)))
            if number > MAX_ROWS + 100:
                break
        return rows
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> list[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first_line = text.split("\n", 1)[0]
    # French spreadsheets write CSV with semicolons, since the comma is their decimal point.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1))
    except csv.Error as error:
        raise ImportFileError(
            _("This CSV file cannot be read: %(error)s") % {"error": error}
        ) from error


def _normalise(name: str) -> str:
    name = re.sub(r"\(.*\)", "", name).replace("*", "")
    return " ".join(name.lower().replace("_", " ").split())


def _column_names() -> dict[str, str]:
    """Header text as written in English or French, or the field's name, to the column."""
    names = {}
    for column in COLUMNS:
        names[_normalise(column.key)] = column.key
        for language in ("en", "fr"):
            with translation.override(language):
                names[_normalise(str(column.label))] = column.key
    return names


def _columns(header: list) -> list[str]:
    names = _column_names()
    keys, unknown = [], []
    for cell in header:
        text = _text(cell)
        key = names.get(_normalise(text)) if text else None
        if text and key is None:
            unknown.append(text)
        keys.append(key or "")
    problems = []
    if unknown:
        problems.append(
            _("These columns are not the template's: %(names)s.") % {"names": ", ".join(unknown)}
        )
    duplicates = sorted({key for key in keys if key and keys.count(key) > 1})
    if duplicates:
        problems.append(
            _("These columns appear twice: %(names)s.")
            % {"names": ", ".join(str(COLUMNS_BY_KEY[key].label) for key in duplicates)}
        )
    missing = [c for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        problems.append(
            _("These columns are missing: %(names)s.")
            % {"names": ", ".join(str(c.label) for c in missing)}
        )
    if problems:
        problems.append(_("The first row must name the columns as the template does."))
        raise ImportFileError(" ".join(problems))
    return keys


def _text(value) -> str:
    if isinstance(value, str):  # every cell of a CSV, most of a workbook's: checked first
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ")
    return " ".join(str(value).split())


# --- Checking the rows ----------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column's key; "" when the problem is the row's as a whole
    message: str

    @property
    def column_label(self) -> str:
        return str(COLUMNS_BY_KEY[self.column].label) if self.column else ""

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column_label, "message": self.message}


@dataclass
class PlannedSeizure:
    """One seizure the file would create: its rows, and the values given to the services."""

    case_key: str
    rows: list[int]
    values: dict = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)
    # Where each value came from, to report the service's errors on the right row, and the
    # text it was read from, to compare with later rows of the case.
    value_rows: dict[str, int] = field(default_factory=dict)
    value_texts: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict:
        office = self.values.get("office")
        occurred_at = self.values.get("occurred_at")
        return {
            "case_key": self.case_key,
            "rows": self.rows,
            "occurred_at": occurred_at.isoformat() if occurred_at else None,
            "office": office.name if office else "",
            "items": [
                {
                    "commodity": item["commodity"].code,
                    "commodity_label": str(item["commodity"]),
                    "quantity": f"{item['quantity'].normalize():f}",
                    "unit": item["unit"].code,
                    "unit_label": str(item["unit"]),
                }
                for item in self.items
            ],
        }


@dataclass
class Checked:
    seizures: list[PlannedSeizure]
    errors: list[RowError]
    row_count: int

    @property
    def ok(self) -> bool:
        return not self.errors


class _Refused(Exception):
    def __init__(self, message: str):
        self.message = message


def check(*, by, sheet: Sheet) -> Checked:
    """Every row parsed and every seizure checked by the services' rules; nothing saved."""
    checked, failed = _parse(by=by, sheet=sheet)
    checked.errors.extend(_service_errors(by=by, seizures=checked.seizures, failed=failed))
    checked.errors.sort(key=lambda e: (e.row, _column_order(e.column)))
    return checked


def _parse(*, by, sheet: Sheet) -> tuple[Checked, set[tuple[int, str]]]:
    """Every row read into the values the services take, and what could not be read: the
    cells by (row, column) as well as the errors."""
    if not rights.can_create(by):
        raise PermissionDenied(_("Your role does not record seizures."))
    reader = _RowReader(by)
    errors: list[RowError] = []
    cases: dict[str, PlannedSeizure] = {}
    failed: set[tuple[int, str]] = set()  # (row, column) already reported by the parser
    for number, cells in sheet.rows:
        # The row's cells by column, the empty ones left out (most of a case's later rows),
        # as are cells past the header's columns; a short row's last cells are empty.
        raw = {
            key: cell
            for key, cell in zip(sheet.columns, cells, strict=False)
            if key and cell is not None and cell != ""
        }
        case_key = _text(raw.get("case")) or f"#{number}"
        planned = cases.get(case_key)
        if planned is None:
            planned = cases[case_key] = PlannedSeizure(case_key=case_key, rows=[])
        planned.rows.append(number)
        for column in SEIZURE_COLUMNS:
            value = raw.get(column.key)
            if value is None:
                continue
            text = _text(value)
            if not text:
                continue
            if column.key in planned.value_rows:
                first = planned.value_rows[column.key]
                if text != planned.value_texts[column.key]:
                    errors.append(
                        RowError(
                            number,
                            column.key,
                            _(
                                "This differs from row %(row)d of the same case: leave it blank or "
                                "repeat the same value."
                            )
                            % {"row": first},
                        )
                    )
                continue
            planned.value_texts[column.key] = text
            planned.value_rows[column.key] = number
            try:
                planned.values[column.key] = reader.seizure_value(column.key, value, text)
            except _Refused as refused:
                errors.append(RowError(number, column.key, refused.message))
                failed.add((number, column.key))
        item, item_errors = reader.item(number, raw)
        errors.extend(item_errors)
        failed.update((number, e.column) for e in item_errors)
        planned.items.append(item)
    for planned in cases.values():
        first = planned.rows[0]
        if "occurred_at" not in planned.value_rows and (first, "occurred_at") not in failed:
            errors.append(RowError(first, "occurred_at", _("This column is required.")))
            failed.add((first, "occurred_at"))
        if "office" not in planned.value_rows:
            planned.values["office"] = by.office
            if by.office is None:
                errors.append(
                    RowError(first, "office", _("Give the office: you have none of your own."))
                )
                failed.add((first, "office"))
        planned.values.setdefault("transit_countries", [])
    errors.sort(key=lambda e: (e.row, _column_order(e.column)))
    checked = Checked(seizures=list(cases.values()), errors=errors, row_count=len(sheet.rows))
    return checked, failed


def _column_order(key: str) -> int:
    keys = [column.key for column in COLUMNS]
    return keys.index(key) if key in keys else -1


def _service_errors(*, by, seizures: list[PlannedSeizure], failed) -> list[RowError]:
    for planned in seizures:
        # A row whose item could not be read is already reported; check the rest.
        planned.items = [item for item in planned.items if item is not None]
    # A seizure none of whose items could be read has nothing more to check.
    checkable = [planned for planned in seizures if planned.items]
    try:
        services.seizure_check_many(by=by, records=_records(checkable))
    except services.SeizuresRefused as refused:
        return _refused_rows(refused, seizures=checkable, failed=failed)
    return []


def _records(seizures: list[PlannedSeizure]) -> list[services.NewSeizure]:
    return [
        services.NewSeizure(
            values=planned.values,
            items=[{k: v for k, v in item.items() if k != "_row"} for item in planned.items],
        )
        for planned in seizures
    ]


def _refused_rows(
    refused: services.SeizuresRefused, *, seizures: list[PlannedSeizure], failed=()
) -> list[RowError]:
    errors = []
    for index, error in sorted(refused.errors.items()):
        errors.extend(row_errors(error, planned=seizures[index], failed=failed))
    return errors


def row_errors(error: ValidationError, *, planned: PlannedSeizure, failed=()) -> list[RowError]:
    """The services' errors (``occurred_at``, ``items-1-unit``) on the rows and columns they
    came from."""
    found = []
    for key, messages in error.message_dict.items():
        prefix, _sep, rest = key.partition("-")
        index, _sep, name = rest.partition("-")
        if prefix == "items" and index.isdigit() and int(index) < len(planned.items):
            row = planned.items[int(index)]["_row"]
            column = name if name in COLUMNS_BY_KEY else ""
        elif key in COLUMNS_BY_KEY:
            column = key
            row = planned.value_rows.get(key, planned.rows[0])
        elif key == "items":
            row, column = planned.rows[0], "commodity"
        else:
            row, column = planned.rows[0], ""
        if (row, column) in failed:
            continue
        found.extend(RowError(row, column, message) for message in messages)
    return found


class _RowReader:
    """Turns cells into the values the services take, with the user's codes and offices."""

    def __init__(self, by):
        self.by = by
        self.time_zone = ZoneInfo(by.administration.time_zone)
        codes = (
            Code.objects.visible_to(by)
            .filter(~Q(list__startswith="offence_"))
            .select_related("parent")
            .prefetch_related("units", "parent__units")
        )
        self.codes: dict[tuple[str, str], list[Code]] = {}
        for code in codes:
            for name in {_normalise(n) for n in (code.code, code.label, code.label_fr)} - {""}:
                self.codes.setdefault((code.list, name), []).append(code)
        self.found_codes: dict[tuple[str, str, bool], Code | _Refused] = {}
        self.countries: dict[str, str | _Refused] = {}
        self.moments: dict[str, datetime | _Refused] = {}
        self.numbers: dict[tuple[str, str], Decimal | _Refused] = {}
        self.offices = {}
        for office in core_selectors.office_choices(user=by):
            self.offices[_normalise(office.code)] = office
            self.offices.setdefault(_normalise(office.name), office)

    def seizure_value(self, key: str, value, text: str):
        """The seizure's value of column ``key`` from its cell ``value``, read as ``text``."""
        if key == "occurred_at":
            return self.moment(value)
        if key == "office":
            office = self.offices.get(_normalise(text))
            if office is None:
                raise _Refused(
                    _("%(value)s is not one of your offices (give its code or name).")
                    % {"value": text}
                )
            return office
        if key in SEIZURE_CODE_LISTS:
            return self.code(SEIZURE_CODE_LISTS[key], text)
        if key in COUNTRY_FIELDS:
            return self.country(text)
        if key == "transit_countries":
            return [
                self.country(part.strip()) for part in LIST_SEPARATORS.split(text) if part.strip()
            ]
        if key in ("vessel_imo", "container_number"):
            try:
                return RouteForm.base_fields[key].clean(text).upper()
            except ValidationError as error:
                raise _Refused(" ".join(error.messages)) from None
        if key == "narrative":
            return str(value).strip()
        return text

    def item(self, number: int, raw: dict) -> tuple[dict | None, list[RowError]]:
        """The row's item, or why it cannot be read, by column."""
        texts = {key: _text(raw[key]) if key in raw else "" for key in ITEM_KEYS}
        problems: dict[str, str] = {}
        for key in ("commodity", "quantity"):
            if not texts[key]:
                problems[key] = _("This column is required.")
        # "12.5 kg" in the quantity column gives the unit as well.
        match = UNIT_AFTER_NUMBER.fullmatch(texts["quantity"])
        if match and isinstance(raw.get("quantity"), str):
            texts["quantity"], given = match.group(1).strip(), match.group(2).strip()
            if texts["unit"] and _normalise(texts["unit"]) != _normalise(given):
                problems["unit"] = _("The quantity is in %(given)s but the unit says %(unit)s.") % {
                    "given": given,
                    "unit": texts["unit"],
                }
            texts["unit"] = texts["unit"] or given
        if texts["quantity"] and not texts["unit"]:
            problems["unit"] = _("Give the unit, in this column or after the quantity (12.5 kg).")
        readers = {
            "commodity": lambda text: self.code(CodeList.COMMODITY, text, prefer_children=True),
            "unit": lambda text: self.code(CodeList.UNIT, text),
            "quantity": lambda text: self.number(raw.get("quantity"), text, "quantity"),
            "estimated_value": lambda text: self.number(
                raw.get("estimated_value"), text, "estimated_value"
            ),
            "currency": str.upper,
            "cites_appendix": self.appendix,
            "description": lambda text: self.item_text("description", text),
            "species": lambda text: self.item_text("species", text),
        }
        item: dict = {"_row": number}
        for key, read_text in readers.items():
            if key in problems or not texts[key]:
                continue
            try:
                item[key] = read_text(texts[key])
            except _Refused as refused:
                problems[key] = refused.message
        errors = [RowError(number, key, message) for key, message in problems.items()]
        return (None if errors else item), errors

    def code(self, code_list: str, text: str, *, prefer_children: bool = False) -> Code:
        # Files repeat their codes: each text is looked up once.
        return self._once(
            self.found_codes,
            (code_list, text, prefer_children),
            lambda: self._code(code_list, text, prefer_children=prefer_children),
        )

    def _code(self, code_list: str, text: str, *, prefer_children: bool) -> Code:
        found = self.codes.get((code_list, _normalise(text)), [])
        if len(found) > 1:
            exact = [code for code in found if code.code == text]
            found = exact or found
        if len(found) > 1 and prefer_children:
            found = [code for code in found if code.parent_id] or found
        if len(found) > 1:
            raise _Refused(
                _("%(value)s matches several entries (%(codes)s): give the code.")
                % {"value": text, "codes": ", ".join(code.code for code in found)}
            )
        if not found:
            raise _Refused(
                _(
                    "%(value)s is not in the %(list)s list: give a code or a label from the "
                    "template's Codes sheet."
                )
                % {"value": text, "list": str(CodeList(code_list).label).lower()}
            )
        return found[0]

    def country(self, text: str) -> str:
        # Names are looked up by scanning every country's translated name: once per text.
        return self._once(self.countries, text, lambda: self._country(text))

    def _country(self, text: str) -> str:
        code = ""
        if len(text) in (2, 3) and text.isalpha():
            code = countries.alpha2(text.upper())
        for language in ("en", "fr"):
            code = code or countries.by_name(text, language=language)
        if not code:
            raise _Refused(
                _("%(value)s is not a country (give its ISO code or its name).") % {"value": text}
            )
        return code

    def moment(self, value) -> datetime:
        if not isinstance(value, str):
            return self._moment(value)
        # Parsing tries each format in turn: once per distinct text.
        return self._once(self.moments, value, lambda: self._moment(value))

    def _moment(self, value) -> datetime:
        if isinstance(value, datetime):
            naive = value
        elif isinstance(value, date):
            naive = datetime.combine(value, time.min)
        else:
            naive = _parse_moment(_text(value))
        if naive is None:
            raise _Refused(
                _(
                    "%(value)s is not a date: write it day first (14/03/2026 09:30) "
                    "or as ISO (2026-03-14 09:30)."
                )
                % {"value": _text(value)}
            )
        if timezone.is_aware(naive):
            return naive
        return timezone.make_aware(naive, self.time_zone)

    def number(self, value, text: str, key: str) -> Decimal:
        if not isinstance(value, str):
            return self._number(value, text, key)
        return self._once(self.numbers, (key, text), lambda: self._number(value, text, key))

    @staticmethod
    def _once(cache: dict, key, read: Callable[[], object]):
        """read() once per key, its refusal included: files repeat their values."""
        if key not in cache:
            try:
                cache[key] = read()
            except _Refused as refused:
                cache[key] = refused
        found = cache[key]
        if isinstance(found, _Refused):
            raise found
        return found

    def _number(self, value, text: str, key: str) -> Decimal:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number = Decimal(str(value))
        else:
            number = _parse_number(text)
        if number is None and re.fullmatch(r"\d{1,3}(,\d{3})+", text):
            raise _Refused(
                _("%(value)s could be read two ways: write it without the comma, or with a point.")
                % {"value": text}
            )
        if number is None:
            raise _Refused(_("%(value)s is not a number.") % {"value": text})
        try:
            Item._meta.get_field(key).clean(number, None)
        except ValidationError as error:
            raise _Refused(" ".join(error.messages)) from None
        return number

    def appendix(self, text: str) -> str:
        text = text.upper().removeprefix("APPENDIX").removeprefix("ANNEXE").strip()
        text = {"1": "I", "2": "II", "3": "III"}.get(text, text)
        if text not in Item.CitesAppendix.values:
            raise _Refused(_("The CITES appendix is I, II or III."))
        return text

    def item_text(self, key: str, text: str) -> str:
        limit = Item._meta.get_field(key).max_length
        if len(text) > limit:
            raise _Refused(
                _("At most %(limit)d characters (this has %(count)d).")
                % {"limit": limit, "count": len(text)}
            )
        return text


# Each date format with its separator: a text without it cannot match the format, which
# need not be tried (strptime fails slowly, by an exception).
DATE_FORMATS = (("%Y-%m-%d", "-"), ("%d/%m/%Y", "/"), ("%d.%m.%Y", "."), ("%d-%m-%Y", "-"))
TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", "T%H:%M", "T%H:%M:%S")


def _parse_moment(text: str) -> datetime | None:
    for day, separator in DATE_FORMATS:
        if separator not in text:
            continue
        for moment in TIME_FORMATS:
            try:
                return datetime.strptime(text, day + moment)
            except ValueError:
                continue
    return None


def _parse_number(text: str) -> Decimal | None:
    """12.5, 12,5 (a decimal comma), 1 200 and 1,200.50; never a bare 1,200, which could be
    either twelve hundred or one point two."""
    text = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif "," in text:
        if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
            return None
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# --- Uploads kept between preview and import --------------------------------------------------


def upload_keep(*, by, data: bytes, name: str) -> str:
    """Store a checked upload; the token names it and is good for its uploader only."""
    _discard_stale_uploads()
    file_id = uuid.uuid4().hex
    default_storage.save(f"{UPLOAD_DIR}/{file_id}", ContentFile(data))
    return signing.dumps(
        {
            "user": by.pk,
            "file": file_id,
            "name": name[:255],
            "sha256": hashlib.sha256(data).hexdigest(),
        },
        salt=TOKEN_SALT,
    )


def upload_open(*, by, token: str) -> dict | None:
    """The upload a token names, if it is ``by``'s and recent: ``{"file", "name"}``."""
    try:
        upload = signing.loads(token, salt=TOKEN_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature:
        return None
    if upload.get("user") != by.pk or not default_storage.exists(_path(upload["file"])):
        return None
    return upload


def upload_read(file_id: str) -> bytes:
    with default_storage.open(_path(file_id), "rb") as stored:
        return stored.read()


def upload_discard(file_id: str) -> None:
    default_storage.delete(_path(file_id))


def _discard_stale_uploads() -> None:
    """Previews nobody confirmed: their tokens have expired, so their files can go."""
    if not default_storage.exists(UPLOAD_DIR):
        return
    cutoff = timezone.now() - timedelta(seconds=UPLOAD_MAX_AGE)
    for name in default_storage.listdir(UPLOAD_DIR)[1]:
        path = f"{UPLOAD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except FileNotFoundError:  # another upload discarded it first
            continue


def _path(file_id: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{32}", file_id):
        raise ValueError(file_id)
    return f"{UPLOAD_DIR}/{file_id}"


# --- The import -----------------------------------------------------------------------------


class ImportRefused(Exception):
    """Rows that failed the check when the import ran; nothing was saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        first = errors[0]
        super().__init__(
            _("Nothing was imported: row %(row)d, %(column)s: %(message)s")
            % {"row": first.row, "column": first.column_label or "-", "message": first.message}
        )


@transaction.atomic
def seizures_import(
    *,
    by,
    data: bytes,
    file_name: str,
    progress: Callable[[int, int], None] | None = None,
) -> list[Seizure]:
    """Record every seizure of the file as a draft of ``by``, or none: the file is read
    again, and seizure_create_many checks every seizure by seizure_create's rules, so that a
    row refused now (a code retired since the preview) leaves nothing saved. Every refused
    row is reported."""
    try:
        checked, _failed = _parse(by=by, sheet=read(data))
    except ImportFileError as error:
        raise ImportRefused([RowError(1, "", str(error))]) from error
    if not checked.ok:
        raise ImportRefused(checked.errors)
    try:
        created = services.seizure_create_many(
            by=by, records=_records(checked.seizures), progress=progress
        )
    except services.SeizuresRefused as refused:
        errors = _refused_rows(refused, seizures=checked.seizures)
        errors.sort(key=lambda e: (e.row, _column_order(e.column)))
        raise ImportRefused(errors) from refused
    audit.record(
        action=Action.SEIZURES_IMPORTED,
        actor=by,
        object_type="seizures.import",
        after={
            "file": file_name,
            "rows": checked.row_count,
            "seizures": [seizure.pk for seizure in created],
            "references": [seizure.reference for seizure in created],
        },
    )
    return created


def errors_as_dicts(errors: Iterable[RowError]) -> list[dict]:
    return [error.as_dict() for error in errors]


# --- Preview and confirmation ---------------------------------------------------------------


@dataclass
class Preview:
    name: str
    checked: Checked
    token: str = ""  # given only to a file without errors: the one that may be imported


def import_preview(*, by, upload) -> Preview:
    """Read and check an uploaded file; keep it for the import only if every row is good.
    Nothing is recorded. A file that cannot be read raises ValidationError on ``file``."""
    if not rights.can_create(by):
        raise PermissionDenied(_("Your role does not record seizures."))
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {"file": [_("The file is larger than %(size)s.") % {"size": filesizeformat(MAX_BYTES)}]}
        )
    data = upload.read()
    try:
        checked = check(by=by, sheet=read(data))
    except ImportFileError as error:
        raise ValidationError({"file": [str(error)]}) from error
    name = os.path.basename(upload.name or "")[:255]
    preview = Preview(name=name, checked=checked)
    if checked.ok:
        preview.token = upload_keep(by=by, data=data, name=name)
    return preview


@transaction.atomic
def import_confirm(*, by, token: str):
    """Queue the import of a previewed file; the TaskRun row follows it. Confirming the same
    file twice gives the first run back rather than importing it twice."""
    from ncen.tasking import enqueue

    from .tasks import import_seizures

    if not rights.can_create(by):
        raise PermissionDenied(_("Your role does not record seizures."))
    upload = upload_open(by=by, token=token)
    if upload is None:
        raise ValidationError(
            {"token": [_("This upload has expired or is not yours: upload the file again.")]}
        )
    earlier = (
        TaskRun.objects.visible_to(by)
        .filter(name=import_seizures.name, arguments__file=upload["file"])
        .first()
    )
    if earlier is not None:
        return earlier
    # The same file uploaded again, by this officer or a colleague, would make every seizure
    # twice.
    same_file = (
        TaskRun.objects.filter(
            administration_id=by.administration_id,
            name=import_seizures.name,
            arguments__sha256=upload["sha256"],
        )
        .exclude(status=TaskRun.Status.FAILED)
        .select_related("requested_by")
        .first()
    )
    if same_file is not None:
        raise ValidationError(
            {
                "token": [
                    _(
                        "This file was already imported, by %(user)s on %(date)s: nothing was "
                        "imported again."
                    )
                    % {
                        "user": same_file.requested_by or "-",
                        "date": date_format(timezone.localtime(same_file.created_at)),
                    }
                ]
            }
        )
    return enqueue(
        import_seizures,
        requested_by=by,
        user_id=by.pk,
        file=upload["file"],
        name=upload["name"],
        sha256=upload["sha256"],
    )


def import_runs(*, user):
    """The imports ``user`` may follow: their own (and, for administrators, their
    administration's)."""
    from .tasks import import_seizures

    return TaskRun.objects.visible_to(user).filter(name=import_seizures.name)


def run_state(run: TaskRun) -> dict:
    """What the page and the API say about an import while it runs and once it ended."""
    result = run.result or {}
    done, total = result.get("done", 0), result.get("total", 0)
    return {
        "id": str(run.pk),
        "status": run.status,
        "status_label": run.get_status_display(),
        "finished": run.status in (TaskRun.Status.SUCCEEDED, TaskRun.Status.FAILED),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
        "file": run.arguments.get("name", ""),
        "message": run.message,
        "errors": result.get("errors", []),
        "seizures": result.get("seizures", []),
        "references": result.get("references", []),
    }
