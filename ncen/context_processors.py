from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import selectors


def ncen(request):
    context = {"demo_mode": settings.NCEN_DEMO_MODE, "ncen_hub": settings.NCEN_HUB}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # One query, and only on pages that show the navigation.
        context["unread_notifications"] = SimpleLazyObject(
            lambda: selectors.unread_notification_count(user=user)
        )
    return context
