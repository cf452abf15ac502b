"""Writing thousands of rows at once, for the bulk services.

``bulk_create`` builds one INSERT whose every value Django prepares and psycopg quotes into
the SQL text: for a batch of 2,500 seizures that costs more than PostgreSQL's own work. COPY
sends the same values, prepared by the same fields, as rows of a stream. ``json_insert``
sends rows whose values are JSON already (the exchange's messages) as one JSON parameter,
which PostgreSQL turns into rows of the table itself.
"""

import json
import uuid
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from django.db import connection, connections
from django.db.models import DecimalField, Field, Model, Value
from django.db.models.expressions import DatabaseDefault
from django_countries.fields import CountryField


def copy_insert(
    instances: list[Model], *, table: str | None = None, related_saved: bool = False
) -> None:
    """Insert unsaved instances of one model with COPY, giving them primary keys from the
    model's sequence as bulk_create does. ``table`` writes the rows to another table of the
    same columns instead (a staging table the caller copies from). ``related_saved`` says
    that every instance the rows refer to was saved before it was assigned (rows read from
    the database), so that their keys are set already: save()'s check of each is skipped."""
    if not instances:
        return
    meta = instances[0]._meta
    if not related_saved:
        for instance in instances:
            # As save() and bulk_create do: a parent saved since gives its key to the child.
            instance._prepare_related_fields_for_save(operation_name="copy_insert")
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(instances)],
        )
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
        columns = ", ".join(quote(field.column) for field in [meta.pk, *fields])
        # The psycopg cursor under Django's wrapper: the same connection and transaction.
        with cursor.cursor.copy(
            f"COPY {quote(table or meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:
            for row in _rows(instances, fields):
                copy.write_row(row)
    # The values PostgreSQL keeps, as a read of the rows would give them: a numeric column
    # rounds to its scale (half away from zero, as PostgreSQL rounds).
    numeric = [f for f in fields if isinstance(f, DecimalField) and f.decimal_places is not None]
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias
        for field in numeric:
            value = getattr(instance, field.attname)
            if isinstance(value, Decimal):
                scale = Decimal(1).scaleb(-field.decimal_places)
                setattr(instance, field.attname, value.quantize(scale, rounding=ROUND_HALF_UP))


def stored_value(instance: Model, field: Field):
    """The value of ``field`` that ``instance`` holds, as it is written: for a CountryField
    the code itself, not the Country its descriptor makes of it on every read (which looks
    up the active language: more than the rest of the field costs in a bulk write)."""
    if isinstance(field, CountryField):
        if field.attname not in instance.__dict__:  # deferred, as the descriptor checks
            instance.refresh_from_db(fields=[field.attname])
        return instance.__dict__[field.attname]
    return getattr(instance, field.attname)


def _rows(instances: list[Model], fields):
    """Each instance's primary key and the values bulk_create would send for ``fields``
    (auto_now fields are set here). Made a column at a time: a field prepares a value the
    same way every time, and rows repeat their codes, keys, flags and empty texts, so each
    distinct value of a column is prepared once."""
    wrapper = connections[connection.alias]  # not the proxy, asked once per value otherwise
    columns = [[instance.pk for instance in instances]]
    for field in fields:
        # Most fields send the value the instance holds; not auto_now ones, and a
        # CountryField's pre_save only turns the Country back into its code.
        if type(field).pre_save is Field.pre_save and not isinstance(field, CountryField):
            values = list(map(attrgetter(field.attname), instances))
        elif isinstance(field, CountryField):
            values = [stored_value(instance, field) for instance in instances]
        else:
            values = [field.pre_save(instance, add=True) for instance in instances]
        if any(isinstance(value, DatabaseDefault) for value in values):
            values = [
                _database_default(field, instance) if isinstance(value, DatabaseDefault) else value
                for instance, value in zip(instances, values, strict=True)
            ]
        try:
            distinct = {(type(value), value): value for value in values}
        except TypeError:  # lists, dicts: prepared each time
            columns.append([field.get_db_prep_save(value, wrapper) for value in values])
            continue
        prepared = {key: field.get_db_prep_save(value, wrapper) for key, value in distinct.items()}
        columns.append([prepared[type(value), value] for value in values])
    return zip(*columns, strict=True)


def _database_default(field, instance):
    """A constant default is written as it is; an expression would need the INSERT."""
    value = field.db_default
    if isinstance(value, Value):
        value = value.value
    elif hasattr(value, "resolve_expression"):
        raise ValueError(f"{field} has a database default COPY cannot give")
    setattr(instance, field.attname, value)
    return value


class JsonText(bytes):
    """A value that is JSON text already (canonical_json's bytes, say): json_insert puts it
    in the rows as it is, rather than parsing and writing it again."""


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()  # to the microsecond, with its offset
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _row_json(row: dict) -> bytes:
    """The row as a JSON object, its JsonText values spliced in as they are."""
    plain = json.dumps(
        {name: value for name, value in row.items() if not isinstance(value, JsonText)},
        default=_json_value,
    ).encode()
    members = [plain[1:-1]] + [
        b"%s:%s" % (json.dumps(name).encode(), value)
        for name, value in row.items()
        if isinstance(value, JsonText)
    ]
    return b"{" + b",".join(member for member in members if member) + b"}"


_JSON_INSERT = """
INSERT INTO {table} ({columns})
SELECT {columns} FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb)
{conflict}
"""


def json_insert(model, rows: list[dict], *, ignore_conflicts: bool = False) -> None:
    """Insert ``rows`` of ``model``'s table, each a dict of column names to values (JSON
    types, datetimes, UUIDs and JsonText; arrays for array columns, objects for jsonb), in one
    statement with one parameter: no value is quoted into the SQL, PostgreSQL reads each
    as its column's type. Every row has the same columns; the others take their database
    default (the primary key its identity). ``ignore_conflicts`` skips rows that break a
    unique constraint, as bulk_create(ignore_conflicts=True) does."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = _JSON_INSERT.format(
        table=quote(model._meta.db_table),
        columns=", ".join(quote(column) for column in rows[0]),
        conflict="ON CONFLICT DO NOTHING" if ignore_conflicts else "",
    )
    with connection.cursor() as cursor:
        rows_json = b"[" + b",".join(_row_json(row) for row in rows) + b"]"
        cursor.execute(sql, [rows_json.decode()])
