"""Administrators add, rename and retire their own code-list entries."""

import pytest
from django.core.exceptions import PermissionDenied

from ncen.models import AuditEntry
from seizures import services
from seizures.models import Code

from ..conftest import signed_in_client
from ..factories import code, make_seizure

pytestmark = pytest.mark.django_db


def test_administrator_adds_renames_and_retires_an_entry(fj_admin, fj_officer, ws_officer):
    client = signed_in_client(fj_admin)
    drugs = code("commodity", "drugs")
    response = client.post(
        "/codes/new/",
        {
            "code_list": "commodity",
            "code": "betel_nut",
            "label": "Betel nut",
            "label_fr": "Noix de bétel",
            "parent": drugs.pk,
        },
    )
    assert response.status_code == 302
    entry = Code.objects.get(code="betel_nut")
    assert entry.administration == fj_admin.administration
    assert entry.parent == drugs
    # Its group's units apply, and the Fijian officer may use it; a Samoan may not see it.
    assert Code.objects.offered_to(fj_officer).filter(pk=entry.pk).exists()
    assert not Code.objects.visible_to(ws_officer).filter(pk=entry.pk).exists()
    seizure = make_seizure(
        by=fj_officer, items=[{"commodity": entry, "quantity": 3, "unit": code("unit", "kg")}]
    )

    client.post(
        f"/codes/{entry.pk}/", {"label": "Areca nut", "label_fr": "Noix d'arec", "is_retired": "on"}
    )
    entry.refresh_from_db()
    assert (entry.label, entry.is_retired) == ("Areca nut", True)
    assert not Code.objects.offered_to(fj_officer).filter(pk=entry.pk).exists()
    # The old record keeps its retired entry.
    assert seizure.items.get().commodity == entry
    actions = set(
        AuditEntry.objects.filter(object_id=str(entry.pk)).values_list("action", flat=True)
    )
    assert actions == {"code_added", "code_changed"}


def test_shipped_entries_are_not_edited_by_administrators(fj_admin):
    dog = code("detection_method", "detector_dog")
    response = signed_in_client(fj_admin).post(
        f"/codes/{dog.pk}/", {"label": "Canine", "label_fr": "", "is_retired": "on"}
    )
    assert response.status_code == 403
    dog.refresh_from_db()
    assert (dog.label, dog.is_retired) == ("Detector dog", False)


def test_duplicate_code_is_refused(fj_admin):
    response = signed_in_client(fj_admin).post(
        "/codes/new/",
        {"code_list": "detection_method", "code": "detector_dog", "label": "Dog again"},
    )
    assert response.status_code == 200
    assert "already in the list" in response.content.decode()


def test_other_administrations_entries_cannot_be_changed(fj_admin, ws_admin):
    entry = services.code_add(
        by=fj_admin, code_list="unit", code="bales", label="Bales", label_fr="", parent=None
    )
    with pytest.raises(PermissionDenied):
        services.code_update(by=ws_admin, code=entry, label="x", label_fr="", is_retired=True)
    assert signed_in_client(ws_admin).get(f"/codes/{entry.pk}/").status_code == 404


def test_officers_do_not_keep_code_lists(fj_officer):
    assert signed_in_client(fj_officer).get("/codes/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.code_add(
            by=fj_officer, code_list="unit", code="x", label="x", label_fr="", parent=None
        )


def test_code_list_page_shows_a_list(fj_admin):
    response = signed_in_client(fj_admin).get("/codes/", {"list": "concealment_method"})
    assert response.status_code == 200
    assert "On body" in response.content.decode()
