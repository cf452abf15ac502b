"""An administrator manages only their own administration's users; nobody else manages any."""

import pytest

from ncen.models import User

from ..conftest import api_client, signed_in_client

pytestmark = pytest.mark.django_db


def test_administrator_lists_only_own_administration_in_page(fj_admin, fj_officer, ws_officer):
    response = signed_in_client(fj_admin).get("/users/")
    assert response.status_code == 200
    listed = {user.username for user in response.context["page"]}
    assert listed == {"fj.admin", "fj.officer"}


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/users/{pk}/", None),
        ("post", "/users/{pk}/", {"role": "supervisor", "email": "x@example.org"}),
        ("post", "/users/{pk}/deactivate/", {"reason": "left"}),
        ("post", "/users/{pk}/reactivate/", None),
        ("post", "/users/{pk}/reset-password/", None),
    ],
)
def test_administrator_cannot_reach_another_administrations_user_in_pages(
    fj_admin, ws_officer, method, path, data
):
    client = signed_in_client(fj_admin)
    response = getattr(client, method)(path.format(pk=ws_officer.pk), data or {})
    assert response.status_code == 404
    ws_officer.refresh_from_db()
    assert ws_officer.is_active
    assert ws_officer.role == "officer"
    assert ws_officer.has_usable_password()


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/v1/users/{pk}/", None),
        (
            "put",
            "/api/v1/users/{pk}/",
            {"role": "supervisor", "email": "", "first_name": "", "last_name": ""},
        ),
        ("post", "/api/v1/users/{pk}/deactivate/", {"reason": "left"}),
        ("post", "/api/v1/users/{pk}/reactivate/", None),
        ("post", "/api/v1/users/{pk}/reset-password/", None),
    ],
)
def test_administrator_cannot_reach_another_administrations_user_in_api(
    fj_admin, ws_officer, method, path, data
):
    response = getattr(api_client(fj_admin), method)(path.format(pk=ws_officer.pk), data)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    ws_officer.refresh_from_db()
    assert (ws_officer.is_active, ws_officer.role) == (True, "officer")


def test_api_list_holds_only_own_administration(fj_admin, fj_officer, ws_officer, ws_admin):
    response = api_client(fj_admin).get("/api/v1/users/")
    assert response.status_code == 200
    assert {row["username"] for row in response.json()["results"]} == {"fj.admin", "fj.officer"}


@pytest.mark.parametrize("path", ["/users/", "/users/invite/", "/users/{pk}/", "/audit/"])
def test_officer_cannot_open_user_management_pages(fj_officer, fj_supervisor, path):
    client = signed_in_client(fj_officer)
    assert client.get(path.format(pk=fj_supervisor.pk)).status_code == 403
    response = client.post(f"/users/{fj_supervisor.pk}/deactivate/", {"reason": "x"})
    assert response.status_code == 403
    fj_supervisor.refresh_from_db()
    assert fj_supervisor.is_active


def test_officer_cannot_manage_users_in_api(fj_officer, fj_supervisor):
    client = api_client(fj_officer)
    assert client.get("/api/v1/users/").status_code == 403
    response = client.post(
        "/api/v1/users/",
        {
            "username": "intruder",
            "email": "i@example.org",
            "role": "administrator",
            "first_name": "",
            "last_name": "",
        },
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert (
        client.post(f"/api/v1/users/{fj_supervisor.pk}/deactivate/", {"reason": "x"}).status_code
        == 403
    )
    assert not User.objects.filter(username="intruder").exists()


def test_supervisor_cannot_manage_users(fj_supervisor, fj_officer):
    client = signed_in_client(fj_supervisor)
    assert client.get("/users/").status_code == 403
    assert api_client(fj_supervisor).get("/api/v1/users/").status_code == 403
