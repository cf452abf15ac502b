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
    fields = _copied_fields(meta)
    keys = _next_keys(meta, len(instances))
    for instance, pk in zip(instances, keys, strict=True):
        instance.pk = pk
    _copy(meta, table, fields, [keys, *(_instance_values(instances, field) for field in fields)])
    # The values PostgreSQL keeps, as a read of the rows would give them.
    numeric = [field for field in fields if _rounds(field)]
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias
        for field in numeric:
            setattr(instance, field.attname, _rounded(field, getattr(instance, field.attname)))


def copy_insert_rows(model, rows: list[dict]) -> list[dict]:
    """copy_insert of rows given as plain values by field name rather than as instances,
    which cost more to make than their rows cost to write: a related row by its instance
    (saved by the time of the call) or its key; a field left out takes its default. Returns
    each row as written, by field name: its primary key, a related row's key, every value
    as a read would give it (numbers rounded to their column's scale)."""
    if not rows:
        return []
    meta = model._meta
    fields = _copied_fields(meta)
    keys = _next_keys(meta, len(rows))
    columns = [keys, *(_row_values(rows, field) for field in fields)]
    _copy(meta, None, fields, columns)
    for index, field in enumerate(fields, start=1):
        if _rounds(field):
            columns[index] = [_rounded(field, value) for value in columns[index]]
    names = [meta.pk.name, *(field.name for field in fields)]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _copied_fields(meta) -> list[Field]:
    return [field for field in meta.concrete_fields if not field.primary_key]


def _next_keys(meta, count: int) -> list[int]:
    """``count`` primary keys from the model's sequence, as bulk_create's INSERT takes them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _copy(meta, table: str | None, fields: list[Field], columns: list[list]) -> None:
    """COPY ``columns`` (the keys, then one list of values per field) into the model's table
    or ``table``, each value prepared by its field."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in [meta.pk, *fields])
    prepared = [columns[0], *map(_prepared, fields, columns[1:])]
    sql = f"COPY {quote(table or meta.db_table)} ({names}) FROM STDIN"
    # The psycopg cursor under Django's wrapper: the same connection and transaction.
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in zip(*prepared, strict=True):
            copy.write_row(row)


def _rounds(field: Field) -> bool:
    return isinstance(field, DecimalField) and field.decimal_places is not None


def _rounded(field: DecimalField, value):
    """A numeric column's value as PostgreSQL keeps it: rounded to its scale, half away
    from zero."""
    if not isinstance(value, Decimal):
        return value
    return value.quantize(Decimal(1).scaleb(-field.decimal_places), rounding=ROUND_HALF_UP)


def stored_value(instance: Model, field: Field):
    """The value of ``field`` that ``instance`` holds, as it is written: for a CountryField
    the code itself, not the Country its descriptor makes of it on every read (which looks
    up the active language: more than the rest of the field costs in a bulk write)."""
    if isinstance(field, CountryField):
        if field.attname not in instance.__dict__:  # deferred, as the descriptor checks
            instance.refresh_from_db(fields=[field.attname])
        return instance.__dict__[field.attname]
    return getattr(instance, field.attname)


def _instance_values(instances: list[Model], field: Field) -> list:
    """The values bulk_create would send for ``field`` (auto_now fields are set here)."""
    # Most fields send the value the instance holds; not auto_now ones, and a
    # CountryField's pre_save only turns the Country back into its code.
    if type(field).pre_save is Field.pre_save and not isinstance(field, CountryField):
        values = list(map(attrgetter(field.attname), instances))
    elif isinstance(field, CountryField):
        values = [stored_value(instance, field) for instance in instances]
    else:
        values = [field.pre_save(instance, add=True) for instance in instances]
    defaulted = _with_database_defaults(field, values)
    if defaulted is not values:  # the instances hold the defaults written, as a read gives
        for instance, value in zip(instances, defaulted, strict=True):
            setattr(instance, field.attname, value)
    return defaulted


def _row_values(rows: list[dict], field: Field) -> list:
    """The values of ``field`` in ``rows``, as _instance_values gives an instance's."""
    name = field.name
    values = [row[name] if name in row else field.get_default() for row in rows]
    if field.is_relation:
        target = field.target_field.attname
        values = [getattr(value, target) if isinstance(value, Model) else value for value in values]
    return _with_database_defaults(field, values)


def _with_database_defaults(field: Field, values: list) -> list:
    """``values`` with each left to the database's default given that default: ``values``
    itself when none is."""
    if not any(isinstance(value, DatabaseDefault) for value in values):
        return values
    default = _database_default(field)
    return [default if isinstance(value, DatabaseDefault) else value for value in values]


def _prepared(field: Field, values: list) -> list:
    """Each value as bulk_create would send it. A field prepares a value the same way
    every time, and rows repeat their codes, keys, flags and empty texts, so each distinct
    value is prepared once."""
    wrapper = connections[connection.alias]  # not the proxy, asked once per value otherwise
    first = values[0]
    if all(value is first for value in values):  # one value in every row: most columns
        return [field.get_db_prep_save(first, wrapper)] * len(values)
    try:
        return _each_once(field, [(type(value), value) for value in values], values, wrapper)
    except TypeError:  # lists (an array column's), dicts (a JSON column's)
        pass
    if all(type(value) is list for value in values):  # routes and commodities repeat too
        # Keyed with each element's type, as a value is: [1] and [True] differ.
        keys = [tuple((type(item), item) for item in value) for value in values]
        try:
            return _each_once(field, keys, values, wrapper)
        except TypeError:  # lists of lists or dicts
            pass
    return [field.get_db_prep_save(value, wrapper) for value in values]


def _each_once(field: Field, keys: list, values: list, wrapper) -> list:
    """Each of ``values`` prepared by ``field``, those of one key once."""
    distinct = dict(zip(keys, values, strict=True))
    prepared = {key: field.get_db_prep_save(value, wrapper) for key, value in distinct.items()}
    return [prepared[key] for key in keys]


def _database_default(field):
    """A constant default is written as it is; an expression would need the INSERT."""
    value = field.db_default
    if isinstance(value, Value):
        value = value.value
    elif hasattr(value, "resolve_expression"):
        raise ValueError(f"{field} has a database default COPY cannot give")
    return value


class JsonText(bytes):
    """A value, or a whole row, that is JSON text already (canonical_json's bytes, say):
    json_insert puts it in the rows as it is, rather than parsing and writing it again."""


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()  # to the microsecond, with its offset
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


# json.dumps(default=...) would make an encoder for each row.
_ROW_ENCODER = json.JSONEncoder(default=_json_value)


def _row_json(row: dict) -> bytes:
    """The row as a JSON object, its JsonText values spliced in as they are."""
    plain = _ROW_ENCODER.encode(
        {name: value for name, value in row.items() if not isinstance(value, JsonText)}
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


def json_insert(
    model,
    rows: list[dict] | list[JsonText],
    *,
    columns: list[str] | None = None,
    ignore_conflicts: bool = False,
) -> None:
    """Insert ``rows`` of ``model``'s table, each a dict of column names to values (JSON
    types, datetimes, UUIDs and JsonText; arrays for array columns, objects for jsonb), in one
    statement with one parameter: no value is quoted into the SQL, PostgreSQL reads each
    as its column's type. Every row has the same columns; the others take their database
    default (the primary key its identity). Rows may be JSON objects already (JsonText),
    whose ``columns`` are then named. ``ignore_conflicts`` skips rows that break a unique
    constraint, as bulk_create(ignore_conflicts=True) does."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = _JSON_INSERT.format(
        table=quote(model._meta.db_table),
        columns=", ".join(quote(column) for column in columns or rows[0]),
        conflict="ON CONFLICT DO NOTHING" if ignore_conflicts else "",
    )
    with connection.cursor() as cursor:
        rows_json = b",".join(row if isinstance(row, JsonText) else _row_json(row) for row in rows)
        cursor.execute(sql, [(b"[" + rows_json + b"]").decode()])
