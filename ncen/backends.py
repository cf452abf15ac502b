from django.contrib.auth import backends

from .models import User


class ModelBackend(backends.ModelBackend):
    """Django's backend, loading the signed-in user with their administration: every page
    reads it (time zone, language, visibility), so it comes in the same query."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("administration").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
