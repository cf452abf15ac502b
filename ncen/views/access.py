"""Explicit access helpers for the pages. The visibility of rows is the querysets' job;
these decide who may open a page at all."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def administrator_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_administrator:
            raise PermissionDenied(_("Only administrators may open this page."))
        return view(request, *args, **kwargs)

    return wrapper


def site_url(request) -> str:
    """The address users reach this instance at, for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")
