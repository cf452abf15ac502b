"""The signed-in user is loaded with their administration by a statement the ORM wrote once
(ncen.backends): the same instances the ORM's select_related gives, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ncen.backends import ModelBackend
from ncen.models import User

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
