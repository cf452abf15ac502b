"""Sending a report's PDF: the one place that decides the headers, for pages and API."""

from django.http import FileResponse

from .models import Report


def report_response(report: Report) -> FileResponse:
    """The PDF of a report the caller has checked the user may see, as a download."""
    name = report.seizure.reference if report.seizure_id else report.kind
    response = FileResponse(
        report.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{name}-report.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
