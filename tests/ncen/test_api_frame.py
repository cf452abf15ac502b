"""The API frame: strict filters, one error format, schema and docs served locally, tokens."""

import re

import pytest
from rest_framework.test import APIClient

from ncen.models import AuditEntry

from ..conftest import api_client, signed_in_client

pytestmark = pytest.mark.django_db


def test_unknown_query_parameter_is_a_400(fj_admin):
    response = api_client(fj_admin).get("/api/v1/users/", {"rolee": "officer"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert "rolee" in error["fields"]


def test_known_filters_and_pagination_parameters_are_accepted(fj_admin, fj_officer):
    response = api_client(fj_admin).get(
        "/api/v1/users/", {"role": "officer", "page": 1, "page_size": 10}
    )
    assert response.status_code == 200
    assert [row["username"] for row in response.json()["results"]] == ["fj.officer"]


def test_invalid_filter_value_is_a_400(fj_admin):
    response = api_client(fj_admin).get("/api/v1/users/", {"role": "emperor"})
    assert response.status_code == 400
    assert "role" in response.json()["error"]["fields"]


def test_unauthenticated_requests_get_the_error_format():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert set(response.json()["error"]) >= {"status", "code", "message"}


def test_schema_and_docs_are_served_with_local_assets(fj_officer):
    client = signed_in_client(fj_officer)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "openapi: 3" in text
    assert "/api/v1/users/" in text
    assert "/api/v1/me/token/" in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    external = [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if "//" in url]
    assert external == []
    assert "swagger-ui" in html


def test_token_rotation_replaces_the_old_token(fj_officer):
    first = api_client(fj_officer)
    assert first.get("/api/v1/me/").json()["username"] == "fj.officer"
    response = first.post("/api/v1/me/token/")
    assert response.status_code == 201
    second = APIClient()
    second.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert second.get("/api/v1/me/").status_code == 200
    assert first.get("/api/v1/me/").status_code == 401
    assert AuditEntry.objects.filter(action="api_token_rotated", actor=fj_officer).count() == 2


def test_token_page_shows_a_new_token_once(fj_officer):
    client = signed_in_client(fj_officer)
    response = client.post("/account/api-token/")
    token = re.search(r'data-testid="api-token">(\w+)<', response.content.decode()).group(1)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["role"] == "officer"
    assert token not in client.get("/account/").content.decode()


def test_audit_api_for_administrators_only(fj_admin, fj_officer):
    assert api_client(fj_officer).get("/api/v1/audit/").status_code == 403
    response = api_client(fj_admin).get("/api/v1/audit/", {"action": "api_token_rotated"})
    assert response.status_code == 200
    # Both tokens were made by Fiji's users; the officer's rotation shows in the trail too.
    assert {row["actor"] for row in response.json()["results"]} == {"fj.admin", "fj.officer"}


def test_token_requests_speak_the_administrations_time_zone(fj_officer):
    response = api_client(fj_officer).get("/api/v1/me/")
    # Fiji is twelve or thirteen hours ahead of UTC; DRF renders times in the active zone.
    assert response.json()["date_joined"].endswith(("+12:00", "+13:00"))
