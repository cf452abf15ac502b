import functools

from django.contrib.auth import backends
from django.db import connections

from .models import Administration, User
from .statements import get_statement


class ModelBackend(backends.ModelBackend):
    """Django's backend, loading the signed-in user with their administration: every page
    reads it (time zone, language, visibility), so it comes in the same query."""

    def get_user(self, user_id):
        user = _user_with_administration(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _user_with_administration(user_id) -> User | None:
    """``User.objects.select_related("administration").get(pk=user_id)``, or None: the
    ORM's statement, written once per process, and instances made as the ORM makes them
    (``from_db``). Building and compiling the statement was three quarters of the look-up,
    which every signed-in request makes (bench/README.md)."""
    sql, user_fields, administration_fields = _user_statement()
    database = User._default_manager.db
    with connections[database].cursor() as cursor:
        cursor.execute(sql, [User._meta.pk.get_prep_value(user_id)])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(user_fields)
    user = User.from_db(database, user_fields, row[:split])
    administration = Administration.from_db(database, administration_fields, row[split:])
    User._meta.get_field("administration").set_cached_value(user, administration)
    return user


@functools.cache
def _user_statement() -> tuple[str, list[str], list[str]]:
    sql, _fixed, columns = get_statement(
        User._default_manager.select_related("administration").filter(pk=0), (0,)
    )
    user_fields = [field.attname for field in User._meta.concrete_fields]
    administration_fields = [field.attname for field in Administration._meta.concrete_fields]
    if columns != user_fields + administration_fields:
        raise ValueError("The user's look-up is not what this backend sends.")
    return sql, user_fields, administration_fields
