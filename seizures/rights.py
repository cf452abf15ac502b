"""Who may create and edit seizures. Visibility of rows is querysets.visible_to's job."""

from ncen.models import Role

CREATOR_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})


def can_create(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in CREATOR_ROLES


def can_edit(user, seizure) -> bool:
    """Officers edit their own drafts; supervisors any draft of their administration."""
    if not (user.is_authenticated and user.is_active):
        return False
    if seizure.administration_id != user.administration_id or seizure.status != "draft":
        return False
    if user.role == Role.SUPERVISOR:
        return True
    return user.role == Role.OFFICER and seizure.created_by_id == user.pk
