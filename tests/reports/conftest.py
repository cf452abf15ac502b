"""Reports made in the test's own process (the worker's code, without the worker) and read
back with pypdf."""

import io

import pytest
from pypdf import PdfReader

from reports import services
from reports.models import Report


def make_report(user, seizure, *, language: str = "en") -> Report:
    """A seizure report asked for by ``user`` and made at once, as the worker makes it."""
    from django.utils import timezone, translation

    report = services.report_request(
        by=user, kind=Report.Kind.SEIZURE, seizure=seizure, language=language
    )
    steps = []
    with (
        translation.override(language),
        timezone.override(user.administration.time_zone),
    ):
        services.report_generate(report=report, progress=steps.append)
    assert steps == [1, 2, 3]
    report.refresh_from_db()
    return report


def read_pdf(report: Report) -> PdfReader:
    with report.file.open("rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


A4 = (595.3, 841.9)  # points, to a tenth


def page_sizes(reader: PdfReader) -> set[tuple[float, float]]:
    """The sizes of the PDF's pages, in points, rounded to a tenth."""
    return {
        (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1))
        for page in reader.pages
    }


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Each font of the PDF by its name, and whether its file is embedded."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    return fonts


def page_texts(report: Report) -> list[str]:
    return [page.extract_text() for page in read_pdf(report).pages]


@pytest.fixture
def full_case(fj_officer):
    from ..factories import make_full_case

    return make_full_case(by=fj_officer)
