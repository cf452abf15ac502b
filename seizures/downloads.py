"""Sending an attachment: the one place that decides the headers, for pages and API."""

from django.http import FileResponse, Http404

from .models import Attachment


def attachment_response(attachment: Attachment, *, thumbnail: bool) -> FileResponse:
    """The file (or its thumbnail) of an attachment the caller has checked the user may see.

    Documents download rather than open, and nothing is sniffed or run by the browser."""
    stored = attachment.thumbnail if thumbnail else attachment.file
    if not stored:
        raise Http404
    response = FileResponse(
        stored.open("rb"),
        content_type="image/jpeg" if thumbnail else attachment.content_type,
        as_attachment=not thumbnail and attachment.kind == Attachment.Kind.DOCUMENT,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
