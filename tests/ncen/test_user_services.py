"""Inviting, changing, deactivating and resetting users, with their audit entries."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ncen import services
from ncen.models import AuditEntry, Role, User

from ..conftest import api_client, signed_in_client
from ..factories import OfficeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _link(message) -> str:
    return re.search(r"http://testserver(/password/set/\S+/)", message.body).group(1)


def test_invited_user_sets_a_password_from_the_emailed_link_and_signs_in(fj_admin, suva):
    client = signed_in_client(fj_admin)
    response = client.post(
        "/users/invite/",
        {
            "username": "mere",
            "email": "mere@example.org",
            "first_name": "Mere",
            "last_name": "Tuilagi",
            "role": "officer",
            "office": suva.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="mere")
    assert (user.administration, user.office, user.role) == (
        fj_admin.administration,
        suva,
        "officer",
    )
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mere@example.org"]

    link = _link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a long pass phrase 42", "new_password2": "a long pass phrase 42"},
    )
    assert set_response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a long pass phrase 42")
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]
    actions = list(
        AuditEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert "user_invited" in actions
    assert "password_set" in actions


def test_rejected_invitation_keeps_what_was_typed(fj_admin):
    response = signed_in_client(fj_admin).post(
        "/users/invite/",
        {
            "username": "fj.admin",
            "email": "not-an-address",
            "first_name": "Sione",
            "role": "officer",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "username" in form.errors
    assert "email" in form.errors
    assert b'value="Sione"' in response.content
    assert b'value="not-an-address"' in response.content


def test_update_is_audited_with_before_and_after(fj_admin, fj_officer):
    other_office = OfficeFactory(administration=fj_admin.administration)
    services.user_update(
        by=fj_admin,
        user=fj_officer,
        email=fj_officer.email,
        first_name="Ana",
        last_name=fj_officer.last_name,
        role=Role.SUPERVISOR,
        office=other_office,
    )
    entry = AuditEntry.objects.get(action="user_updated")
    assert entry.actor == fj_admin
    assert entry.administration == fj_admin.administration
    assert entry.before["role"] == "officer"
    assert entry.after["role"] == "supervisor"
    assert entry.after["office"] == other_office.pk
    assert entry.after["first_name"] == "Ana"


def test_office_of_another_administration_is_refused(fj_admin, fj_officer, samoa):
    apia = OfficeFactory(administration=samoa)
    with pytest.raises(ValidationError):
        services.user_update(
            by=fj_admin,
            user=fj_officer,
            email="",
            first_name="",
            last_name="",
            role=Role.OFFICER,
            office=apia,
        )
    fj_officer.refresh_from_db()
    assert fj_officer.office != apia
    response = api_client(fj_admin).put(
        f"/api/v1/users/{fj_officer.pk}/",
        {"email": "", "first_name": "", "last_name": "", "role": "officer", "office": apia.pk},
    )
    assert response.status_code == 400
    assert "office" in response.json()["error"]["fields"]


def test_administrator_cannot_demote_or_deactivate_themselves(fj_admin):
    with pytest.raises(ValidationError):
        services.user_update(
            by=fj_admin,
            user=fj_admin,
            email="",
            first_name="",
            last_name="",
            role=Role.OFFICER,
            office=None,
        )
    with pytest.raises(ValidationError):
        services.user_deactivate(by=fj_admin, user=fj_admin, reason="oops")
    fj_admin.refresh_from_db()
    assert fj_admin.is_active
    assert fj_admin.role == Role.ADMINISTRATOR


def test_regional_analyst_only_on_the_hub(fj_admin, fj_officer):
    response = api_client(fj_admin).put(
        f"/api/v1/users/{fj_officer.pk}/",
        {"email": "", "first_name": "", "last_name": "", "role": "regional_analyst"},
    )
    assert response.status_code == 400
    assert "role" in response.json()["error"]["fields"]


def test_deactivation_needs_a_reason_and_ends_access(fj_admin, fj_officer):
    client = signed_in_client(fj_officer)
    token_client = api_client(fj_officer)
    with pytest.raises(ValidationError):
        services.user_deactivate(by=fj_admin, user=fj_officer, reason="  ")
    services.user_deactivate(by=fj_admin, user=fj_officer, reason="Left the service")
    assert client.get("/").status_code == 302  # sent back to the sign-in page
    assert token_client.get("/api/v1/me/").status_code == 401
    entry = AuditEntry.objects.get(action="user_deactivated")
    assert entry.reason == "Left the service"


def test_password_reset_voids_password_and_mails_a_link(fj_admin, fj_officer):
    response = api_client(fj_admin).post(f"/api/v1/users/{fj_officer.pk}/reset-password/")
    assert response.status_code == 200
    fj_officer.refresh_from_db()
    assert not fj_officer.has_usable_password()
    assert mail.outbox[-1].to == [fj_officer.email]
    assert "/password/set/" in mail.outbox[-1].body


def test_non_administrator_service_call_is_refused(fj_supervisor, fj_officer):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(by=fj_supervisor, user=fj_officer, reason="no")


def test_api_invite_creates_the_user(fj_admin, suva):
    response = api_client(fj_admin).post(
        "/api/v1/users/",
        {
            "username": "api.made",
            "email": "api@example.org",
            "first_name": "A",
            "last_name": "B",
            "role": "supervisor",
            "office": suva.pk,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "supervisor"
    assert body["office"]["id"] == suva.pk
    assert body["administration"] == fj_admin.administration.name
