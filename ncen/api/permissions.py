from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from exchange.querysets import is_regional_analyst


class IsSignedIn(BasePermission):
    """An active user; a supervisor or administrator using a browser session must have
    passed the second factor in that session, as the pages require."""

    message = _("Sign in first; supervisors and administrators also need their second factor.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if (
            settings.NCEN_REQUIRE_SECOND_FACTOR
            and user.needs_second_factor
            and isinstance(request.successful_authenticator, SessionAuthentication)
        ):
            # A token is only handed out on a page behind the second factor.
            return request._request.user.is_verified()
        return True


class IsAdministrator(IsSignedIn):
    message = _("Only administrators may do this.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.is_administrator


class IsRegionalAnalyst(IsSignedIn):
    """The hub's regional analysts, as exchange.regional_views.regional_analyst_required
    lets through; the endpoints do not exist on a member's instance."""

    message = _("Only the hub's regional analysts read the regional records.")

    def has_permission(self, request, view) -> bool:
        if not settings.NCEN_HUB:
            raise NotFound
        return super().has_permission(request, view) and is_regional_analyst(request.user)
