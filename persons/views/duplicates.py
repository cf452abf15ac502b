"""Possible duplicate persons and businesses, judged by supervisors: same (merge), different
or unsure. ``kind`` ("person" or "business") comes from the URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import rights, selectors, services
from ..forms import JudgementForm

PAGE_SIZE = 20
# The URL names of each kind's queue, judgement and undo.
URL_NAMES = {
    "person": ("persons:duplicates", "persons:duplicate_judge", "persons:person_detail"),
    "business": (
        "persons:business_duplicates",
        "persons:business_duplicate_judge",
        "persons:business_detail",
    ),
}


@login_required
def duplicate_list(request, kind: str):
    rights.require_judge(request.user)
    page = Paginator(
        selectors.duplicate_pair_queue(user=request.user, kind=kind), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    judge = URL_NAMES[kind][1]
    pairs = [
        {
            "pair": pair,
            "records": [pair.first, pair.second],
            "match": selectors.pair_explained(pair=pair),
            "form": JudgementForm(kind=kind, auto_id=f"pair-{pair.pk}-%s"),
            "judge_url": reverse(judge, args=[pair.pk]),
        }
        for pair in page
    ]
    return render(request, "persons/duplicates.html", {"page": page, "pairs": pairs, "kind": kind})


@login_required
@require_POST
def duplicate_judge(request, kind: str, pk: int):
    rights.require_judge(request.user)
    pair = selectors.duplicate_pair_get(user=request.user, kind=kind, pk=pk)
    queue, _judge, detail = URL_NAMES[kind]
    form = JudgementForm(request.POST, kind=kind)
    if not form.is_valid():
        messages.error(request, _("Choose same, different or unsure."))
        return redirect(queue)
    try:
        services.pair_judge(by=request.user, pair=pair, judgement=form.cleaned_data["judgement"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if form.cleaned_data["judgement"] == pair.Judgement.SAME:
            messages.success(request, _("The two records are merged; the merge can be undone."))
            return redirect(detail, pk=pair.first_id)
        messages.success(request, _("Your judgement is saved."))
    return redirect(queue)


@login_required
@require_POST
def merge_undo(request, kind: str, pk: int):
    rights.require_judge(request.user)
    merge = selectors.record_merge_get(user=request.user, kind=kind, pk=pk)
    try:
        services.record_merge_undo(by=request.user, merge=merge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The merge is undone: both records are back."))
    return redirect(URL_NAMES[kind][2], pk=merge.kept_id)
