"""Every read of the core goes through these, and they all go through ``visible_to``.

Filtering is the FilterSets' job (ncen.filters), applied on top by the page or the API.
"""

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from .models import AuditEntry, Notification, Office, TaskRun, User


def user_list(*, user: User) -> QuerySet[User]:
    return (
        User.objects.visible_to(user)
        .with_list_relations()
        .annotate(last_used=Coalesce("last_login", "date_joined"))
    )


def user_get(*, user: User, pk: int) -> User:
    """The user ``pk`` if ``user`` may see it; 404 otherwise, never 403, so that ids of other
    administrations' users are not confirmed."""
    return get_object_or_404(user_list(user=user), pk=pk)


def office_choices(*, user: User) -> QuerySet[Office]:
    return Office.objects.filter(administration_id=user.administration_id, is_active=True)


def audit_entry_list(*, user: User) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.visible_to(user)


def task_run_list(*, user: User) -> QuerySet[TaskRun]:
    return TaskRun.objects.visible_to(user).select_related("requested_by")


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.visible_to(user).select_related("actor")


def unread_notification_count(*, user: User) -> int:
    return Notification.objects.visible_to(user).filter(read_at__isnull=True).count()
