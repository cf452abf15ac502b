"""Putting persons, businesses and conveyances into a case: the page that proposes existing
records as the officer types (the list is rendered here too, so the page works without
JavaScript), and removing a link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ncen.exceptions import TransitionRefused
from seizures import selectors as seizure_selectors

from .. import rights, selectors, services
from ..api.serializers import MATCH_INPUTS
from ..forms import LinkForm
from ..models import CaseLink


@login_required
def link_add(request, pk: int, kind: str):
    if kind not in services.LINK_TARGETS:
        raise Http404
    seizure = seizure_selectors.seizure_get(user=request.user, pk=pk)
    rights.require_recorder(request.user)
    form = LinkForm(request.POST or None, seizure=seizure)
    if request.method == "POST" and form.is_valid():
        target_id = request.POST.get(kind, "")
        target = None
        if target_id.isdigit():
            target = get_object_or_404(
                services.LINK_TARGETS[kind].objects.visible_to(request.user), pk=int(target_id)
            )
        if target is None:
            form.add_error(None, _("Choose the record to link."))
        else:
            try:
                services.link_add(
                    by=request.user,
                    seizure=seizure,
                    role=form.cleaned_data["role"],
                    offence=form.cleaned_data["offence"],
                    **{kind: target},
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            except TransitionRefused as refused:
                # Submitted (waiting for its review) or withdrawn: its links stay as they are.
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    _("%(name)s is linked to %(reference)s.")
                    % {"name": target, "reference": seizure.reference},
                )
                return redirect("seizures:detail", pk=seizure.pk)
    query = MATCH_INPUTS[kind](data=request.GET)
    candidates = []
    if any(request.GET.get(name) for name in query.fields) and query.is_valid():
        candidates = selectors.record_match(
            user=request.user, kind=kind, query=query.validated_data
        )
    context = {
        "seizure": seizure,
        "kind": kind,
        "form": form,
        "query": request.GET,
        "query_errors": query.errors if request.GET and not query.is_valid() else {},
        "candidates": candidates,
    }
    return render(request, "persons/link_add.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def link_remove(request, pk: int):
    link = get_object_or_404(CaseLink.objects.visible_to(request.user), pk=pk)
    try:
        services.link_remove(by=request.user, link=link)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The link is removed."))
    return redirect("seizures:detail", pk=link.seizure_id)
