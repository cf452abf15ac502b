import re
import uuid
import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from . import backends, context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_address(request) -> str | None:
    """The address sign-in lockout and the audit trail record.

    Behind NCEN_TRUSTED_PROXIES reverse proxies, REMOTE_ADDR is the nearest proxy; the client
    is then the entry that many places from the right of X-Forwarded-For, which the proxies
    appended themselves (entries further left are whatever the client claimed).
    """
    proxies = settings.NCEN_TRUSTED_PROXIES
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed one from the proxy) for the audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        id_token = context.request_id.set(request.id)
        ip_token = context.ip_address.set(client_address(request))
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(id_token)
            context.ip_address.reset(ip_token)
        response["X-Request-ID"] = request.id
        return response


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, whose ``request.user`` is read by Django's ``get_user`` while the backend is
    offered the user the session's look-up read with it (ncen.sessions), saving a statement
    on every signed-in request. Django still checks that user against the session's data
    and hash, and ends the session if they do not match."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _session_user(request))


def _session_user(request):
    with backends.offered(request.session.loaded_user):
        return auth_middleware.get_user(request)


class AdministrationContextMiddleware:
    """Show times in the user's administration's time zone and, unless the user picked a
    language, speak the administration's default language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            activate_administration_context(request, request.user)
        else:
            timezone.deactivate()
        return self.get_response(request)


def activate_administration_context(request, user, *, language: bool = True) -> None:
    """Times in the administration's time zone; its language unless the user chose one."""
    administration = user.administration
    timezone.activate(zoneinfo.ZoneInfo(administration.time_zone))
    if language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(administration.default_language)
        request.LANGUAGE_CODE = translation.get_language()


# Paths a supervisor or administrator may reach before the second factor is verified.
_SECOND_FACTOR_EXEMPT_NAMES = (
    "ncen:second_factor_verify",
    "ncen:second_factor_enrol",
    "ncen:logout",
    "set_language",
)


class SecondFactorRequiredMiddleware:
    """Supervisors and administrators reach nothing but the second-factor pages until they
    have verified a TOTP code in this session. API requests get 403 instead of a redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.NCEN_REQUIRE_SECOND_FACTOR
            and user.is_authenticated
            and user.needs_second_factor
            and not user.is_verified()
            and not request.path.startswith(self._exempt_prefixes())
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('ncen:second_factor_verify')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt_prefixes() -> tuple[str, ...]:
        # The API checks the second factor in its permission class (ncen.api.permissions).
        return (
            *(reverse(name) for name in _SECOND_FACTOR_EXEMPT_NAMES),
            "/healthz/",
            "/readyz/",
            "/api/",
        )
