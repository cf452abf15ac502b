"""The signed-in user is loaded with their administration by a statement the ORM wrote once
(ncen.backends): the same instances the ORM's select_related gives, in one query; for a
browser session, in the session's own look-up (ncen.sessions), and checked as Django
checks it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ncen.backends import ModelBackend, offered
from ncen.models import User
from ncen.services import password_set_link, user_deactivate

from ..conftest import signed_in_client
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def test_the_user_is_the_orms(fj_supervisor):
    with CaptureQueriesContext(connection) as captured:
        user = ModelBackend().get_user(fj_supervisor.pk)
        administration = user.administration
    assert len(captured) == 1
    with CaptureQueriesContext(connection) as orm_captured:
        orm = User.objects.select_related("administration").get(pk=fj_supervisor.pk)
    assert captured[0]["sql"] == orm_captured[0]["sql"]
    assert repr(_fields(user)) == repr(_fields(orm))
    assert repr(_fields(administration)) == repr(_fields(orm.administration))
    assert (user._state.db, user._state.adding) == (orm._state.db, orm._state.adding)
    assert (administration._state.db, administration._state.adding) == ("default", False)
    assert user.get_session_auth_hash() == orm.get_session_auth_hash()


def test_no_user_for_an_unknown_or_deactivated_account(fj_officer):
    backend = ModelBackend()
    assert backend.get_user(fj_officer.pk + 1000) is None
    fj_officer.is_active = False
    fj_officer.save(update_fields=["is_active"])
    assert backend.get_user(fj_officer.pk) is None


def test_a_session_ends_when_the_password_changes_or_on_sign_out(fj_officer):
    client = signed_in_client(fj_officer)
    assert client.get("/api/v1/me/").status_code == 200
    fj_officer.set_password("another long passphrase 42")
    fj_officer.save(update_fields=["password"])
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get("/").status_code == 302  # sent back to the sign-in page
    fj_officer.set_password(PASSWORD)
    fj_officer.save(update_fields=["password"])
    client = signed_in_client(fj_officer)
    assert client.get("/api/v1/me/").status_code == 200
    client.post("/sign-out/")
    assert client.get("/api/v1/me/").status_code == 401


def test_a_signed_in_request_reads_its_session_and_user_in_one_statement(fj_supervisor):
    """The supervisor's second factor is checked too: django_otp reads the device of the
    user the session gave. The administration's time zone and name read nothing more."""
    client = signed_in_client(fj_supervisor)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["administration"] == fj_supervisor.administration.name
    statements = [query["sql"] for query in captured]
    assert len(statements) == 3  # the session with the user, the device, the office
    assert statements[0].startswith('SELECT "ncen_session"."session_key"')
    assert 'LEFT OUTER JOIN "ncen_user"' in statements[0]
    assert 'LEFT OUTER JOIN "ncen_administration"' in statements[0]
    assert statements[1].startswith('SELECT "otp_totp_totpdevice"')
    assert statements[2].startswith('SELECT "ncen_office"')


def test_the_offered_user_is_taken_only_for_its_own_id_and_only_inside(fj_officer, fj_supervisor):
    backend = ModelBackend()
    user = ModelBackend().get_user(fj_officer.pk)
    with offered(user):
        with CaptureQueriesContext(connection) as captured:
            assert backend.get_user(fj_officer.pk) is user
        assert len(captured) == 0
        with CaptureQueriesContext(connection) as captured:
            assert backend.get_user(fj_supervisor.pk) == fj_supervisor
            assert backend.get_user(str(fj_officer.pk)) is not user
        assert len(captured) == 2
        user.is_active = False
        assert backend.get_user(fj_officer.pk) is None
    user.is_active = True
    with CaptureQueriesContext(connection) as captured:
        assert backend.get_user(fj_officer.pk) is not user
    assert len(captured) == 1


def test_a_deactivated_user_is_signed_out(fj_admin, fj_officer):
    client = signed_in_client(fj_officer)
    assert client.get("/api/v1/me/").status_code == 200
    user_deactivate(by=fj_admin, user=fj_officer, reason="Left the service")
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get("/").status_code == 302  # sent back to the sign-in page


def test_a_password_set_by_a_reset_link_ends_the_users_sessions(fj_officer):
    client = signed_in_client(fj_officer)
    assert client.get("/api/v1/me/").status_code == 200
    fj_officer.refresh_from_db()  # the link's token covers the last sign-in
    reset = Client()
    form = reset.get(password_set_link(user=fj_officer)).url
    new = "another long passphrase 42"
    response = reset.post(form, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.get("/api/v1/me/").status_code == 401
    # Its hash no longer matches: Django ended the session.
    assert client.cookies["sessionid"].value == ""
