"""Possible duplicate persons, judged by supervisors: same (merge), different or unsure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import rights, selectors, services
from ..forms import JudgementForm
from ..models import DuplicatePair

PAGE_SIZE = 20


@login_required
def duplicate_list(request):
    rights.require_judge(request.user)
    page = Paginator(selectors.duplicate_pair_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pairs = [
        {
            "pair": pair,
            "match": selectors.pair_explained(pair=pair),
            "form": JudgementForm(auto_id=f"pair-{pair.pk}-%s"),
        }
        for pair in page
    ]
    return render(request, "persons/duplicates.html", {"page": page, "pairs": pairs})


@login_required
@require_POST
def duplicate_judge(request, pk: int):
    rights.require_judge(request.user)
    pair = selectors.duplicate_pair_get(user=request.user, pk=pk)
    form = JudgementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose same, different or unsure."))
        return redirect("persons:duplicates")
    try:
        services.pair_judge(by=request.user, pair=pair, judgement=form.cleaned_data["judgement"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["judgement"] == DuplicatePair.Judgement.SAME:
            messages.success(request, _("The two records are merged; the merge can be undone."))
            return redirect("persons:person_detail", pk=pair.first_id)
        messages.success(request, _("Your judgement is saved."))
    return redirect("persons:duplicates")


@login_required
@require_POST
def merge_undo(request, pk: int):
    rights.require_judge(request.user)
    merge = selectors.person_merge_get(user=request.user, pk=pk)
    try:
        services.person_merge_undo(by=request.user, merge=merge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The merge is undone: both records are back."))
    return redirect("persons:person_detail", pk=merge.kept_id)
