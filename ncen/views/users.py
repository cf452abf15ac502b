"""Administrators manage the users of their own administration."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..filters import UserFilterSet
from ..forms import DeactivateForm, UserForm, UserInviteForm
from .access import administrator_required, site_url

PAGE_SIZE = 50


@administrator_required
def user_list(request):
    filterset = UserFilterSet(
        request.GET or None, queryset=selectors.user_list(user=request.user), request=request
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ncen/users/list.html", {"filterset": filterset, "page": page})


@administrator_required
def user_invite(request):
    form = UserInviteForm(request.POST or None, offices=selectors.office_choices(user=request.user))
    if form.is_valid():
        try:
            user = services.user_invite(
                by=request.user, site_url=site_url(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(username)s was created and e-mailed a link to set a password.")
                % {"username": user.username},
            )
            return redirect("ncen:user_detail", pk=user.pk)
    return render(request, "ncen/users/invite.html", {"form": form})


@administrator_required
def user_detail(request, pk: int):
    """The user's details, with the form to change them and the account actions."""
    user = selectors.user_get(user=request.user, pk=pk)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "office": user.office_id,
    }
    form = UserForm(
        request.POST or None, initial=initial, offices=selectors.office_choices(user=request.user)
    )
    if form.is_valid():
        try:
            services.user_update(by=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("ncen:user_detail", pk=user.pk)
    context = {
        "managed": user,
        "form": form,
        "deactivate_form": DeactivateForm(),
        "due": services.deactivation_due(last_used=user.last_used) if user.is_active else None,
    }
    return render(request, "ncen/users/detail.html", context)


@administrator_required
@require_POST
def user_deactivate(request, pk: int):
    user = selectors.user_get(user=request.user, pk=pk)
    try:
        services.user_deactivate(by=request.user, user=user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(username)s is deactivated.") % {"username": user.username})
    return redirect("ncen:user_detail", pk=user.pk)


@administrator_required
@require_POST
def user_reactivate(request, pk: int):
    user = services.user_reactivate(
        by=request.user, user=selectors.user_get(user=request.user, pk=pk)
    )
    messages.success(request, _("%(username)s is active again.") % {"username": user.username})
    return redirect("ncen:user_detail", pk=user.pk)


@administrator_required
@require_POST
def user_password_reset(request, pk: int):
    user = selectors.user_get(user=request.user, pk=pk)
    try:
        services.user_password_reset(by=request.user, user=user, site_url=site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(username)s's password is voided and a link to set a new one was e-mailed.")
            % {"username": user.username},
        )
    return redirect("ncen:user_detail", pk=user.pk)
