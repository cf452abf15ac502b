"""Importing seizures from a spreadsheet: the template, the checked preview, the import's
progress and the records it created."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ncen.models import TaskRun

from .. import imports, rights, selectors

TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": imports.XLSX,
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("The template filled in, as .xlsx or CSV."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


def _check_rights(user) -> None:
    if not rights.can_create(user):
        raise PermissionDenied(_("Your role does not record seizures."))


@login_required
def import_start(request):
    """Upload a file and see every row's errors, or the seizures it would create."""
    _check_rights(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = imports.import_preview(by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                form.add_error("file", message)
    return render(
        request,
        "seizures/import.html",
        {"form": form, "preview": preview, "max_rows": imports.MAX_ROWS},
    )


@login_required
@require_GET
def import_template(request, file_format: str):
    if file_format not in TEMPLATE_TYPES:
        raise Http404
    _check_rights(request.user)
    if file_format == "csv":
        content = imports.template_csv()
    else:
        content = imports.template_xlsx(user=request.user)
    response = HttpResponse(content, content_type=TEMPLATE_TYPES[file_format])
    filename = f"{_('seizures-import-template')}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def import_confirm(request):
    _check_rights(request.user)
    try:
        run = imports.import_confirm(by=request.user, token=request.POST.get("token", ""))
    except ValidationError as error:
        context = {
            "form": UploadForm(),
            "preview": None,
            "max_rows": imports.MAX_ROWS,
            "refused": " ".join(error.messages),
        }
        return render(request, "seizures/import.html", context, status=400)
    return redirect("seizures:import_run", pk=run.pk)


def _run(request, pk) -> TaskRun:
    return get_object_or_404(imports.import_runs(user=request.user), pk=pk)


@login_required
def import_run(request, pk):
    """An import's progress; once it is done, the seizures it created."""
    run = _run(request, pk)
    state = imports.run_state(run)
    seizures = selectors.seizure_list(user=request.user).filter(pk__in=state["seizures"])
    return render(
        request,
        "seizures/import_run.html",
        {
            "run": run,
            "state": state,
            "seizures": seizures.order_by("reference") if state["seizures"] else [],
            "status_url": reverse("seizures:import_run_status", args=[run.pk]),
        },
    )


@login_required
def import_run_status(request, pk):
    """The progress bar's data, polled by the page."""
    return JsonResponse(imports.run_state(_run(request, pk)))
