from django.utils.functional import SimpleLazyObject

from . import selectors


def review_queue(request):
    """The count on the navigation's review link: one query, on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"review_queue_count": SimpleLazyObject(lambda: selectors.review_queue_count(user=user))}
