"""Signing in and out, the second factor, setting a password, and the user's own account."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from .. import services
from ..forms import SecondFactorForm, SignInForm


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class SignInView(auth_views.LoginView):
    template_name = "ncen/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.signin_record_success(user=form.get_user())
        return response


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.signout_record(user=request.user)
        return super().post(request, *args, **kwargs)


@login_required
def second_factor_verify(request):
    next_url = _safe_next(request, reverse("ncen:home"))
    if request.user.is_verified():
        return redirect(next_url)
    if services.second_factor_device(user=request.user) is None:
        return redirect(f"{reverse('ncen:second_factor_enrol')}?next={next_url}")
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.second_factor_verify(
                user=request.user, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            otp_login(request, device)
            return redirect(next_url)
    return render(request, "ncen/second_factor_verify.html", {"form": form, "next": next_url})


@login_required
def second_factor_enrol(request):
    """Show a QR code for an authenticator app and confirm it with a first code.

    Someone who already has a device must verify with it before enrolling a new one, or a
    stolen password alone would be enough to replace the second factor."""
    user = request.user
    if services.second_factor_device(user=user) is not None and not user.is_verified():
        return redirect("ncen:second_factor_verify")
    next_url = _safe_next(request, reverse("ncen:home"))
    device = services.second_factor_enrolment_start(user=user)
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.second_factor_enrolment_confirm(
                user=user, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is enrolled."))
            return redirect(next_url)
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": qr.svg_inline(scale=5, title=_("QR code for your authenticator app")),
        "secret": _spaced_secret(device),
    }
    return render(request, "ncen/second_factor_enrol.html", context)


def _spaced_secret(device) -> str:
    """The base32 key, in groups of four, for typing into an app without a camera."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The page an invitation or reset link opens."""

    template_name = "ncen/password_set.html"
    success_url = reverse_lazy("ncen:login")
    post_reset_login = False

    def form_valid(self, form):
        services.password_set(user=form.user, form=form)
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, _("Your password is set. You can sign in now."))
        return redirect(self.success_url)


@login_required
def account(request):
    context = {
        "has_second_factor": services.second_factor_device(user=request.user) is not None,
        "second_factor_required": settings.NCEN_REQUIRE_SECOND_FACTOR
        and request.user.needs_second_factor,
    }
    return render(request, "ncen/account.html", context)


@login_required
@require_POST
def api_token_rotate(request):
    token = services.api_token_rotate(user=request.user)
    # Shown once, on this response only; the list of tokens is never displayed again.
    return render(request, "ncen/api_token.html", {"token": token.key})
