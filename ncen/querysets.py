"""The visibility choke point of the core models: every read goes through ``visible_to``.

Each method denies by default: an anonymous or inactive user sees nothing, and a user sees
only rows of their own member administration.
"""

from django.db import models


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _is_administrator(user) -> bool:
    from .models import Role

    return is_active_user(user) and user.role == Role.ADMINISTRATOR


class AdministrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not is_active_user(user):
            return self.none()
        return self.filter(pk=user.administration_id)


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrators see their administration's users; anyone else only themselves."""
        if _is_administrator(user):
            return self.filter(administration_id=user.administration_id)
        if is_active_user(user):
            return self.filter(pk=user.pk)
        return self.none()

    def with_list_relations(self):
        return self.select_related("administration", "office")


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        if _is_administrator(user):
            return self.filter(administration_id=user.administration_id)
        return self.none()


class TaskRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        if _is_administrator(user):
            return self.filter(administration_id=user.administration_id)
        if is_active_user(user):
            return self.filter(requested_by=user)
        return self.none()


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own notifications, and nobody else's, administrators included."""
        if not is_active_user(user):
            return self.none()
        return self.filter(recipient=user)
