from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from ..middleware import activate_administration_context


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, which also gives the request its administration's time
    zone (and language, unless the client asked for one with Accept-Language): the
    middleware that does so for sessions runs before DRF knows who holds the token, so dates
    in filters would otherwise be read in UTC."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            activate_administration_context(
                request._request,
                result[0],
                language="HTTP_ACCEPT_LANGUAGE" not in request._request.META,
            )
        return result

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__administration").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
