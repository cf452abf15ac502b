"""Cross-cutting protections every page relies on: CSRF, request ids in the audit trail."""

import pytest
from django.test import Client

from ncen.models import AuditEntry

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_without_csrf_token_is_refused(fj_officer):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": fj_officer.username, "password": PASSWORD})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="sign_in").exists()


def test_every_response_carries_the_request_id_the_audit_records(fj_officer):
    response = Client().post(
        "/sign-in/",
        {"username": fj_officer.username, "password": PASSWORD},
        HTTP_X_REQUEST_ID="proxy-assigned-0042",
    )
    assert response["X-Request-ID"] == "proxy-assigned-0042"
    assert AuditEntry.objects.get(action="sign_in").request_id == "proxy-assigned-0042"


def test_a_malformed_request_id_is_replaced(fj_officer):
    response = Client().get("/sign-in/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32
