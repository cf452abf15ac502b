"""Every read of reports goes through ``visible_to``."""

from django.shortcuts import get_object_or_404

from ncen.models import TaskRun

from .models import Report


def report_get(*, user, pk) -> Report:
    """The report if ``user`` may see it; 404 otherwise."""
    return get_object_or_404(
        Report.objects.visible_to(user).select_related("run", "seizure", "administration"),
        pk=pk,
    )


def report_state(report: Report) -> dict:
    """What the page and the API say about a report while it is made and once it is."""
    run = report.run
    result = run.result or {}
    done, total = result.get("done", 0), result.get("total", 0)
    return {
        "id": str(report.pk),
        "kind": report.kind,
        "seizure": report.seizure_id,
        "filters": report.filters,
        "status": run.status,
        "status_label": run.get_status_display(),
        "finished": run.status in (TaskRun.Status.SUCCEEDED, TaskRun.Status.FAILED),
        "ready": bool(report.file),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
        "pages": report.pages,
        "message": run.message,
    }
