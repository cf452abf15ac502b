"""Recording seizures: the simplified form, the full form and attachments."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404

from ..models import Attachment
from ..querysets import attachments_visible_to


@login_required
def seizure_new(request):
    return HttpResponse("new")


@login_required
def seizure_edit(request, pk: int):
    return HttpResponse("edit")


@login_required
def attachment_upload(request, pk: int):
    return HttpResponse("upload")


def _serve(request, pk: int, *, thumbnail: bool):
    attachment = get_object_or_404(attachments_visible_to(request.user), pk=pk)
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


@login_required
def attachment_file(request, pk: int):
    """An attachment, for users who may see its seizure; 404 for anyone else."""
    return _serve(request, pk, thumbnail=False)


@login_required
def attachment_thumbnail(request, pk: int):
    return _serve(request, pk, thumbnail=True)
