from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ncen.forms import add_service_errors
from ncen.views.access import administrator_required

from . import hub, selectors, services
from .forms import MemberChangeForm, MemberForm, SharingPolicyForm
from .models import Member


@administrator_required
def policy_edit(request):
    """The administration's sharing policy: what nominal data may go to the regional
    exchange, and the decision supervisors start from when they approve."""
    policy = selectors.sharing_policy(administration=request.user.administration)
    form = SharingPolicyForm(request.POST or None, initial=SharingPolicyForm.initial_from(policy))
    if form.is_valid():
        try:
            services.sharing_policy_update(
                by=request.user,
                regional_fields=form.cleaned_data["regional_fields"],
                decision=form.decision(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sharing policy is saved."))
            return redirect("exchange:policy")
    status = 400 if form.is_bound else 200
    return render(request, "exchange/policy.html", {"form": form, "policy": policy}, status=status)


# --- National side: the outbox ------------------------------------------------------------------


@administrator_required
def overview(request):
    """The administration's outbox: what waits, what failed and why, and when the hub last
    answered."""
    context = selectors.exchange_overview(user=request.user)
    return render(request, "exchange/overview.html", context)


@require_POST
@administrator_required
def retry_now(request):
    count = services.outbox_retry_now(by=request.user)
    messages.success(request, _("%(count)d queued entries will be sent now.") % {"count": count})
    return redirect("exchange:overview")


# --- Hub side ----------------------------------------------------------------------------------


@csrf_exempt
def hub_batches(request):
    """Where members POST their signed batches (docs/exchange-protocol.md). Exists on hubs
    only; authenticated by the batch's signature, not by a session."""
    if not settings.NCEN_HUB:
        raise Http404
    if request.method != "POST":
        return JsonResponse(
            {"error": "method_not_allowed", "reason": "POST a signed batch."}, status=405
        )
    # Read the stream directly: request.body would stop at DATA_UPLOAD_MAX_MEMORY_SIZE, a
    # limit for forms, not for batches, which have their own (NCEN_HUB_MAX_BATCH_BYTES).
    body = request.read(settings.NCEN_HUB_MAX_BATCH_BYTES + 1)
    try:
        answer = hub.receive(
            body=body,
            member_code=request.headers.get("X-NCEN-Member", ""),
            signature=request.headers.get("X-NCEN-Signature", ""),
        )
    except hub.Refusal as refusal:
        return JsonResponse(
            {"error": refusal.error, "reason": refusal.reason}, status=refusal.status
        )
    return JsonResponse(answer)


def hub_administrator_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.NCEN_HUB:
            raise Http404
        user = request.user
        if not (user.is_administrator and user.administration.is_hub):
            raise PermissionDenied(_("Only the hub's administrators manage its members."))
        return view(request, *args, **kwargs)

    return wrapper


@hub_administrator_required
def member_list(request):
    """The hub's registry of member administrations, with a form to register one."""
    form = MemberForm(request.POST or None)
    if form.is_valid():
        try:
            member = services.member_register(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(member)s is registered.") % {"member": member})
            return redirect("exchange:members")
    status = 400 if form.is_bound else 200
    context = {"members": selectors.member_list(), "form": form}
    return render(request, "exchange/members.html", context, status=status)


@hub_administrator_required
def member_edit(request, pk: int):
    member = get_object_or_404(Member, pk=pk)
    form = MemberChangeForm(
        request.POST or None,
        initial={
            "name": member.name,
            "public_key": member.public_key,
            "is_active": member.is_active,
        },
    )
    if form.is_valid():
        try:
            services.member_update(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(member)s is saved.") % {"member": member})
            return redirect("exchange:members")
    status = 400 if form.is_bound else 200
    return render(
        request, "exchange/member_edit.html", {"member": member, "form": form}, status=status
    )
