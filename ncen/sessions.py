"""Django's database sessions, each read by a statement written once per process."""

import functools

from django.contrib.sessions.backends import db
from django.utils import timezone

from .statements import fetched, get_statement


class SessionStore(db.SessionStore):
    """Django's database session store, whose look-up of an unexpired session by its key
    sends the ORM's statement, written once, rather than building and compiling it for
    every signed-in request (bench/README.md). Sessions are kept, expire and end (sign-out,
    password change, deactivation) exactly as with Django's store, which does the rest."""

    def _get_session_from_db(self):
        sql, fields = _session_statement(self.model)
        found = fetched(self.model, sql, [timezone.now(), self.session_key], fields)
        if not found:
            self._session_key = None
            return None
        return found[0]


@functools.cache
def _session_statement(model) -> tuple[str, list[str]]:
    """What ``model.objects.get(session_key=key, expire_date__gt=now)`` sends, whose
    parameters are (now, key), and the fields of its columns."""
    now, key = timezone.now(), "key"
    sql, _fixed, columns = get_statement(
        model.objects.filter(session_key=key, expire_date__gt=now), (now, key)
    )
    fields = [field.attname for field in model._meta.concrete_fields]
    if columns != fields:
        raise ValueError("The session's look-up is not what this store sends.")
    return sql, fields
