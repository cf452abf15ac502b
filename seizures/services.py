"""Every write to seizures, items and offences. Each re-checks rights inside its transaction,
validates the whole record, bumps the version and writes its audit entry."""

import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice, pairwise

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.db.models import prefetch_related_objects
from django.db.models.expressions import DatabaseDefault
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.tasks import compact_seizure_counts
from exchange.models import SharingDecision
from exchange.outbox import outbox_add_approval, outbox_add_withdrawal
from exchange.selectors import sharing_policy
from exchange.services import validate_decision
from indicators.services import indicators_check_on_commit
from ncen import audit
from ncen.audit import Action
from ncen.bulk import copy_insert, copy_insert_rows, stored_value
from ncen.exceptions import ConflictError
from ncen.models import Notification, Office, Role, User
from ncen.services import notify

from . import attachments, rights, selectors, workflow
from .currencies import CURRENCIES
from .models import Approval, Attachment, Code, CodeList, Item, Offence, Seizure
from .snapshots import payload_record
from .workflow import Step

SEIZURE_FIELDS = (
    "occurred_at",
    "office",
    "location_type",
    "procedure",
    "detection_method",
    "transport_mode",
    "concealment_method",
    "flight_number",
    "vessel_name",
    "vessel_imo",
    "container_number",
    "vehicle_registration",
    "origin_country",
    "departure_country",
    "transit_countries",
    "destination_country",
    "narrative",
)
ITEM_FIELDS = (
    "commodity",
    "description",
    "quantity",
    "unit",
    "estimated_value",
    "currency",
    "species",
    "cites_appendix",
)
OFFENCE_FIELDS = (
    "legal_provision",
    "offence_type",
    "status",
    "penalty_amount",
    "penalty_currency",
    "committed_on",
    "decided_on",
)
CODE_FIELDS = {
    "location_type": CodeList.LOCATION_TYPE,
    "procedure": CodeList.CUSTOMS_PROCEDURE,
    "detection_method": CodeList.DETECTION_METHOD,
    "transport_mode": CodeList.TRANSPORT_MODE,
    "concealment_method": CodeList.CONCEALMENT_METHOD,
}
# Seizure fields the services fill in themselves, which full_clean need not ask the database
# about (it looks every foreign key up: four queries of each check, of eight).
SET_BY_THE_SERVICE = (
    "reference",
    "reference_year",
    "reference_number",
    "administration",
    "created_by",
    "updated_by",
    "version",
)
# A clock a few minutes fast on an officer's laptop is not a date in the future.
CLOCK_TOLERANCE = timedelta(minutes=10)


# --- Validation ---------------------------------------------------------------------------


def _check_code(*, by, field: str, code: Code | None, code_list: str, keeping=()):
    if code is None:
        return
    if code.list != code_list:
        raise ValidationError({field: _("This entry belongs to another list.")})
    if code.administration_id not in (None, by.administration_id):
        raise ValidationError({field: _("This entry is not one of your administration's.")})
    if code.is_retired and code.pk not in keeping:
        raise ValidationError({field: _("This entry is retired; choose a current one.")})


def _validate_seizure(*, by, values: dict, keeping=()) -> None:
    errors = {}
    occurred_at = values.get("occurred_at")
    if occurred_at and occurred_at > timezone.now() + CLOCK_TOLERANCE:
        errors["occurred_at"] = [_("The seizure cannot be in the future.")]
    office: Office | None = values.get("office")
    if office is not None and office.administration_id != by.administration_id:
        errors["office"] = [_("Choose an office of your administration.")]
    for field, code_list in CODE_FIELDS.items():
        try:
            _check_code(
                by=by,
                field=field,
                code=values.get(field),
                code_list=code_list,
                keeping=keeping,
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    transit = values.get("transit_countries") or []
    if len(transit) != len(set(transit)):
        errors["transit_countries"] = [_("A transit country is listed twice.")]
    if errors:
        raise ValidationError(errors)


def _validate_item(*, by, index: int, item: dict, keeping=(), allowed_units=None) -> None:
    """``keeping`` holds the entries the record already uses, valid even once retired;
    ``allowed_units``, when given, each commodity's allowed_unit_ids by its id."""
    errors = {}
    commodity, unit = item.get("commodity"), item.get("unit")
    for field, code_list in (("commodity", CodeList.COMMODITY), ("unit", CodeList.UNIT)):
        try:
            _check_code(
                by=by, field=field, code=item.get(field), code_list=code_list, keeping=keeping
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if commodity is not None and commodity.parent_id is None:
        errors["commodity"] = [_("Choose a commodity, not only its group.")]
    if commodity is not None and unit is not None:
        allowed = (
            commodity.allowed_unit_ids() if allowed_units is None else allowed_units[commodity.pk]
        )
        if allowed and unit.pk not in allowed:
            names = ", ".join(
                str(code) for code in Code.objects.filter(pk__in=allowed).order_by("sort_order")
            )
            errors["unit"] = [
                _("%(commodity)s is counted in %(units)s, not in %(unit)s.")
                % {"commodity": commodity, "units": names, "unit": unit}
            ]
    quantity = item.get("quantity")
    if quantity is not None and quantity <= 0:
        errors["quantity"] = [_("The quantity must be more than zero.")]
    currency = item.get("currency") or ""
    if currency and currency not in CURRENCIES:
        errors["currency"] = [_("%(code)s is not a currency code.") % {"code": currency}]
    if item.get("estimated_value") is not None and not currency:
        errors["currency"] = [_("Give the currency of the estimated value.")]
    if item.get("cites_appendix") and not item.get("species"):
        errors["species"] = [_("Name the species of a CITES-listed item.")]
    if errors:
        raise ValidationError({f"items-{index}-{name}": msgs for name, msgs in errors.items()})


def _validate_offence(*, by, index: int, offence: dict, keeping=()) -> None:
    errors = {}
    for field, code_list in (
        ("offence_type", CodeList.OFFENCE_TYPE),
        ("status", CodeList.OFFENCE_STATUS),
    ):
        try:
            _check_code(
                by=by, field=field, code=offence.get(field), code_list=code_list, keeping=keeping
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    currency = offence.get("penalty_currency") or ""
    if currency and currency not in CURRENCIES:
        errors["penalty_currency"] = [_("%(code)s is not a currency code.") % {"code": currency}]
    if offence.get("penalty_amount") is not None and not currency:
        errors["penalty_currency"] = [_("Give the currency of the penalty.")]
    committed, decided = offence.get("committed_on"), offence.get("decided_on")
    today = timezone.localdate()
    for field in ("committed_on", "decided_on"):
        if offence.get(field) and offence[field] > today:
            errors[field] = [_("This date is in the future.")]
    if committed and decided and decided < committed:
        errors["decided_on"] = [_("The decision cannot come before the offence.")]
    if errors:
        raise ValidationError({f"offences-{index}-{name}": msgs for name, msgs in errors.items()})


# --- Derived columns ------------------------------------------------------------------------

# The text full-text search reads, weighted: conveyance identifiers and reference first, then
# the items, then the narrative. ``s`` is the seizure row; {items_text} an SQL expression of
# its items' text in order. generate_data writes the same expression in bulk.
SEARCH_VECTOR_SQL = """
    setweight(to_tsvector('simple', concat_ws(' ', s.reference, s.flight_number,
        s.vessel_name, s.vessel_imo, s.container_number, s.vehicle_registration)), 'A')
    || setweight(to_tsvector('simple', coalesce({items_text}, '')), 'B')
    || setweight(to_tsvector('simple', s.narrative), 'C')
"""


# The text of a seizure's items in order, for SEARCH_VECTOR_SQL's {items_text}.
ITEMS_TEXT_SQL = (
    "(SELECT string_agg(i.description || ' ' || i.species, ' ' ORDER BY i.position)"
    " FROM seizures_item AS i WHERE i.seizure_id = s.id)"
)


def _route_and_commodities(seizure: Seizure, commodities: list[Code]) -> tuple[list, list]:
    """The route_countries and commodity_ids of a seizure with items of ``commodities``:
    every country of the route, every commodity with its group."""
    ids = set()
    for commodity in commodities:
        ids.add(commodity.pk)
        if commodity.parent_id:
            ids.add(commodity.parent_id)
    return sorted(set(seizure.route)), sorted(ids)


def _refresh_derived(seizure: Seizure) -> None:
    """Recompute the columns that searches use, from the saved record and its items."""
    items = seizure.items.select_related("commodity")
    route, commodity_ids = _route_and_commodities(seizure, [item.commodity for item in items])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE seizures_seizure AS s SET route_countries = %s, commodity_ids = %s, "  # noqa: S608 - constant SQL
            f"search_vector = {SEARCH_VECTOR_SQL.format(items_text=ITEMS_TEXT_SQL)} "
            "WHERE s.id = %s",
            [route, commodity_ids, seizure.pk],
        )


def references_reserve(*, administration, year: int, count: int) -> range:
    """The next ``count`` reference numbers of the administration's year, in order. The
    counter row stays locked until the transaction ends, and a rollback gives the numbers
    back: no gaps, no duplicates."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO seizures_referencecounter (administration_id, year, last_number)
            VALUES (%s, %s, %s)
            ON CONFLICT (administration_id, year)
            DO UPDATE SET last_number = seizures_referencecounter.last_number
                + EXCLUDED.last_number
            RETURNING last_number
            """,
            [administration.pk, year, count],
        )
        (last,) = cursor.fetchone()
    return range(last - count + 1, last + 1)


def _give_reference(seizure: Seizure, *, year: int) -> None:
    """Give the seizure the next number of its administration's year."""
    (number,) = references_reserve(administration=seizure.administration, year=year, count=1)
    _set_reference(seizure, year=year, number=number)


def _set_reference(seizure: Seizure, *, year: int, number: int) -> None:
    seizure.reference_year = year
    seizure.reference_number = number
    seizure.reference = f"{seizure.administration.code}-{year}-{number:06d}"


# --- Snapshots for the audit trail --------------------------------------------------------


def _snapshot(seizure: Seizure, items=None, offences=None) -> dict:
    """The record as the audit trail keeps it; ``items`` and ``offences``, when given, are
    the seizure's rows as just written (copy_insert_rows gives them as stored), else read."""
    data = audit.snapshot(seizure, SEIZURE_FIELDS)
    data["version"] = seizure.version
    data["status"] = seizure.status
    items = seizure.items.values(*ITEM_FIELDS) if items is None else items
    offences = seizure.offences.values(*OFFENCE_FIELDS) if offences is None else offences
    data["items"] = [audit.row_snapshot(item, ITEM_FIELDS) for item in items]
    data["offences"] = [audit.row_snapshot(o, OFFENCE_FIELDS) for o in offences]
    return data


def _save_children(seizure: Seizure, items: list[dict] | None, offences: list[dict] | None):
    if items is not None:
        seizure.items.all().delete()
        Item.objects.bulk_create(Item(**row) for row in _item_rows(seizure, items))
    if offences is not None:
        seizure.offences.all().delete()
        Offence.objects.bulk_create(Offence(**row) for row in _offence_rows(seizure, offences))


def _item_rows(seizure: Seizure, items: list[dict]) -> list[dict]:
    """The seizure's new items, by field name."""
    return [
        {"seizure": seizure, "position": position, **_only(item, ITEM_FIELDS)}
        for position, item in enumerate(items)
    ]


def _offence_rows(seizure: Seizure, offences: list[dict]) -> list[dict]:
    return [{"seizure": seizure, **_only(offence, OFFENCE_FIELDS)} for offence in offences]


def _only(values: dict, fields) -> dict:
    return {name: values[name] for name in fields if name in values}


def _clean_children(*, by, items, offences, keeping=(), allowed_units=None) -> None:
    errors = {}
    for index, item in enumerate(items or []):
        try:
            _validate_item(
                by=by, index=index, item=item, keeping=keeping, allowed_units=allowed_units
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    for index, offence in enumerate(offences or []):
        try:
            _validate_offence(by=by, index=index, offence=offence, keeping=keeping)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


# --- Services -------------------------------------------------------------------------------


def _lock(*, by, seizure: Seizure, refusal: str) -> Seizure:
    """Re-read the seizure inside the transaction, locked, through the visibility choke
    point; ``refusal`` is the message for a record ``by`` may not see."""
    try:
        return Seizure.objects.visible_to(by).select_for_update().get(pk=seizure.pk)
    except Seizure.DoesNotExist:
        raise PermissionDenied(refusal) from None


def seizure_check(
    *, by, values: dict, items: list[dict], offences: list[dict] | None = None
) -> Seizure:
    """Every rule seizure_create applies, without saving: the unsaved seizure, or the
    ValidationError it would raise."""
    return _check(by=by, record=NewSeizure(values=values, items=items, offences=offences))


@dataclass
class NewSeizure:
    """One record for the bulk services: what seizure_create takes."""

    values: dict
    items: list[dict]
    offences: list[dict] | None = None


class SeizuresRefused(Exception):
    """The records a bulk service refused, by their index in the list it was given, each
    with the ValidationError seizure_create would have raised."""

    def __init__(self, errors: dict[int, ValidationError]):
        self.errors = errors
        super().__init__(f"{len(errors)} records refused")


def seizure_check_many(*, by, records: list[NewSeizure]) -> list[Seizure]:
    """seizure_check for every record: the unsaved seizures, or SeizuresRefused with every
    record's errors. The offices and codes the records name, the units of their commodities
    and the uniqueness of their identifiers are looked up once for all the records rather
    than once per record, as full_clean would."""
    checks = _Checks(by=by, records=records)
    checked, errors = checks.check_all(records)
    if errors:
        raise SeizuresRefused(errors)
    return list(checked.values())


class _Checks:
    """seizure_check_many in steps: what the records name looked up once for all of them,
    then the records checked a slice at a time without a query (except to word the error of
    a unit that does not fit its commodity), and their identifiers looked up apart."""

    def __init__(self, *, by, records: list[NewSeizure]):
        if not rights.can_create(by):
            raise PermissionDenied(_("Your role does not record seizures."))
        self.by = by
        self.related = _Related(records)

    def check(
        self, records: list[NewSeizure], *, start: int = 0
    ) -> tuple[dict[int, Seizure], dict[int, ValidationError]]:
        """The records that pass, unsaved, and the errors of the others, by their index
        counted from ``start``."""
        checked, errors = {}, {}
        for index, record in enumerate(records, start):
            try:
                checked[index] = _check(by=self.by, record=record, related=self.related)
            except ValidationError as error:
                errors[index] = error
        return checked, errors

    def check_all(
        self, records: list[NewSeizure], *, start: int = 0
    ) -> tuple[dict[int, Seizure], dict[int, ValidationError]]:
        """check, with the records whose uuid is taken among the errors. The insert loop
        calls the two apart: taken queries, which has to wait until the pipeline ends."""
        checked, errors = self.check(records, start=start)
        errors.update(self.taken(checked))
        return checked, errors

    @staticmethod
    def taken(checked: dict[int, Seizure]) -> dict[int, ValidationError]:
        """The errors of the checked seizures whose uuid is taken, which full_clean would
        have looked up one by one."""
        taken = set(
            Seizure._base_manager.filter(
                uuid__in=[seizure.uuid for seizure in checked.values()]
            ).values_list("uuid", flat=True)
        )
        return {
            index: ValidationError({"uuid": [seizure.unique_error_message(Seizure, ("uuid",))]})
            for index, seizure in checked.items()
            if seizure.uuid in taken
        }


# The foreign keys of a seizure that full_clean looks up one query each.
RELATED_FIELDS = ("office", *CODE_FIELDS)


class _Related:
    """What seizure.full_clean(exclude=SET_BY_THE_SERVICE) checks, for many seizures at once:
    the database is asked once for all of them whether the offices and codes they name exist
    (within the field's list); every other field is cleaned once per distinct value rather
    than once per seizure (a field's clean depends on its value alone: the list of every
    country, the choices, the lengths); and the model's constraints that full_clean would
    skip for a new seizure (they involve a field the service sets) are skipped without
    building their query for each seizure. The caller checks the uuids. And for the items,
    the units allowed for each commodity the records name, found once per commodity rather
    than once per item."""

    def __init__(self, records: list[NewSeizure]):
        commodities = {
            id(item["commodity"]): item["commodity"]
            for record in records
            for item in record.items
            if item.get("commodity") is not None
        }
        prefetch_related_objects(list(commodities.values()), "units", "parent__units")
        self.units = {
            commodity.pk: commodity.allowed_unit_ids() for commodity in commodities.values()
        }
        named: dict = {}
        for name in RELATED_FIELDS:
            model = Seizure._meta.get_field(name).remote_field.model
            named.setdefault(model, set()).update(
                _pk(record.values.get(name)) for record in records
            )
        self.found = {
            model: {row["id"]: row for row in model._base_manager.filter(pk__in=ids).values()}
            for model, ids in named.items()
            if ids - {None}
        }
        self.constraints = [
            constraint
            for constraint in Seizure._meta.constraints
            if not _refers_to(constraint, SET_BY_THE_SERVICE)
        ]
        excluded = {*SET_BY_THE_SERVICE, *RELATED_FIELDS, "uuid"}
        self.fields = [
            field
            for field in Seizure._meta.fields
            if field.name not in excluded and not field.generated
        ]
        # What validate_unique would check besides the primary key, which a new seizure
        # does not have yet.
        unique_checks, date_checks = Seizure()._get_unique_checks(exclude=excluded)
        self.unique = [*(c for c in unique_checks if c[1] != ("id",)), *date_checks]
        self.cleaned: dict = {}

    def full_clean(self, seizure: Seizure) -> None:
        errors = {}
        for field in self.fields:
            self._clean_field(seizure, field, errors)
        try:
            seizure.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.unique:
            try:
                seizure.validate_unique(exclude={*SET_BY_THE_SERVICE, "uuid", *errors})
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        for name in RELATED_FIELDS:
            self._check_related(seizure, name, errors)
        for constraint in self.constraints:
            try:
                constraint.validate(Seizure, seizure, exclude=set(SET_BY_THE_SERVICE))
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_field(self, seizure: Seizure, field, errors: dict) -> None:
        """What clean_fields does for the field, remembered per value."""
        # A country's code rather than the Country its descriptor makes: the same text.
        raw = stored_value(seizure, field)
        if (field.blank and raw in field.empty_values) or isinstance(raw, DatabaseDefault):
            return
        key = (field.name, type(raw), tuple(raw) if isinstance(raw, list) else raw)
        try:
            cleaned, messages = self.cleaned[key]
        except TypeError:  # a value that cannot be a key: cleaned each time
            cleaned, messages = self._clean(field, raw, seizure)
        except KeyError:
            cleaned, messages = self.cleaned[key] = self._clean(field, raw, seizure)
        if messages is not None:
            errors[field.name] = list(messages)  # the remembered list stays as it is
        else:
            setattr(seizure, field.attname, list(cleaned) if isinstance(cleaned, list) else cleaned)

    @staticmethod
    def _clean(field, raw, seizure: Seizure) -> tuple:
        try:
            return field.clean(raw, seizure), None
        except ValidationError as error:
            return None, error.error_list

    def _check_related(self, seizure: Seizure, name: str, errors: dict) -> None:
        field = Seizure._meta.get_field(name)
        value = getattr(seizure, field.attname)
        try:
            # The field's own checks (null, blank), which need no query ...
            models.Field.validate(field, value, seizure)
        except ValidationError as error:
            errors.setdefault(name, error.messages)
            return
        if value is None:
            return
        # ... and what ForeignKey.validate asks the database.
        row = self.found.get(field.remote_field.model, {}).get(value)
        limits = field.get_limit_choices_to()
        if row is None or any(row.get(key) != wanted for key, wanted in limits.items()):
            invalid = ValidationError(
                field.error_messages["invalid"],
                code="invalid",
                params={
                    "model": field.remote_field.model._meta.verbose_name,
                    "pk": value,
                    "field": field.remote_field.field_name,
                    "value": value,
                },
            )
            errors.setdefault(name, invalid.messages)


def _refers_to(constraint, names) -> bool:
    """Whether the constraint involves one of the fields ``names``: full_clean, told to
    exclude them, skips it."""
    references = set(getattr(constraint, "fields", ()))
    for expression in (
        getattr(constraint, "condition", None),
        *getattr(constraint, "expressions", ()),
    ):
        if expression is not None:
            references |= {ref[0] for ref in Seizure._get_expr_references(expression)}
    return bool(references & set(names))


def _pk(value):
    return value.pk if isinstance(value, models.Model) else value


def _check(*, by, record: NewSeizure, related: _Related | None = None) -> Seizure:
    """seizure_check of one record; ``related``, when given, answers what full_clean would
    otherwise ask the database."""
    if not rights.can_create(by):
        raise PermissionDenied(_("Your role does not record seizures."))
    if not record.items:
        raise ValidationError({"items": [_("Record at least one item seized.")]})
    values = record.values
    seizure = Seizure(
        administration=by.administration,
        created_by=by,
        updated_by=by,
        **_only(values, SEIZURE_FIELDS),
    )
    # Every problem at once, so that a form or a spreadsheet row can be put right in one go.
    errors = {}
    for check in (
        lambda: _validate_seizure(by=by, values=values),
        lambda: _clean_children(
            by=by,
            items=record.items,
            offences=record.offences,
            allowed_units=None if related is None else related.units,
        ),
        lambda: (
            seizure.full_clean(exclude=SET_BY_THE_SERVICE)
            if related is None
            else related.full_clean(seizure)
        ),
    ):
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    return seizure


@transaction.atomic
def seizure_create(
    *, by, values: dict, items: list[dict], offences: list[dict] | None = None
) -> Seizure:
    """Record a new seizure as a draft. ``values`` holds fields of SEIZURE_FIELDS.
    seizure_create_many writes the same rows and audit entry (a test holds them to it),
    through a staging table that pays for itself over many records; this one writes the
    row, then its derived columns, as an edit does."""
    seizure = seizure_check(by=by, values=values, items=items, offences=offences)
    _give_reference(seizure, year=timezone.localdate().year)
    seizure.save(force_insert=True)
    _save_children(seizure, items, offences or [])
    _refresh_derived(seizure)
    audit.record(action=Action.SEIZURE_CREATED, actor=by, target=seizure, after=_snapshot(seizure))
    return seizure


# How many seizures seizure_create_many writes at a time: large enough for COPY to pay,
# small enough for a caller's progress bar to move. The first chunk is smaller, since
# nothing is inserted until it is checked.
CREATE_MANY_CHUNK = 1000
CREATE_MANY_FIRST_CHUNK = 250


@transaction.atomic
def seizure_create_many(
    *, by, records: list[NewSeizure], progress: Callable[[int, int], None] | None = None
) -> list[Seizure]:
    """seizure_create for many records, in order, all or none (SeizuresRefused names every
    refused record). The same checks, with what full_clean asks the database asked once for
    all; the year's block of references in one UPDATE; then, a chunk at a time, the
    seizures, items and offences inserted in bulk with their derived columns and the audit
    entries, one per seizure as seizure_create writes it. While PostgreSQL inserts a chunk,
    its audit entries are made and sent after it, and the next chunk is checked (the first
    chunk, checked before anything is inserted, is smaller); a refused record stops the
    inserts, the rest are checked, and the transaction is rolled back.
    ``progress(saved, total)`` after each chunk. Once committed, the rollup's changes are
    compacted (analysis.counts), rather than read by the dashboard until beat does it."""
    checks = _Checks(by=by, records=records)
    if not records:
        return []
    ends = [*range(CREATE_MANY_FIRST_CHUNK, len(records), CREATE_MANY_CHUNK), len(records)]
    chunks = [slice(start, end) for start, end in pairwise([0, *ends])]
    checked, errors = checks.check_all(records[chunks[0]])
    if errors:
        raise SeizuresRefused(_checked_rest(checks, records, chunks[1:], errors))
    year = timezone.localdate().year
    numbers = iter(
        references_reserve(administration=by.administration, year=year, count=len(records))
    )
    # Robust: beat compacts them too, should the message not reach the broker.
    transaction.on_commit(compact_seizure_counts.apply_async, robust=True)
    trail = audit.Batch(action=Action.SEIZURE_CREATED, actor=by)
    chunk = _ready(checked, records[chunks[0]], year=year, numbers=numbers)
    created = []
    for index, following in enumerate([*chunks[1:], slice(len(records), len(records))]):
        with _inserting(*chunk) as children:
            # Made while PostgreSQL inserts the chunk and counts it, since they need no
            # query: the chunk's audit entries, queued behind the INSERT so that PostgreSQL
            # writes them while the next chunk is checked and built.
            seizures = chunk[0]
            trail.send(
                trail.rows(
                    [
                        audit.Change(target=seizure, after=_snapshot(seizure, items, offences))
                        for seizure, (items, offences) in zip(seizures, children, strict=True)
                    ]
                )
            )
            upcoming = records[following]
            checked, errors = checks.check(upcoming, start=following.start)
            if checked and not errors:
                chunk = _ready(checked, upcoming, year=year, numbers=numbers)
        created += seizures
        if progress is not None:
            progress(len(created), len(records))
        if checked:
            errors.update(checks.taken(checked))
        if errors:
            raise SeizuresRefused(_checked_rest(checks, records, chunks[index + 2 :], errors))
    return created


def _ready(
    checked: dict[int, Seizure], records: list[NewSeizure], *, year: int, numbers: Iterator[int]
) -> tuple[list[Seizure], list[tuple[list[dict], list[dict]]]]:
    """A chunk's checked seizures with their references, and their item and offence rows,
    unsaved."""
    seizures = list(checked.values())
    for seizure in seizures:
        _set_reference(seizure, year=year, number=next(numbers))
    return seizures, _new_children(seizures, records)


def _checked_rest(
    checks: _Checks, records: list[NewSeizure], chunks, errors: dict[int, ValidationError]
) -> dict[int, ValidationError]:
    """``errors`` and those of ``chunks`` (slices): every refused record is named."""
    for chunk in chunks:
        errors.update(checks.check_all(records[chunk], start=chunk.start)[1])
    return errors


@transaction.atomic
def seizure_update(
    *,
    by,
    seizure: Seizure,
    expected_version: int,
    values: dict,
    items: list[dict] | None = None,
    offences: list[dict] | None = None,
) -> Seizure:
    """Save changes made to the version the editor read. ``items`` and ``offences``, when
    given, replace the record's. An approved record becomes a new version waiting for review;
    its last approval stays what the exchange knows until the new one is approved."""
    locked = _lock(by=by, seizure=seizure, refusal=_("You cannot edit this seizure."))
    if locked.version != expected_version:
        raise ConflictError(current_version=locked.version)
    if not rights.can_edit(by, locked):
        raise PermissionDenied(_("You cannot edit this seizure."))
    if items is not None and not items:
        raise ValidationError({"items": [_("Record at least one item seized.")]})
    keeping = locked.code_ids_in_use()
    _validate_seizure(by=by, values=values, keeping=keeping)
    _clean_children(by=by, items=items, offences=offences, keeping=keeping)
    before = _snapshot(locked)
    for name, value in _only(values, SEIZURE_FIELDS).items():
        setattr(locked, name, value)
    locked.version += 1
    locked.updated_by = by
    revised = locked.status == Seizure.Status.APPROVED
    if revised:
        _enter(locked, Step.REVISE)
    locked.full_clean()
    locked.save()
    _save_children(locked, items, offences)
    _refresh_derived(locked)
    audit.record(
        action=Action.SEIZURE_UPDATED,
        actor=by,
        target=locked,
        before=before,
        after=_snapshot(locked),
    )
    if revised:
        _notify_supervisors(seizure=locked, by=by)
    return locked


def seizure_links_change(*, by, seizure: Seizure) -> tuple[Seizure, str]:
    """Lock a seizure whose persons or businesses ``by`` is about to change, in the caller's
    transaction, and count the change as an edit of the record: the same rights and steps as
    seizure_update (a new version, ``by`` as its last editor for four eyes; an approved
    record goes back for review while its last approval stays what the exchange knows).
    Returns the locked seizure and the status it had; the caller makes the change and
    writes the audit entry."""
    locked = _lock(by=by, seizure=seizure, refusal=_("You cannot change this seizure."))
    if locked.status not in rights.EDITABLE:
        # Submitted (waiting for its review) or withdrawn (closed): say so.
        workflow.next_status(Step.REVISE, locked)
    if not rights.can_edit(by, locked):
        raise PermissionDenied(_("You cannot change this seizure."))
    before = locked.status
    _bump(by=by, locked=locked)
    return locked, before


def seizures_links_moved(*, by, seizure_ids, reason: str) -> None:
    """Links of these seizures were moved to another person (a merge or its undo), which
    changes what their approvals would send: each becomes a new version, and an approved one
    goes back for review. A withdrawn record is closed and stays as it is."""
    for locked in (
        Seizure.objects.visible_to(by)
        .filter(pk__in=seizure_ids)
        .exclude(status=Seizure.Status.WITHDRAWN)
        .select_for_update()
        .order_by("pk")
    ):
        before = {"status": locked.status, "version": locked.version}
        _bump(by=by, locked=locked)
        audit.record(
            action=Action.SEIZURE_UPDATED,
            actor=by,
            target=locked,
            before=before,
            after={"status": locked.status, "version": locked.version},
            reason=reason,
        )


def _bump(*, by, locked: Seizure) -> None:
    locked.version += 1
    locked.updated_by = by
    revised = locked.status == Seizure.Status.APPROVED
    if revised:
        _enter(locked, Step.REVISE)
    locked.save(update_fields=[*TRANSITION_FIELDS, "version", "updated_by"])
    if revised:
        _notify_supervisors(seizure=locked, by=by)


def _new_children(
    seizures: list[Seizure], records: list[NewSeizure]
) -> list[tuple[list[dict], list[dict]]]:
    """Each new seizure's item and offence rows, and the seizure's route and commodities as
    _refresh_derived computes them."""
    for seizure, record in zip(seizures, records, strict=True):
        seizure.route_countries, seizure.commodity_ids = _route_and_commodities(
            seizure, [item["commodity"] for item in record.items]
        )
    return [
        (_item_rows(seizure, record.items), _offence_rows(seizure, record.offences or []))
        for seizure, record in zip(seizures, records, strict=True)
    ]


@contextmanager
def _inserting(seizures: list[Seizure], children: list[tuple[list[dict], list[dict]]]):
    """Insert new seizures with their items and offences, by COPY, and the columns
    _refresh_derived would compute written with the rows rather than by a second write of
    each (which costs as much as the insert): the search vector by the same SQL from the
    items, inserted first (the seizure's foreign key is checked at commit). The seizures go
    through a staging table for that; their INSERT, the longest step (the table's indexes
    and the rollup's trigger), is sent in pipeline mode: the caller's block runs while
    PostgreSQL works, and leaving it waits for the INSERT. The block must not query; it may
    queue statements whose results it does not read. It is given each seizure's item and
    offence rows as written (copy_insert_rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE seizures_new (LIKE seizures_seizure INCLUDING DEFAULTS) "
            "ON COMMIT DROP"
        )
    # Their offices, codes and users are rows read from the database.
    copy_insert(seizures, table="seizures_new", related_saved=True)
    items = iter(copy_insert_rows(Item, [row for rows, _offences in children for row in rows]))
    offences = iter(copy_insert_rows(Offence, [row for _items, rows in children for row in rows]))
    columns = ", ".join(
        connection.ops.quote_name(field.column)
        for field in Seizure._meta.concrete_fields
        if field.name != "search_vector"
    )
    pg = connection.connection
    # Errors as Django's cursor raises them (IntegrityError ...), since this one is psycopg's.
    with connection.wrap_database_errors, pg.pipeline(), pg.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO seizures_seizure ({columns}, search_vector) "  # noqa: S608 - constant SQL
            f"SELECT {columns}, {SEARCH_VECTOR_SQL.format(items_text=ITEMS_TEXT_SQL)} "
            "FROM seizures_new AS s ORDER BY s.id"
        )
        cursor.execute("DROP TABLE seizures_new")
        yield [
            (list(islice(items, len(item_rows))), list(islice(offences, len(offence_rows))))
            for item_rows, offence_rows in children
        ]


# --- The workflow: submit, return, approve, withdraw ------------------------------------------


def _enter(seizure: Seizure, step: Step) -> None:
    """Apply ``step`` to a locked seizure's fields (the caller saves): the status the
    workflow gives, and the fields that go with it."""
    seizure.status = workflow.next_status(step, seizure)
    now = timezone.now()
    if seizure.status == Seizure.Status.SUBMITTED:
        seizure.submitted_at = now
        seizure.returned_at, seizure.return_comment = None, ""
    if seizure.status == Seizure.Status.DRAFT:
        seizure.submitted_at, seizure.returned_at = None, now
    if seizure.status == Seizure.Status.WITHDRAWN:
        seizure.submitted_at = None
    if seizure.status != Seizure.Status.APPROVED:
        seizure.approved_by, seizure.approved_at = None, None


TRANSITION_FIELDS = (
    "status",
    "submitted_at",
    "returned_at",
    "return_comment",
    "approved_by",
    "approved_at",
    "last_approval",
    "withdrawn_at",
    "withdrawal_reason",
    "updated_at",
)


def _transition_audit(
    *, by, seizure: Seizure, action: str, before: str, reason: str = "", after: dict | None = None
) -> None:
    audit.record(
        action=action,
        actor=by,
        target=seizure,
        before={"status": before},
        after={"status": seizure.status, **(after or {})},
        reason=reason,
    )


def _link(seizure: Seizure) -> str:
    return reverse("seizures:detail", args=[seizure.pk])


def _notify_supervisors(*, seizure: Seizure, by) -> None:
    supervisors = (
        User.objects.filter(
            administration_id=seizure.administration_id, role=Role.SUPERVISOR, is_active=True
        )
        .exclude(pk=by.pk)
        .select_related("administration")
    )
    notify(
        recipients=supervisors,
        kind=Notification.Kind.SUBMITTED,
        subject=seizure.reference,
        link=_link(seizure),
        actor=by,
    )


def _notify_creator(*, seizure: Seizure, by, kind: str, comment: str = "") -> None:
    creator = User.objects.select_related("administration").get(pk=seizure.created_by_id)
    if creator.pk != by.pk:
        notify(
            recipients=[creator],
            kind=kind,
            subject=seizure.reference,
            link=_link(seizure),
            actor=by,
            comment=comment,
        )


@transaction.atomic
def seizure_submit(*, by, seizure: Seizure) -> Seizure:
    """Send a draft to the administration's supervisors for review."""
    locked = _lock(by=by, seizure=seizure, refusal=_("You cannot submit this seizure."))
    if not rights.can_submit(by, locked):
        raise PermissionDenied(_("Only the officer who recorded it or a supervisor submits it."))
    before = locked.status
    _enter(locked, Step.SUBMIT)
    locked.save(update_fields=TRANSITION_FIELDS)
    _transition_audit(by=by, seizure=locked, action=Action.SEIZURE_SUBMITTED, before=before)
    _notify_supervisors(seizure=locked, by=by)
    indicators_check_on_commit(by=by, seizure=locked)
    return locked


@transaction.atomic
def seizure_return(*, by, seizure: Seizure, comment: str) -> Seizure:
    """Send a submitted record back to draft, saying what to change."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what should be changed.")]})
    locked = _lock(by=by, seizure=seizure, refusal=_("You cannot review this seizure."))
    if not rights.can_review(by, locked):
        raise PermissionDenied(_("Only supervisors of its administration review a seizure."))
    before = locked.status
    _enter(locked, Step.RETURN)
    locked.return_comment = comment
    locked.save(update_fields=TRANSITION_FIELDS)
    _transition_audit(
        by=by, seizure=locked, action=Action.SEIZURE_RETURNED, before=before, reason=comment
    )
    _notify_creator(seizure=locked, by=by, kind=Notification.Kind.RETURNED, comment=comment)
    return locked


@transaction.atomic
def seizure_approve(
    *, by, seizure: Seizure, expected_version: int, decision: SharingDecision
) -> Approval:
    """Approve the version of a submitted record that the supervisor read, with the sharing
    decision; freezes what the exchange will send. Four eyes: whoever entered the record or
    changed it last cannot approve it (the database refuses it too)."""
    validate_decision(decision)
    locked = _lock(by=by, seizure=seizure, refusal=_("You cannot review this seizure."))
    if not rights.can_review(by, locked):
        raise PermissionDenied(_("Only supervisors of its administration approve a seizure."))
    before = locked.status
    _enter(locked, Step.APPROVE)
    if locked.version != expected_version:
        raise ConflictError(current_version=locked.version)
    if rights.is_own_work(by, locked):
        raise PermissionDenied(
            _(
                "You entered this record or changed it last: another supervisor must approve "
                "it (four eyes)."
            )
        )
    policy = sharing_policy(administration=by.administration)
    approval = Approval.objects.create(
        seizure=locked,
        number=selectors.next_approval_number(seizure=locked),
        record_version=locked.version,
        approved_by=by,
        approved_at=timezone.now(),
        record=payload_record(Seizure.objects.with_detail_relations().get(pk=locked.pk)),
        regional_fields=sorted(policy.regional_fields),
        **{**decision.as_dict(), "handling_text": decision.handling_text.strip()},
    )
    locked.approved_by, locked.approved_at = by, approval.approved_at
    locked.last_approval = approval
    locked.save(update_fields=TRANSITION_FIELDS)
    _transition_audit(
        by=by,
        seizure=locked,
        action=Action.SEIZURE_APPROVED,
        before=before,
        after={
            "approval": approval.number,
            "record_version": locked.version,
            **decision.as_dict(),
        },
    )
    _notify_creator(seizure=locked, by=by, kind=Notification.Kind.APPROVED)
    outbox_add_approval(by=by, seizure=locked, approval=approval)
    indicators_check_on_commit(by=by, seizure=locked)
    return approval


@transaction.atomic
def seizure_withdraw(*, by, seizure: Seizure, reason: str) -> Seizure:
    """Withdraw a record the exchange knows (it was approved once) that turned out wrong;
    the exchange is told to drop it. An edited version waiting for review or correction
    goes with it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the record is withdrawn.")]})
    locked = _lock(by=by, seizure=seizure, refusal=_("You cannot review this seizure."))
    if not rights.can_review(by, locked):
        raise PermissionDenied(_("Only supervisors of its administration withdraw a seizure."))
    before = locked.status
    _enter(locked, Step.WITHDRAW)
    locked.withdrawn_at, locked.withdrawal_reason = timezone.now(), reason
    locked.save(update_fields=TRANSITION_FIELDS)
    _transition_audit(
        by=by, seizure=locked, action=Action.SEIZURE_WITHDRAWN, before=before, reason=reason
    )
    outbox_add_withdrawal(by=by, seizure=locked, approval=locked.last_approval)
    return locked


# --- Attachments ---------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, by, seizure: Seizure, upload, kind: str, caption: str = "") -> Attachment:
    """Keep an uploaded photo or document, checked by its content and size."""
    locked = _lock(by=by, seizure=seizure, refusal=_("You cannot add to this seizure."))
    if not rights.can_edit(by, locked) or locked.status != Seizure.Status.DRAFT:
        raise PermissionDenied(_("Photos and documents are added to drafts only."))
    limit = settings.NCEN_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {"file": [_("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}]}
        )
    data = upload.read()
    sniffed = attachments.sniff(data)
    if kind == Attachment.Kind.PHOTO and (sniffed is None or not sniffed.is_image):
        raise ValidationError({"file": [_("This file is not a photo (JPEG, PNG, WebP or GIF).")]})
    if sniffed is None:
        raise ValidationError(
            {
                "file": [
                    _("Only photos, PDF, Word, Excel, PowerPoint and plain text files are kept.")
                ]
            }
        )
    name = os.path.basename(upload.name or "file")[:255]
    attachment = Attachment(
        seizure=locked,
        kind=kind,
        original_name=name,
        content_type=sniffed.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        caption=caption,
        uploaded_by=by,
    )
    # Stored under a random name: the original name is only ever shown, never used as a path.
    attachment.file.save(f"{uuid.uuid4().hex}", ContentFile(data), save=False)
    if sniffed.is_image:
        attachment.thumbnail.save(
            f"{uuid.uuid4().hex}.jpg", attachments.thumbnail(data), save=False
        )
    attachment.full_clean()
    attachment.save()
    audit.record(
        action=Action.ATTACHMENT_ADDED,
        actor=by,
        target=locked,
        after={
            "attachment": attachment.pk,
            "name": name,
            "kind": kind,
            "content_type": sniffed.content_type,
            "sha256": attachment.sha256,
        },
    )
    return attachment


# --- Code lists ----------------------------------------------------------------------------

CODE_AUDIT_FIELDS = ("list", "code", "label", "label_fr", "parent", "is_retired")


def _check_code_owner(*, by, code: Code | None = None) -> None:
    if not by.is_administrator:
        raise PermissionDenied(_("Only administrators keep code lists."))
    if code is not None and code.administration_id != by.administration_id:
        raise PermissionDenied(_("Shipped entries are shared; add your own entry instead."))


@transaction.atomic
def code_add(
    *, by, code_list: str, code: str, label: str, label_fr: str, parent: Code | None
) -> Code:
    """Add an entry of the administrator's own to a code list."""
    _check_code_owner(by=by)
    if parent is not None and (parent.list != code_list or parent.parent_id is not None):
        raise ValidationError({"parent": [_("Choose a group of the same list.")]})
    if Code.objects.visible_to(by).filter(list=code_list, code=code).exists():
        raise ValidationError({"code": [_("This code is already in the list.")]})
    entry = Code(
        list=code_list,
        code=code,
        label=label,
        label_fr=label_fr,
        parent=parent,
        administration=by.administration,
        sort_order=1000,
    )
    entry.full_clean()
    entry.save()
    audit.record(
        action=Action.CODE_ADDED,
        actor=by,
        target=entry,
        after=audit.snapshot(entry, CODE_AUDIT_FIELDS),
    )
    return entry


@transaction.atomic
def code_update(*, by, code: Code, label: str, label_fr: str, is_retired: bool) -> Code:
    """Rename or retire (or bring back) an entry of the administrator's own. The code itself
    never changes: records and exchanged data refer to it."""
    entry = Code.objects.select_for_update().get(pk=code.pk)
    _check_code_owner(by=by, code=entry)
    before = audit.snapshot(entry, CODE_AUDIT_FIELDS)
    entry.label, entry.label_fr, entry.is_retired = label, label_fr, is_retired
    entry.full_clean()
    entry.save()
    audit.record(
        action=Action.CODE_CHANGED,
        actor=by,
        target=entry,
        before=before,
        after=audit.snapshot(entry, CODE_AUDIT_FIELDS),
    )
    return entry
