import contextlib
import functools
from contextvars import ContextVar

from django.contrib.auth import backends
from django.db import connections

from .models import Administration, User
from .statements import get_statement

# The user a session's look-up read with it (ncen.sessions), while Django's authentication
# reads the session's user (ncen.middleware.AuthenticationMiddleware), and only then.
_session_user: ContextVar[User | None] = ContextVar("ncen_session_user", default=None)


@contextlib.contextmanager
def offered(user: User | None):
    """Within this block, get_user takes ``user`` rather than reading it again, if it is the
    user asked for."""
    token = _session_user.set(user)
    try:
        yield
    finally:
        _session_user.reset(token)


class ModelBackend(backends.ModelBackend):
    """Django's backend, loading the signed-in user with their administration: every page
    reads it (time zone, language, visibility), so it comes in the same query, or with the
    session itself when the session's look-up read it (offered)."""

    def get_user(self, user_id):
        user = _session_user.get()
        if user is None or user.pk != user_id:
            user = _user_with_administration(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _user_with_administration(user_id) -> User | None:
    """``User.objects.select_related("administration").get(pk=user_id)``, or None: the
    ORM's statement, written once per process. Building and compiling the statement was
    three quarters of the look-up, which every signed-in request made (bench/README.md)."""
    database = User._default_manager.db
    with connections[database].cursor() as cursor:
        cursor.execute(_user_statement(), [User._meta.pk.get_prep_value(user_id)])
        row = cursor.fetchone()
    return None if row is None else user_from_row(database, row)


def user_from_row(database: str, row) -> User | None:
    """The user, with their administration cached on it, that a row of the columns of
    ``user_fields()`` holds, made as the ORM makes them (``from_db``); None for a row of
    nulls (an outer join that found no user)."""
    user_columns, administration_columns = _fields()
    if row[user_columns.index(User._meta.pk.attname)] is None:
        return None
    split = len(user_columns)
    user = User.from_db(database, user_columns, row[:split])
    administration = Administration.from_db(database, administration_columns, row[split:])
    User._meta.get_field("administration").set_cached_value(user, administration)
    return user


def user_fields() -> list[str]:
    """The fields a statement reads for user_from_row, in their order: the user's, then
    their administration's (``select_related("administration")``)."""
    user_columns, administration_columns = _fields()
    return user_columns + administration_columns


@functools.cache
def _fields() -> tuple[list[str], list[str]]:
    return (
        [field.attname for field in User._meta.concrete_fields],
        [field.attname for field in Administration._meta.concrete_fields],
    )


@functools.cache
def _user_statement() -> str:
    sql, _fixed, columns = get_statement(
        User._default_manager.select_related("administration").filter(pk=0), (0,)
    )
    if columns != user_fields():
        raise ValueError("The user's look-up is not what this backend sends.")
    return sql
