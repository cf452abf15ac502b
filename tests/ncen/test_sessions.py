"""Sessions are Django's database sessions, read by a statement written once
(ncen.sessions): the same statement as Django's store, the same session, and they expire and
end as before."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ncen.sessions import SessionStore

from ..conftest import signed_in_client

pytestmark = pytest.mark.django_db


def _loaded(store_class, key) -> tuple[dict, str | None, list[str]]:
    store = store_class(key)
    with CaptureQueriesContext(connection) as captured:
        data = store.load()
    # The statements as sent, but for the time they were sent.
    sql = [re.sub(r"'\d{4}-[^']+'::timestamptz", "now", query["sql"]) for query in captured]
    return data, store.session_key, sql


def test_a_session_is_read_as_djangos_store_reads_it(fj_officer):
    client = signed_in_client(fj_officer)
    key = client.cookies["sessionid"].value
    ours = _loaded(SessionStore, key)
    assert ours == _loaded(DjangoSessionStore, key)
    assert ours[0]["_auth_user_id"] == str(fj_officer.pk)
    assert len(ours[2]) == 1
    assert "now" in ours[2][0]
    assert _loaded(SessionStore, "no-such-session") == _loaded(
        DjangoSessionStore, "no-such-session"
    )
    assert _loaded(SessionStore, "no-such-session")[:2] == ({}, None)


def test_an_expired_session_signs_nobody_in(fj_officer):
    client = signed_in_client(fj_officer)
    assert client.get("/api/v1/me/").status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get("/").status_code == 302  # sent back to the sign-in page
