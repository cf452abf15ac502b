"""Recording seizures: the simplified form, the full form and attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ncen import selectors as core_selectors
from ncen.exceptions import ConflictError
from ncen.forms import add_service_errors
from ncen.models import Office

from .. import rights, selectors, services
from ..downloads import attachment_response
from ..forms import (
    AttachmentForm,
    CircumstancesForm,
    ItemFormSet,
    NarrativeForm,
    OffenceFormSet,
    RouteForm,
    SimplifiedForm,
)
from ..models import Attachment


@login_required
def seizure_new(request):
    """The simplified form: what a statistic needs, recorded in two minutes."""
    if not rights.can_create(request.user):
        raise PermissionDenied(_("Your role does not record seizures."))
    form = SimplifiedForm(
        request.POST or None,
        user=request.user,
        offices=core_selectors.office_choices(user=request.user),
    )
    if form.is_valid():
        try:
            seizure = services.seizure_create(
                by=request.user, values=form.seizure_values(), items=[form.item()]
            )
        except ValidationError as error:
            add_service_errors(error, [form], rows={"items": [form]})
        else:
            messages.success(
                request,
                _("Seizure %(reference)s is saved as a draft. Complete it when you can.")
                % {"reference": seizure.reference},
            )
            return redirect("seizures:detail", pk=seizure.pk)
    return render(request, "seizures/new.html", {"form": form})


@login_required
def seizure_edit(request, pk: int):
    """The full form, in sections; saves a draft at any point."""
    seizure = selectors.seizure_get(user=request.user, pk=pk)
    if not rights.can_edit(request.user, seizure):
        raise PermissionDenied(_("You cannot edit this seizure."))
    data = request.POST or None
    items = list(seizure.items.all())
    keeping = seizure.code_ids_in_use()
    circumstances = CircumstancesForm(
        data,
        prefix="c",
        user=request.user,
        offices=core_selectors.office_choices(user=request.user)
        | Office.objects.filter(pk=seizure.office_id),
        keeping=keeping,
        initial={
            "occurred_at": seizure.occurred_at,
            "office": seizure.office_id,
            **{name: getattr(seizure, f"{name}_id") for name in CircumstancesForm.code_fields},
        },
    )
    route = RouteForm(data, prefix="r", initial=RouteForm.initial_from(seizure))
    narrative = NarrativeForm(data, prefix="n", initial={"narrative": seizure.narrative})
    item_rows = ItemFormSet(
        data,
        prefix="items",
        form_kwargs={"user": request.user, "keeping": keeping},
        initial=[{name: getattr(item, name) for name in services.ITEM_FIELDS} for item in items],
    )
    offence_rows = OffenceFormSet(
        data,
        prefix="offences",
        form_kwargs={"user": request.user, "keeping": keeping},
        initial=[
            {name: getattr(offence, name) for name in services.OFFENCE_FIELDS}
            for offence in seizure.offences.all()
        ],
    )
    sections = [circumstances, route, narrative]
    version = int(request.POST.get("version", seizure.version)) if data else seizure.version
    if data is not None and all(form.is_valid() for form in [*sections, item_rows, offence_rows]):
        values = {**circumstances.cleaned_data, **route.route_values(), **narrative.cleaned_data}
        try:
            seizure = services.seizure_update(
                by=request.user,
                seizure=seizure,
                expected_version=version,
                values=values,
                items=item_rows.rows(),
                offences=offence_rows.rows(),
            )
        except ConflictError as error:
            circumstances.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(
                error,
                sections,
                rows={"items": item_rows.kept_forms(), "offences": offence_rows.kept_forms()},
            )
        else:
            saved = (
                _("Seizure %(reference)s is saved (version %(version)d) and sent for review.")
                if seizure.status == seizure.Status.SUBMITTED
                else _("Seizure %(reference)s is saved (version %(version)d).")
            )
            messages.success(
                request, saved % {"reference": seizure.reference, "version": seizure.version}
            )
            return redirect("seizures:detail", pk=seizure.pk)
    context = {
        "seizure": seizure,
        "version": version,
        "circumstances": circumstances,
        "route": route,
        "narrative": narrative,
        "item_rows": item_rows,
        "offence_rows": offence_rows,
        "attachment_form": AttachmentForm(),
    }
    return render(request, "seizures/edit.html", context, status=400 if data else 200)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    seizure = selectors.seizure_get(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                by=request.user,
                seizure=seizure,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            for messages_ in error.message_dict.values():
                messages.error(request, " ".join(messages_))
        else:
            messages.success(request, _("The file is attached."))
    else:
        for messages_ in form.errors.values():
            messages.error(request, " ".join(messages_))
    return redirect("seizures:edit", pk=seizure.pk)


def _serve(request, pk: int, *, thumbnail: bool):
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    return attachment_response(attachment, thumbnail=thumbnail)


@login_required
def attachment_file(request, pk: int):
    """An attachment, for users who may see its seizure; 404 for anyone else."""
    return _serve(request, pk, thumbnail=False)


@login_required
def attachment_thumbnail(request, pk: int):
    return _serve(request, pk, thumbnail=True)
