"""Administrators keep their administration's own code-list entries; shipped entries are
shared by every administration and are listed beside them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ncen.views.access import administrator_required

from .. import selectors, services
from ..forms import CodeAddForm, CodeEditForm
from ..models import CodeList


@administrator_required
def code_list(request):
    selected = request.GET.get("list") or CodeList.COMMODITY
    if selected not in CodeList.values:
        selected = CodeList.COMMODITY
    entries = selectors.code_list(user=request.user).filter(list=selected)
    context = {"lists": CodeList.choices, "selected": selected, "entries": entries}
    return render(request, "seizures/codes/list.html", context)


@administrator_required
def code_new(request):
    form = CodeAddForm(
        request.POST or None, user=request.user, initial={"code_list": request.GET.get("list")}
    )
    if form.is_valid():
        try:
            entry = services.code_add(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(label)s is added.") % {"label": entry})
            return redirect(f"{_list_url()}?list={entry.list}")
    return render(request, "seizures/codes/new.html", {"form": form})


@administrator_required
def code_edit(request, pk: int):
    entry = get_object_or_404(selectors.code_list(user=request.user), pk=pk)
    form = CodeEditForm(
        request.POST or None,
        initial={"label": entry.label, "label_fr": entry.label_fr, "is_retired": entry.is_retired},
    )
    editable = entry.administration_id == request.user.administration_id
    if editable and form.is_valid():
        entry = services.code_update(by=request.user, code=entry, **form.cleaned_data)
        messages.success(request, _("%(label)s is saved.") % {"label": entry})
        return redirect(f"{_list_url()}?list={entry.list}")
    context = {"entry": entry, "form": form, "editable": editable}
    status = 403 if request.method == "POST" and not editable else 200
    return render(request, "seizures/codes/edit.html", context, status=status)


def _list_url() -> str:
    return reverse("seizures:codes")
