"""Django's database sessions, kept in ncen.models.Session, each read with its signed-in user
by a statement written once per process."""

import functools

from django.contrib import auth
from django.contrib.sessions.backends import db
from django.db import connections
from django.utils import timezone

from .statements import get_statement, key_of


class SessionStore(db.SessionStore):
    """Django's database session store, whose look-up of an unexpired session by its key
    also reads the user the session is signed in as, with their administration: one
    statement, written once, for what took two, each built and compiled for every
    signed-in request (bench/README.md). That user is only offered to authentication
    (ncen.middleware.AuthenticationMiddleware), which checks the session's data and hash as
    Django does; sessions are kept, expire and end (sign-out, password change, deactivation)
    exactly as with Django's store, which does the rest."""

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._loaded_user = None

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    @property
    def loaded_user(self):
        """The user the session's row named when it was read, with their administration;
        None for an anonymous or unknown session."""
        self._get_session()
        return self._loaded_user

    def _get_session_from_db(self):
        from .backends import user_from_row

        sql, session_fields = _session_statement(self.model)
        database = self.model._default_manager.db
        with connections[database].cursor() as cursor:
            cursor.execute(sql, [timezone.now(), self.session_key])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        split = len(session_fields)
        self._loaded_user = user_from_row(database, row[split:])
        return self.model.from_db(database, session_fields, row[:split])

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = key_of(auth.get_user_model(), data.get(auth.SESSION_KEY))
        return session

    @classmethod
    def clear_expired(cls) -> int:
        """Django's (which the clearsessions command calls), telling how many sessions it
        deleted, for the daily task's status row (ncen.tasks.clear_expired_sessions)."""
        expired = cls.get_model_class().objects.filter(expire_date__lt=timezone.now())
        deleted, _by_model = expired.delete()
        return deleted


@functools.cache
def _session_statement(model) -> tuple[str, list[str]]:
    """What ``model.objects.select_related("user__administration").get(session_key=key,
    expire_date__gt=now)`` sends, whose parameters are (now, key), and the fields of the
    session's columns, which the user's and their administration's follow."""
    from .backends import user_fields

    now, key = timezone.now(), "key"
    sql, _fixed, columns = get_statement(
        model.objects.select_related("user__administration").filter(
            session_key=key, expire_date__gt=now
        ),
        (now, key),
    )
    fields = [field.attname for field in model._meta.concrete_fields]
    if columns != fields + user_fields():
        raise ValueError("The session's look-up is not what this store sends.")
    return sql, fields
