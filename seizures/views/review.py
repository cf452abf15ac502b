"""The approval workflow in the browser: the review queue, and each step from the queue or
the detail page. Refusals show the service's message with 400 (bad input), 403 (not yours
to do) or 409 (the record's status does not allow it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.models import Destination
from exchange.selectors import sharing_policy
from ncen.exceptions import ConflictError, TransitionRefused
from ncen.forms import add_service_errors
from ncen.models import Role

from .. import rights, selectors, services, workflow
from ..forms import ApproveForm, ReturnForm, WithdrawForm
from ..workflow import Step
from .browse import PAGE_SIZE, render_detail


@login_required
def review_queue(request):
    """Supervisors: the records waiting for review. Officers: their returned records."""
    user = request.user
    if user.role == Role.SUPERVISOR:
        records, supervising = selectors.review_queue(user=user), True
    elif user.role == Role.OFFICER:
        records, supervising = selectors.returned_to(user=user), False
    else:
        raise PermissionDenied(_("Supervisors review records; officers see those returned."))
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "seizures/review.html", {"page": page, "supervising": supervising})


def _back(request, seizure):
    """Where the step was asked from: the queue or the detail page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("seizures:detail", pk=seizure.pk)


def _refused(request, seizure, error: Exception):
    """The detail page, with why the step was refused and nothing changed."""
    if isinstance(error, ValidationError):
        text, status = " ".join(error.messages), 400
    elif isinstance(error, PermissionDenied):
        text, status = str(error), 403
    else:
        text, status = str(error), 409
    messages.error(request, text)
    return render_detail(request, selectors.seizure_get(user=request.user, pk=seizure.pk), status)


def _step(request, pk: int, *, apply, done: str):
    """Apply one step to the record (``apply`` calls its service), then go back to where it
    was asked from with ``done``; a refusal shows the detail page with why."""
    seizure = selectors.seizure_get(user=request.user, pk=pk)
    try:
        apply(seizure)
    except (ValidationError, TransitionRefused, PermissionDenied) as error:
        return _refused(request, seizure, error)
    messages.success(request, done % {"reference": seizure})
    return _back(request, seizure)


@login_required
@require_POST
def seizure_submit(request, pk: int):
    return _step(
        request,
        pk,
        apply=lambda seizure: services.seizure_submit(by=request.user, seizure=seizure),
        done=_("Seizure %(reference)s is submitted for review."),
    )


@login_required
@require_POST
def seizure_return(request, pk: int):
    form = ReturnForm(request.POST)
    form.is_valid()
    return _step(
        request,
        pk,
        apply=lambda seizure: services.seizure_return(
            by=request.user, seizure=seizure, comment=form.cleaned_data.get("comment", "")
        ),
        done=_("Seizure %(reference)s is returned to its officer."),
    )


@login_required
@require_POST
def seizure_withdraw(request, pk: int):
    form = WithdrawForm(request.POST)
    form.is_valid()
    return _step(
        request,
        pk,
        apply=lambda seizure: services.seizure_withdraw(
            by=request.user, seizure=seizure, reason=form.cleaned_data.get("reason", "")
        ),
        done=_("Seizure %(reference)s is withdrawn."),
    )


@login_required
def seizure_approve(request, pk: int):
    """The sharing decision, with a preview of exactly what each destination would receive;
    "Preview" shows the payloads of the decision as filled in, "Approve" approves."""
    seizure = selectors.seizure_get(user=request.user, pk=pk)
    if not rights.can_review(request.user, seizure):
        raise PermissionDenied(_("Only supervisors of its administration approve a seizure."))
    try:
        workflow.next_status(Step.APPROVE, seizure)
    except TransitionRefused as refused:
        return _refused(request, seizure, refused)
    if request.method == "POST":
        data = request.POST
    else:
        # The administration's defaults, bound so that their preview shows at once.
        defaults = sharing_policy(administration=seizure.administration).default_decision()
        data = {**defaults.as_dict(), "version": seizure.version}
    form = ApproveForm(data)
    valid = form.is_valid()
    decision = form.decision() if valid else None
    status = 200 if valid else 400
    if valid and "approve" in request.POST:
        try:
            approval = services.seizure_approve(
                by=request.user,
                seizure=seizure,
                expected_version=form.cleaned_data["version"],
                decision=decision,
            )
        except ValidationError as error:
            add_service_errors(error, [form])
            status = 400
        except (ConflictError, TransitionRefused, PermissionDenied) as error:
            form.add_error(None, str(error))
            status = 403 if isinstance(error, PermissionDenied) else 409
        else:
            messages.success(
                request,
                _("Seizure %(reference)s is approved (version %(number)d).")
                % {"reference": seizure, "number": approval.number},
            )
            return redirect("seizures:detail", pk=seizure.pk)
    number = selectors.next_approval_number(seizure=seizure)
    previews = (
        selectors.sharing_preview(seizure=seizure, decision=decision, number=number)
        if valid
        else {}
    )
    context = {
        "seizure": seizure,
        "form": form,
        "previews": [(Destination(dest), body.decode()) for dest, body in previews.items()],
        "own_work": rights.is_own_work(request.user, seizure),
        "number": number,
    }
    return render(request, "seizures/approve.html", context, status=status)
