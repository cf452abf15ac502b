"""Statements the ORM writes once, for look-ups that every request makes: building and
compiling a query costs more than sending it and reading its row (bench/README.md)."""

from django.db.models import QuerySet
from django.db.models.query import MAX_GET_RESULTS


def get_statement(queryset: QuerySet) -> tuple[str, tuple, list[str]]:
    """What ``queryset.get()`` sends, its parameters, and the attribute names of the fields
    its columns read in their order, for a caller that sends it again with parameters of its
    own and makes the instances with ``Model.from_db``, as the ORM does. Refuses a statement
    whose columns the ORM would convert after reading them."""
    query = queryset.order_by()[:MAX_GET_RESULTS].query
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    columns = [column for column, _sql, _alias in compiler.select]
    if compiler.get_converters(columns):
        raise ValueError("A column of this look-up is converted after it is read.")
    return sql, tuple(params), [column.target.attname for column in columns]
