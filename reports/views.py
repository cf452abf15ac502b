"""Reports in the pages: ask for one from a seizure, follow it being made, download it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST

from seizures import selectors as seizure_selectors

from . import selectors, services
from .downloads import report_response
from .models import Report


@login_required
@require_POST
def seizure_report(request, pk: int):
    seizure = seizure_selectors.seizure_get(user=request.user, pk=pk)
    report = services.report_request(
        by=request.user,
        kind=Report.Kind.SEIZURE,
        seizure=seizure,
        language=translation.get_language(),
    )
    return redirect("reports:detail", pk=report.pk)


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
