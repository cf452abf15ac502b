"""Who may do what to indicators. Visibility of rows is querysets.visible_to's job."""

from ncen.models import Role

# Those who record seizures watch for them: officers and supervisors.
from seizures.rights import can_create

__all__ = ["can_change", "can_create"]


def can_change(user, indicator) -> bool:
    """Its owner, or a supervisor of its administration, edits or deactivates it."""
    if not can_create(user) or indicator.administration_id != user.administration_id:
        return False
    return user.role == Role.SUPERVISOR or indicator.owner_id == user.pk
