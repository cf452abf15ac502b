"""What goes into each kind of report: its template and its inputs, read for the user who
asked for it through the same choke points as the pages. Each template extends
reports/document.html."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from persons import rights as person_rights
from persons import selectors as person_selectors
from seizures.models import Attachment, Seizure

from . import bulletin, pdf
from .models import Report


@dataclass
class Inputs:
    """A report's template, its context and the stored photos it shows."""

    template: str
    context: dict
    photos: dict[str, File] = field(default_factory=dict)
    record_version: int | None = None
    # The persons and businesses it names: nominal data leaving the system (0 when none).
    nominal_count: int = 0


def page_counter_css() -> str:
    """CSS ``content`` for "Page 1 of 3" in the active language: the translated text around
    the page counters, as CSS strings."""
    text = _("Page %(page)s of %(pages)s")
    parts = []
    for part in re.split(r"(%\(pages?\)s)", text):
        if part == "%(page)s":
            parts.append("counter(page)")
        elif part == "%(pages)s":
            parts.append("counter(pages)")
        elif part:
            parts.append(css_string(part))
    return " ".join(parts)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot close the string or the style element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + escaped.replace("\n", " ") + '"'


def handling_line(seizure: Seizure) -> str:
    """The handling code a reader must apply, as every page repeats it. A record never
    approved has none yet: the line says so, and that it is not to be passed on, since only
    an approval decides what may leave the unit."""
    approval = seizure.last_approval
    if approval is None:
        return _("No handling code: not approved yet, not to be passed on.")
    code = approval.get_handling_code_display()
    if approval.handling_text:
        code = f"{code}: {approval.handling_text}"
    if seizure.status == Seizure.Status.APPROVED:
        return _("Handling code: %(code)s") % {"code": code}
    return _(
        "Handling code of approved version %(number)s: %(code)s (later changes not approved)"
    ) % {"number": approval.number, "code": code}


def seizure_inputs(*, report: Report, user) -> Inputs:
    seizure = (
        Seizure.objects.visible_to(user)
        .with_detail_relations()
        .filter(pk=report.seizure_id)
        .first()
    )
    if seizure is None:
        raise PermissionDenied(_("The seizure is no longer among those you may see."))
    # Nominal data leaves the system only at the hand of those who may export it; the links
    # themselves come through the reader's own visibility.
    nominal = person_rights.can_export(user)
    links = person_selectors.seizure_links(user=user, seizure=seizure)
    named = [link for link in links if link.person_id or link.business_id] if nominal else []
    photos = [a for a in seizure.attachments.all() if a.kind == Attachment.Kind.PHOTO]
    return Inputs(
        template="reports/seizure.html",
        context={
            "seizure": seizure,
            "approval": seizure.last_approval,
            "title": _("Seizure report %(reference)s") % {"reference": seizure.reference},
            "reference": seizure.reference,
            "handling": handling_line(seizure),
            "transit_countries": [countries.name(c) or c for c in seizure.transit_countries],
            "photos": [(pdf.photo_url(str(photo.pk)), photo) for photo in photos],
            "documents": [a for a in seizure.attachments.all() if a.kind != Attachment.Kind.PHOTO],
            "nominal": nominal,
            "persons": [link for link in named if link.person_id],
            "businesses": [link for link in named if link.business_id],
            "conveyances": [link for link in links if link.conveyance_id],
        },
        # The preview made at upload: a photo the size it is printed, read in milliseconds.
        photos={str(p.pk): p.thumbnail or p.file for p in photos},
        record_version=seizure.version,
        nominal_count=len(named),
    )


def bulletin_inputs(*, report: Report, user) -> Inputs:
    """Statistics only: no nominal data, whoever asks (see reports.bulletin)."""
    return Inputs(
        template="reports/bulletin.html",
        context=bulletin.Bulletin(user=user, filters=report.filters).context(),
    )


KINDS: dict[str, Callable[..., Inputs]] = {
    Report.Kind.SEIZURE: seizure_inputs,
    Report.Kind.BULLETIN: bulletin_inputs,
}


def inputs_for(*, report: Report, user) -> Inputs:
    """The inputs of ``report`` read for ``user``, with what every report's frame shows."""
    inputs = KINDS[report.kind](report=report, user=user)
    inputs.context.update(
        administration=user.administration,
        requested_by=user,
        generated_at=timezone.now(),
        page_counter=page_counter_css(),
        font_regular=f"{pdf.FONT_SCHEME}:DejaVuSans.ttf",
        font_bold=f"{pdf.FONT_SCHEME}:DejaVuSans-Bold.ttf",
    )
    return inputs
