"""Sessions are Django's database sessions, kept in ncen.models.Session with the user they are
signed in as, and read with that user by one statement written once (ncen.sessions): the
ORM's statement, the same session, and they expire and end as before."""

import re
from datetime import timedelta

import pytest
from django.contrib import auth
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ncen.models import Session, User
from ncen.services import password_set_link
from ncen.sessions import SessionStore

from ..conftest import signed_in_client
from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _without_time(sql: str) -> str:
    return re.sub(r"'\d{4}-[^']+'::timestamptz", "now", sql)


def _fields(instance) -> dict:
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def test_a_session_is_read_with_its_user_by_the_orms_statement(fj_officer):
    key = signed_in_client(fj_officer).cookies["sessionid"].value
    store = SessionStore(key)
    with CaptureQueriesContext(connection) as captured:
        data = dict(store.items())
        user = store.loaded_user
        administration = user.administration
    with CaptureQueriesContext(connection) as orm_captured:
        orm = Session.objects.select_related("user__administration").get(
            session_key=key, expire_date__gt=timezone.now()
        )
    assert [_without_time(query["sql"]) for query in captured] == [
        _without_time(orm_captured[0]["sql"])
    ]
    assert "LEFT OUTER JOIN" in captured[0]["sql"]
    assert (data, store.session_key) == (orm.get_decoded(), key)
    assert data[auth.SESSION_KEY] == str(fj_officer.pk)
    assert repr(_fields(user)) == repr(_fields(orm.user))
    assert repr(_fields(administration)) == repr(_fields(orm.user.administration))
    assert (user._state.db, user._state.adding) == ("default", False)


def test_an_unknown_session_is_empty():
    store = SessionStore("no-such-session")
    assert (dict(store.items()), store.session_key, store.loaded_user) == ({}, None, None)
    assert SessionStore().loaded_user is None


def test_signing_in_writes_the_users_column_and_signing_out_deletes_the_row(fj_officer):
    client = Client()
    anonymous = client.session
    anonymous["seen"] = True
    anonymous.save()
    assert Session.objects.get(session_key=anonymous.session_key).user_id is None
    client.post("/sign-in/", {"username": fj_officer.username, "password": PASSWORD})
    key = client.cookies["sessionid"].value
    # Signing in cycles the key, keeping the data.
    assert not Session.objects.filter(session_key=anonymous.session_key).exists()
    session = Session.objects.get(session_key=key)
    assert session.user_id == fj_officer.pk
    assert session.get_decoded()[auth.SESSION_KEY] == str(fj_officer.pk)
    assert session.get_decoded()["seen"] is True
    client.post("/sign-out/")
    assert not Session.objects.filter(session_key=key).exists()


def test_an_anonymous_session_has_no_user_and_still_works(fj_officer):
    """A reset link keeps its token in an anonymous session until the password is set."""
    client = Client()
    response = client.get(password_set_link(user=fj_officer))
    assert response.status_code == 302
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert session.user_id is None
    assert auth.SESSION_KEY not in session.get_decoded()
    store = SessionStore(session.session_key)
    assert store.load() == session.get_decoded()
    assert store.loaded_user is None
    new = "another long passphrase 42"
    response = client.post(response.url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert response.url == "/sign-in/"
    fj_officer.refresh_from_db()
    assert fj_officer.check_password(new)
    assert client.get("/api/v1/me/").status_code == 401


def test_an_expired_session_signs_nobody_in(fj_officer):
    client = signed_in_client(fj_officer)
    assert client.get("/api/v1/me/").status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get("/").status_code == 302  # sent back to the sign-in page


def test_clearsessions_deletes_the_expired_sessions(fj_officer, fj_supervisor):
    expired = signed_in_client(fj_officer).cookies["sessionid"].value
    live = signed_in_client(fj_supervisor).cookies["sessionid"].value
    Session.objects.filter(session_key=expired).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    call_command("clearsessions")
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


def test_deleting_a_user_deletes_their_sessions(fiji):
    """Users who have signed in stay for the audit trail; one who never did may go."""
    keys = []
    for user in (UserFactory(administration=fiji), UserFactory(administration=fiji)):
        store = SessionStore()
        store.update({auth.SESSION_KEY: str(user.pk)})
        store.save()
        assert Session.objects.get(session_key=store.session_key).user_id == user.pk
        keys.append(store.session_key)
    User.objects.filter(pk=user.pk).delete()
    assert list(Session.objects.values_list("session_key", flat=True)) == keys[:1]


def test_the_sessions_data_decides_who_is_signed_in_not_its_column(fj_officer, fj_supervisor):
    """A column naming another user than the session's data (a row changed behind the app's
    back, or written before the column existed) is not trusted: the user the data names is
    read by their own look-up and checked as always."""
    client = signed_in_client(fj_officer)
    key = client.cookies["sessionid"].value

    def me() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/me/")
        assert response.status_code == 200
        assert response.json()["username"] == fj_officer.username
        return [query["sql"] for query in captured]

    trusted = me()
    for column in (fj_supervisor.pk, None, fj_officer.pk + 1000):
        Session.objects.filter(session_key=key).update(user=column)
        statements = me()
        # The session, then the user the data names, then what the view reads.
        assert len(statements) == len(trusted) + 1
        assert statements[1].startswith('SELECT "ncen_user"."id"')
        assert f'WHERE "ncen_user"."id" = {fj_officer.pk} ' in statements[1]
    # The column names the session's user again once the session is saved.
    store = SessionStore(key)
    store["touched"] = True
    store.save()
    assert Session.objects.get(session_key=key).user_id == fj_officer.pk
