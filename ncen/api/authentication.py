from rest_framework import authentication

from ..middleware import activate_administration_context


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, which also gives the request its administration's time
    zone and language: the middleware that does so for sessions runs before DRF knows who
    holds the token, so dates in filters would otherwise be read in UTC."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            activate_administration_context(request._request, result[0])
        return result
