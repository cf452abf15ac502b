"""Statements the ORM writes once, for look-ups that every request makes: building and
compiling a query costs more than sending it and reading its row (bench/README.md)."""

from django.db import connection, connections
from django.db.models import Model, QuerySet
from django.db.models.query import MAX_GET_RESULTS


def get_statement(queryset: QuerySet, placeholders: tuple) -> tuple[str, tuple, list[str]]:
    """What ``queryset.get()`` sends, for a caller that sends it again with parameters of its
    own and makes the instances with ``Model.from_db``, as the ORM does: the SQL, the
    parameters before ``placeholders`` (the values the queryset was filtered by, which the
    caller replaces and must end the parameters, and appear nowhere else), and the
    attribute names of the fields its columns read, in their order. Refuses a statement
    whose parameters are not so, or whose columns the ORM would convert after reading them."""
    query = queryset.order_by()[:MAX_GET_RESULTS].query
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    columns = [column for column, _sql, _alias in compiler.select]
    if compiler.get_converters(columns):
        raise ValueError("A column of this look-up is converted after it is read.")
    split = len(params) - len(placeholders)
    fixed, given = tuple(params[:split]), tuple(params[split:])
    if given != placeholders or any(value in fixed for value in placeholders):
        raise ValueError(f"This look-up's parameters are not what its caller sends: {params!r}")
    return sql, fixed, [column.target.attname for column in columns]


def fetched(model: type[Model], sql: str, params, fields: list[str]) -> list[Model]:
    """The instances of ``model`` a statement of get_statement's reads with ``params``,
    made as the ORM makes them (``from_db``), from its database."""
    database = model._default_manager.db
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        return [model.from_db(database, fields, row) for row in cursor.fetchall()]


def key_of(model: type[Model], value) -> int | None:
    """The primary key of ``model`` a submitted value (or an instance) names, as the ORM
    reads it for a look-up; None where the ORM would find nothing without asking: not a
    number, or beyond the key column's range."""
    if isinstance(value, model):
        value = value.pk
    pk = model._meta.pk
    try:
        key = pk.get_prep_value(value)
    except (TypeError, ValueError):
        return None
    low, high = connection.ops.integer_field_range(pk.get_internal_type())
    return key if key is not None and low <= key <= high else None
