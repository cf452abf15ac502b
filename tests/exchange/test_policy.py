"""The sharing policy: set by the administration's administrator in the page and the API,
the defaults of the approval form, and frozen into each approval."""

import re

import pytest

from exchange.models import SharingPolicy
from ncen.models import AuditEntry
from seizures import selectors, services

from ..conftest import api_client, signed_in_client
from ..factories import make_seizure, submit_and_approve

pytestmark = pytest.mark.django_db

POLICY = {
    "regional_fields": ["person_nationality", "business_name"],
    "distribution": "regional_global",
    "handling_code": "other",
    "handling_text": "Ask FRCS before any court use.",
    "source_reliability": "A",
    "information_accuracy": "1",
}


def test_the_administrator_sets_the_policy_in_the_page(fj_admin):
    client = signed_in_client(fj_admin)
    assert client.get("/exchange/policy/").status_code == 200
    response = client.post("/exchange/policy/", POLICY)
    assert response.status_code == 302
    policy = SharingPolicy.objects.get(administration=fj_admin.administration)
    assert policy.regional_fields == ["business_name", "person_nationality"]
    assert policy.handling_text == "Ask FRCS before any court use."
    entry = AuditEntry.objects.get(action="sharing_policy_changed")
    assert entry.after["distribution"] == "regional_global"


def test_other_handling_without_text_is_refused(fj_admin):
    response = signed_in_client(fj_admin).post("/exchange/policy/", {**POLICY, "handling_text": ""})
    assert response.status_code == 400
    assert "Describe the other restriction." in response.content.decode()
    assert not SharingPolicy.objects.exists()


def test_only_administrators_change_it(fj_supervisor, fj_admin):
    assert signed_in_client(fj_supervisor).get("/exchange/policy/").status_code == 403
    client = api_client(fj_supervisor)
    assert client.get("/api/v1/sharing-policy/").status_code == 200
    assert client.put("/api/v1/sharing-policy/", POLICY).status_code == 403


def test_the_api_reads_and_sets_the_policy(fj_admin, ws_admin):
    client = api_client(fj_admin)
    assert client.get("/api/v1/sharing-policy/").json()["regional_fields"] == []
    response = client.put("/api/v1/sharing-policy/", {**POLICY, "information_accuracy": 1})
    assert response.status_code == 200
    assert response.json()["regional_fields"] == ["business_name", "person_nationality"]
    # Samoa's policy is its own.
    assert api_client(ws_admin).get("/api/v1/sharing-policy/").json()["regional_fields"] == []
    refused = client.put("/api/v1/sharing-policy/", {**POLICY, "regional_fields": ["passport"]})
    assert refused.status_code == 400
    assert "regional_fields" in refused.json()["error"]["fields"]


def test_the_approval_form_starts_from_the_policy(fj_officer, fj_supervisor, fj_admin):
    api_client(fj_admin).put("/api/v1/sharing-policy/", POLICY)
    seizure = services.seizure_submit(by=fj_officer, seizure=make_seizure(by=fj_officer))
    page = signed_in_client(fj_supervisor).get(f"/seizures/{seizure.pk}/approve/").content
    assert re.search(rb'<input [^>]*value="regional_global"[^>]*checked', page)
    assert b"Ask FRCS before any court use." in page


def test_an_approval_keeps_the_policy_it_was_made_under(fj_officer, fj_supervisor, fj_admin):
    api_client(fj_admin).put("/api/v1/sharing-policy/", POLICY)
    seizure = make_seizure(by=fj_officer)
    approval = submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    sent = selectors.approval_payload(approval=approval, destination="regional")
    api_client(fj_admin).put("/api/v1/sharing-policy/", {**POLICY, "regional_fields": []})
    approval.refresh_from_db()
    assert approval.regional_fields == ["business_name", "person_nationality"]
    assert selectors.approval_payload(approval=approval, destination="regional") == sent
