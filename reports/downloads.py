"""Sending a report's PDF: the one place that decides the headers, for pages and API."""

from django.http import FileResponse

from .models import Report


def report_response(report: Report) -> FileResponse:
    """The PDF of a report the caller has checked the user may see, as a download."""
    if report.seizure_id:
        filename = f"{report.seizure.reference}-report.pdf"
    else:
        # A bulletin: the administration and the period, e.g. bulletin-FJ-2025-01-01-2025-12-31.
        period = "-".join(report.filters[name] for name in ("occurred_from", "occurred_to"))
        filename = f"bulletin-{report.administration.code}-{period}.pdf"
    response = FileResponse(
        report.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
