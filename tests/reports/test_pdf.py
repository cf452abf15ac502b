"""The seizure report's PDF, read back: what every page carries, the record's fields and
items, its photos, the shipped fonts embedded, and persons only for those who may take
nominal data out of the system."""

from decimal import Decimal

import pytest
from weasyprint.urls import FatalURLFetchingError

from ncen.audit import Action
from ncen.models import AuditEntry
from reports import pdf
from seizures import services as seizure_services

from ..factories import code, make_seizure, submit_and_approve
from .conftest import A4, embedded_fonts, make_report, page_sizes, page_texts, read_pdf

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_administration_reference_handling_code_and_page_number(
    full_case, fj_officer
):
    report = make_report(fj_officer, full_case)
    texts = page_texts(report)
    assert len(texts) >= 2, "the case should need more than one page"
    assert report.pages == len(texts)
    for number, text in enumerate(texts, start=1):
        assert "Fiji Revenue and Customs Service" in text
        assert full_case.reference in text
        assert "No handling code: not approved yet, not to be passed on." in text
        assert f"Page {number} of {len(texts)}" in text
    assert page_sizes(read_pdf(report)) == {A4}


def test_the_report_holds_every_item_offence_field_and_the_signature_block(full_case, fj_officer):
    text = "\n".join(page_texts(make_report(fj_officer, full_case)))
    flat = " ".join(text.split())
    for n in range(1, 7):
        assert f"Package {n}: blocks wrapped in black plastic" in flat
        assert f"{n}.25" in flat
    assert "Drugs \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} Heroin and other opioids" in flat
    for section in ("Customs Act 1986, s. 137", "Customs Act 1986, s. 139", "Smuggling"):
        assert section in flat
    for field in ("X-ray or scanner", "Air passenger", "In baggage", "Suva Port (FJSUV)", "FJ910"):
        assert field in flat
    assert "Australia, New Zealand" in flat
    assert "Passenger selected by the risk profile" in flat
    assert "Photo 3 of the concealment" in flat
    assert "Prepared by" in flat
    assert "Date and official stamp" in flat


def test_photos_are_read_through_the_storage_and_embedded(full_case, fj_officer):
    reader = read_pdf(make_report(fj_officer, full_case))
    # Pages may share one resource dictionary: count each image once.
    images = {image.data for page in reader.pages for image in page.images}
    assert len(images) == 3


def test_only_the_shipped_fonts_are_used_and_they_are_embedded(full_case, fj_officer):
    fonts = embedded_fonts(read_pdf(make_report(fj_officer, full_case)))
    assert fonts, "no font in the PDF"
    # Subset prefix + the @font-face family of templates/reports/document.html.
    assert {name.split("+", 1)[1] for name in fonts} == {"nCEN-Sans", "nCEN-Sans-Bold"}
    assert all(fonts.values()), f"not embedded: {fonts}"


def test_a_supervisor_s_report_names_the_persons_and_notes_the_nominal_export(
    full_case, fj_supervisor
):
    report = make_report(fj_supervisor, full_case)
    flat = " ".join("\n".join(page_texts(report)).split())
    for n in (1, 2, 3):
        assert f"Suspect Number{n}" in flat
        assert f"P{n:07d}" in flat
    assert "Pacific Freight Forwarders Ltd" in flat
    assert report.includes_nominal
    export = AuditEntry.objects.get(action=Action.NOMINAL_EXPORTED)
    assert export.actor == fj_supervisor
    filters = {"report": str(report.pk), "seizure": full_case.pk}
    assert export.after == {"rows": 4, "filters": filters}


def test_an_officer_s_report_leaves_persons_and_businesses_out(full_case, fj_officer):
    """Officers see persons on the page, but nominal data leaves the system only at a
    supervisor's hand (persons.rights.can_export): their report says so instead."""
    report = make_report(fj_officer, full_case)
    flat = " ".join("\n".join(page_texts(report)).split())
    assert "Suspect Number" not in flat
    assert "P0000001" not in flat
    assert "Pacific Freight Forwarders" not in flat
    assert "only supervisors take nominal data out of the system" in flat
    assert not report.includes_nominal
    assert not AuditEntry.objects.filter(action=Action.NOMINAL_EXPORTED).exists()


def test_making_a_report_is_in_the_record_s_trail(full_case, fj_officer):
    report = make_report(fj_officer, full_case)
    entry = AuditEntry.objects.get(action=Action.REPORT_GENERATED)
    assert (entry.actor, entry.object_type, entry.object_id) == (
        fj_officer,
        "seizures.seizure",
        str(full_case.pk),
    )
    assert entry.after["report"] == str(report.pk)
    assert entry.after["pages"] == report.pages
    assert entry.after["sha256"] == report.sha256
    assert entry.after["nominal"] is False


def test_an_approved_record_carries_its_handling_code_on_every_page(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    submit_and_approve(
        seizure,
        by=fj_officer,
        approver=fj_supervisor,
        handling_code="other",
        handling_text="Not for the prosecutor before 1 June",
    )
    seizure.refresh_from_db()
    texts = page_texts(make_report(fj_officer, seizure))
    line = "Handling code: Other restriction: Not for the prosecutor before 1 June"
    assert all(line in text for text in texts)
    assert "B: usually reliable" in texts[0]


def test_changes_since_the_approval_are_said_beside_its_handling_code(fj_officer, fj_supervisor):
    seizure = make_seizure(by=fj_officer)
    submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    seizure.refresh_from_db()
    seizure_services.seizure_update(
        by=fj_officer,
        seizure=seizure,
        expected_version=seizure.version,
        values={"narrative": "Corrected after the laboratory's analysis."},
    )
    seizure.refresh_from_db()
    flat = " ".join("\n".join(page_texts(make_report(fj_officer, seizure))).split())
    assert (
        "Handling code of approved version 1: For intelligence use only "
        "(later changes not approved)" in flat
    )
    assert "Corrected after the laboratory's analysis." in flat


def test_text_of_the_record_is_printed_as_text_never_as_markup(fj_officer):
    narrative = '</style><img src="file:///etc/hostname"><b>bold</b> & <script>x</script>'
    seizure = make_seizure(
        by=fj_officer,
        narrative=narrative,
        items=[
            {
                "commodity": code("commodity", "cocaine"),
                "quantity": Decimal("1"),
                "unit": code("unit", "kg"),
                "description": '" ; } @page { size: A3 } <i>',
            }
        ],
    )
    report = make_report(fj_officer, seizure)
    flat = " ".join("\n".join(page_texts(report)).split())
    assert '<img src="file:///etc/hostname"><b>bold</b> &' in flat
    assert '" ; } @page { size: A3 } <i>' in flat
    assert not [image for page in read_pdf(report).pages for image in page.images]


@pytest.mark.parametrize(
    "url", ["file:///etc/hostname", "http://127.0.0.1:9/x.png", "ncen-font:../../pyproject.toml"]
)
def test_the_renderer_fetches_nothing_but_the_report_s_fonts_and_photos(url):
    with pytest.raises(FatalURLFetchingError):
        pdf.layout(f'<img src="{url}">', photos={})
