"""One error format for the whole API:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

``fields`` is present when the error concerns particular inputs.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from ..exceptions import ConflictError, TransitionRefused


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


class NotAllowedNow(Conflict):
    """The record's status does not allow the step asked for."""

    default_code = "transition_refused"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; it is the same bad input to the API.
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ConflictError):
        exc = Conflict(str(exc))
    elif isinstance(exc, TransitionRefused):
        exc = NotAllowedNow(str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    body = {"status": response.status_code, "code": _code(exc)}
    if isinstance(detail, dict) and "detail" not in detail:
        body["message"] = _("Some of the input is not valid.")
        body["fields"] = detail
    elif isinstance(detail, list):
        body["message"] = " ".join(str(item) for item in detail)
    else:
        body["message"] = (
            str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        )
    response.data = {"error": body}
    return response


def _code(exc) -> str:
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            return codes
        return exc.default_code
    return "error"
