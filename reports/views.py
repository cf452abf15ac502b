"""Reports in the pages: ask for one from a seizure or for a bulletin, follow it being made,
download it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST

from ncen.forms import add_service_errors
from seizures.filters import SeizureFilterSet
from seizures.models import Seizure

from . import bulletin, selectors, services
from .downloads import report_response
from .models import Report


@login_required
@require_POST
def seizure_report(request, pk: int):
    # The seizure's id is all the request keeps (the worker reads the record itself), so it
    # is looked up without the detail page's relations; 404 when it is not visible.
    seizure = get_object_or_404(Seizure.objects.visible_to(request.user), pk=pk)
    report = services.report_request(
        by=request.user,
        kind=Report.Kind.SEIZURE,
        seizure=seizure,
        language=translation.get_language(),
    )
    return redirect("reports:detail", pk=report.pk)


@login_required
def bulletin_request(request):
    """A bulletin's period and filters: offered with the dashboard's filters (GET), asked
    for (POST). A refused request comes back with every value as typed and the reasons."""
    if request.method == "POST":
        data = request.POST.copy()
        data.pop("csrfmiddlewaretoken", None)
        try:
            report = services.report_request(
                by=request.user,
                kind=Report.Kind.BULLETIN,
                filters=dict(data.lists()),
                language=translation.get_language(),
            )
        except ValidationError as error:
            return _bulletin_form(request, data, error=error)
        return redirect("reports:detail", pk=report.pk)
    data = request.GET.copy()
    for name, day in zip(bulletin.PERIOD, bulletin.default_period(), strict=True):
        data.setdefault(name, day.isoformat())
    return _bulletin_form(request, data)


def _bulletin_form(request, data, *, error: ValidationError | None = None):
    filterset = SeizureFilterSet(data, request=request)
    filterset.leave_out_ordering()
    form = filterset.form
    if error is not None:
        # What the filters' own form already says about a field is not said twice.
        add_service_errors(
            ValidationError(
                {
                    key: messages
                    for key, messages in error.message_dict.items()
                    if key not in form.errors
                }
            ),
            [form],
        )
    return render(
        request,
        "reports/bulletin_form.html",
        {"form": form},
        status=200 if error is None else 400,
    )


@login_required
def report_detail(request, pk):
    """A report's progress; once it is made, its download."""
    report = selectors.report_get(user=request.user, pk=pk)
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "state": selectors.report_state(report),
            "status_url": reverse("reports:status", args=[report.pk]),
        },
    )


@login_required
def report_status(request, pk):
    """The progress bar's data, polled by the page."""
    return JsonResponse(selectors.report_state(selectors.report_get(user=request.user, pk=pk)))


@login_required
def report_download(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    if not report.file:
        raise Http404
    services.report_download_record(by=request.user, report=report)
    return report_response(report)
