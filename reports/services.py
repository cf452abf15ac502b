"""Every write of reports: asking for one, making and keeping its PDF (the worker's part),
and noting each download. Each writes its audit entry in its transaction."""

import hashlib
import uuid
from collections.abc import Callable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ncen import audit
from ncen.audit import Action
from ncen.tasking import enqueue
from persons import rights as person_rights
from persons import services as person_services
from persons.models import CaseLink
from seizures.models import Seizure

from . import bulletin, documents, pdf
from .models import Report

# The steps the progress bar counts: reading the record, laying it out, writing the PDF,
# keeping it.
STEPS = 4


@transaction.atomic
def report_request(
    *,
    by,
    kind: str,
    seizure: Seizure | None = None,
    filters: Mapping | None = None,
    language: str,
) -> Report:
    """Ask a worker for a report, in ``language``; its TaskRun row follows it. A seizure
    report names its ``seizure``; a bulletin takes ``filters``, the seizures' filters with
    its period (see reports.bulletin.clean_filters)."""
    from .tasks import generate_report

    if kind not in Report.Kind.values:
        raise ValidationError({"kind": [_("Not a kind of report.")]})
    if kind == Report.Kind.SEIZURE and (
        seizure is None or not Seizure.objects.visible_to(by).filter(pk=seizure.pk).exists()
    ):
        raise PermissionDenied(_("No such seizure among those you may see."))
    bulletin_filters = {}
    if kind == Report.Kind.BULLETIN:
        bulletin_filters = bulletin.clean_filters(user=by, data=filters or {})
    report = Report(
        id=uuid.uuid4(),
        kind=kind,
        administration=by.administration,
        requested_by=by,
        seizure=seizure if kind == Report.Kind.SEIZURE else None,
        filters=bulletin_filters,
    )
    report.run = enqueue(
        generate_report, requested_by=by, report_id=str(report.pk), language=language
    )
    report.save()
    return report


def report_generate(*, report: Report, progress: Callable[[int], None]) -> dict:
    """Make ``report``'s PDF with what its requester may see now, and keep it. A report
    already made (a second delivery of the task) is left as it is."""
    if report.file:
        return report_outcome(report)
    user = report.requested_by
    progress(1)
    inputs = documents.inputs_for(report=report, user=user)
    html = render_to_string(inputs.template, inputs.context)
    progress(2)
    laid = pdf.layout(html, photos=inputs.photos)
    progress(3)
    data = laid.write()
    kept = _report_keep(report=report, by=user, data=data, pages=laid.pages, inputs=inputs)
    return report_outcome(kept)


def report_outcome(report: Report) -> dict:
    """What the worker leaves on the run once the report is made."""
    return {"done": STEPS, "total": STEPS, "pages": report.pages}


@transaction.atomic
def _report_keep(*, report: Report, by, data: bytes, pages: int, inputs) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.file:
        return locked
    if inputs.nominal_count:
        # The export rule's own check and entry: persons and businesses leave in this PDF.
        person_services.nominal_export_record(
            by=by,
            model=CaseLink,
            count=inputs.nominal_count,
            filters={"report": str(locked.pk), "seizure": locked.seizure_id},
        )
    locked.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
    locked.generated_at = timezone.now()
    locked.pages = pages
    locked.size = len(data)
    locked.sha256 = hashlib.sha256(data).hexdigest()
    locked.includes_nominal = bool(inputs.nominal_count)
    locked.record_version = inputs.record_version
    locked.save()
    audit.record(
        action=Action.REPORT_GENERATED,
        actor=by,
        target=locked.seizure or locked,
        after={
            "report": str(locked.pk),
            "kind": locked.kind,
            "record_version": locked.record_version,
            "pages": pages,
            "sha256": locked.sha256,
            "nominal": locked.includes_nominal,
            **({"filters": locked.filters} if locked.filters else {}),
        },
    )
    return locked


@transaction.atomic
def report_download_record(*, by, report: Report) -> None:
    """Note a download of ``report`` (which ``by`` may see). A report holding nominal data
    is given only to a user who may still export it."""
    if report.includes_nominal and not person_rights.can_export(by):
        raise PermissionDenied(_("Only supervisors export nominal data."))
    audit.record(
        action=Action.REPORT_DOWNLOADED,
        actor=by,
        target=report.seizure or report,
        after={"report": str(report.pk), "sha256": report.sha256},
    )
