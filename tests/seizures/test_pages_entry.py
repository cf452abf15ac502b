"""Recording seizures in the browser's forms: simplified, full, attachments."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ncen.models import AuditEntry
from seizures.models import Attachment, Seizure

from ..conftest import signed_in_client
from ..factories import code, make_seizure

pytestmark = pytest.mark.django_db


def _simplified(suva, **changes):
    data = {
        "occurred_at": "2026-03-14T09:30",
        "office": suva.pk,
        "commodity": code("commodity", "methamphetamine").pk,
        "quantity": "1.25",
        "unit": code("unit", "kg").pk,
        "detection_method": code("detection_method", "detector_dog").pk,
        "transport_mode": code("transport_mode", "air_passenger").pk,
        "origin_country": "MX",
        "departure_country": "US",
        "destination_country": "FJ",
    }
    data.update(changes)
    return data


def test_simplified_form_records_a_draft(fj_officer, suva):
    response = signed_in_client(fj_officer).post("/seizures/new/", _simplified(suva))
    seizure = Seizure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/seizures/{seizure.pk}/"
    assert seizure.status == "draft"
    assert seizure.version == 1
    assert seizure.items.get().quantity == 1.25
    assert seizure.route == ["MX", "US", "FJ"]
    # Entered in Fiji's time: 09:30 at UTC+12 (or +13 in summer time) is the day before in UTC.
    assert seizure.occurred_at.utcoffset().total_seconds() == 0


def test_rejected_simplified_form_keeps_everything_typed(fj_officer, suva):
    data = _simplified(suva, unit=code("unit", "sticks").pk, quantity="7.5")
    response = signed_in_client(fj_officer).post("/seizures/new/", data)
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert "counted in" in response.content.decode()
    html = response.content.decode()
    assert 'value="7.5"' in html
    assert 'value="MX" selected' in html
    assert not Seizure.objects.exists()


def test_future_date_is_refused_on_the_page(fj_officer, suva):
    response = signed_in_client(fj_officer).post(
        "/seizures/new/", _simplified(suva, occurred_at="2099-01-01T10:00")
    )
    assert "cannot be in the future" in response.content.decode()
    assert not Seizure.objects.exists()


def test_administrator_cannot_open_the_form(fj_admin):
    assert signed_in_client(fj_admin).get("/seizures/new/").status_code == 403


def _full(seizure, **changes):
    item = {
        "items-0-commodity": code("commodity", "cocaine").pk,
        "items-0-quantity": "2.5",
        "items-0-unit": code("unit", "kg").pk,
        "items-0-description": "Two blocks",
        "items-1-commodity": code("commodity", "undeclared_currency").pk,
        "items-1-quantity": "25000",
        "items-1-unit": code("unit", "currency").pk,
        "items-1-currency": "usd",
        "items-1-estimated_value": "25000",
    }
    data = {
        "version": seizure.version,
        "c-occurred_at": "2026-03-14T09:30",
        "c-office": seizure.office_id,
        "c-detection_method": code("detection_method", "intelligence").pk,
        "c-transport_mode": code("transport_mode", "air_passenger").pk,
        "c-concealment_method": code("concealment_method", "baggage").pk,
        "r-origin_country": "PE",
        "r-departure_country": "AU",
        "r-transit_1": "NZ",
        "r-destination_country": "FJ",
        "r-flight_number": "FJ910",
        "n-narrative": "Courier met at arrivals.",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "1",
        "offences-TOTAL_FORMS": "1",
        "offences-INITIAL_FORMS": "0",
        "offences-0-legal_provision": "Customs Act 1986, s. 135",
        "offences-0-offence_type": code("offence_type", "smuggling").pk,
        "offences-0-status": code("offence_status", "under_investigation").pk,
        **item,
    }
    data.update(changes)
    return data


def test_full_form_completes_the_record(fj_officer):
    seizure = make_seizure(by=fj_officer)
    client = signed_in_client(fj_officer)
    assert client.get(f"/seizures/{seizure.pk}/edit/").status_code == 200
    response = client.post(f"/seizures/{seizure.pk}/edit/", _full(seizure))
    assert response.status_code == 302, response.context and [
        f.errors for f in (response.context["circumstances"], response.context["route"])
    ]
    seizure.refresh_from_db()
    assert seizure.version == 2
    assert seizure.route == ["PE", "AU", "NZ", "FJ"]
    assert [item.currency for item in seizure.items.all()] == ["", "USD"]
    assert seizure.offences.get().legal_provision == "Customs Act 1986, s. 135"


def test_unchanged_rows_are_kept_and_ticked_rows_removed(fj_officer):
    seizure = make_seizure(by=fj_officer)
    item = seizure.items.get()
    data = _full(
        seizure,
        **{
            "items-0-commodity": item.commodity_id,
            "items-0-quantity": "2.500",
            "items-0-unit": item.unit_id,
            "items-0-description": item.description,
        },
    )
    client = signed_in_client(fj_officer)
    assert client.post(f"/seizures/{seizure.pk}/edit/", data).status_code == 302
    assert seizure.items.count() == 2
    data = _full(seizure, version=2, **{"items-1-DELETE": "on"})
    assert client.post(f"/seizures/{seizure.pk}/edit/", data).status_code == 302
    assert [i.commodity.code for i in seizure.items.all()] == ["cocaine"]


def test_full_form_error_on_a_row_keeps_every_row_typed(fj_officer):
    seizure = make_seizure(by=fj_officer)
    data = _full(seizure, **{"items-1-unit": code("unit", "kg").pk})
    response = signed_in_client(fj_officer).post(f"/seizures/{seizure.pk}/edit/", data)
    assert response.status_code == 400
    rows = response.context["item_rows"].forms
    assert "unit" in rows[1].errors
    html = response.content.decode()
    assert 'value="Two blocks"' in html
    assert 'value="usd"' in html  # as typed
    assert "Customs Act 1986, s. 135" in html
    seizure.refresh_from_db()
    assert seizure.version == 1


def test_stale_save_shows_a_conflict_and_overwrites_nothing(fj_officer, fj_supervisor):
    from seizures import services

    seizure = make_seizure(by=fj_officer)
    services.seizure_update(
        by=fj_supervisor, seizure=seizure, expected_version=1, values={"narrative": "Theirs"}
    )
    response = signed_in_client(fj_officer).post(
        f"/seizures/{seizure.pk}/edit/", _full(seizure, version=1, **{"n-narrative": "Mine"})
    )
    assert response.status_code == 400
    assert "Someone else saved this record" in response.content.decode()
    assert "Mine" in response.content.decode()  # what the officer typed is still there
    seizure.refresh_from_db()
    assert seizure.narrative == "Theirs"


def test_narrative_markup_is_shown_as_text_in_the_form(fj_officer):
    seizure = make_seizure(by=fj_officer, narrative="<script>alert('x')</script>")
    html = signed_in_client(fj_officer).get(f"/seizures/{seizure.pk}/edit/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_photo_upload_keeps_the_file_with_a_thumbnail_behind_the_access_check(
    fj_officer, ws_officer
):
    seizure = make_seizure(by=fj_officer)
    client = signed_in_client(fj_officer)
    upload = SimpleUploadedFile("suitcase.txt", _png(), content_type="text/plain")
    response = client.post(
        f"/seizures/{seizure.pk}/attachments/",
        {"kind": "photo", "file": upload, "caption": "Lining"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"  # judged by content, not by name
    assert attachment.thumbnail
    image = client.get(f"/attachments/{attachment.pk}/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/attachments/{attachment.pk}/thumbnail/")["Content-Type"] == "image/jpeg"
    outsider = signed_in_client(ws_officer)
    assert outsider.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert outsider.get(f"/attachments/{attachment.pk}/thumbnail/").status_code == 404
    assert AuditEntry.objects.filter(action="attachment_added").exists()


@pytest.mark.parametrize(
    ("kind", "content", "name", "message"),
    [
        ("photo", b"%PDF-1.7 not an image", "photo.jpg", "not a photo"),
        ("document", b"MZ\x90\x00\x03 an executable", "report.pdf", "Only photos, PDF"),
        ("document", b"<html><script>alert(1)</script></html>", "notes.txt", "Only photos, PDF"),
    ],
)
def test_files_are_judged_by_their_content(fj_officer, kind, content, name, message):
    seizure = make_seizure(by=fj_officer)
    client = signed_in_client(fj_officer)
    response = client.post(
        f"/seizures/{seizure.pk}/attachments/",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_files_over_the_limit_are_refused(settings, fj_officer):
    settings.NCEN_ATTACHMENT_MAX_BYTES = 1000
    seizure = make_seizure(by=fj_officer)
    response = signed_in_client(fj_officer).post(
        f"/seizures/{seizure.pk}/attachments/",
        {"kind": "photo", "file": SimpleUploadedFile("big.png", _png())},
        follow=True,
    )
    assert "larger than" in response.content.decode()
    assert not Attachment.objects.exists()


def test_pdf_document_is_downloaded_not_displayed(fj_officer):
    seizure = make_seizure(by=fj_officer)
    client = signed_in_client(fj_officer)
    client.post(
        f"/seizures/{seizure.pk}/attachments/",
        {"kind": "document", "file": SimpleUploadedFile("statement.pdf", b"%PDF-1.4\n%%EOF")},
    )
    response = client.get(f"/attachments/{Attachment.objects.get().pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="statement.pdf"')
