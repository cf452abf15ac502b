"""Who may do what to seizures, by role and ownership. Visibility of rows is
querysets.visible_to's job; which step a record's status allows is seizures.workflow's."""

from ncen.models import Role

from .models import Seizure

CREATOR_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
EDITABLE = frozenset({Seizure.Status.DRAFT, Seizure.Status.APPROVED})


def _own_administration(user, seizure) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and seizure.administration_id == user.administration_id
    )


def can_create(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in CREATOR_ROLES


def can_edit(user, seizure) -> bool:
    """Officers edit their own drafts and approved records, supervisors any of their
    administration's. Editing an approved record sends it back for review; a submitted
    record waits for its review, and a withdrawn one is closed."""
    if not _own_administration(user, seizure) or seizure.status not in EDITABLE:
        return False
    if user.role == Role.SUPERVISOR:
        return True
    return user.role == Role.OFFICER and seizure.created_by_id == user.pk


def can_submit(user, seizure) -> bool:
    """Officers submit their own records; supervisors any of their administration's."""
    if not _own_administration(user, seizure):
        return False
    if user.role == Role.SUPERVISOR:
        return True
    return user.role == Role.OFFICER and seizure.created_by_id == user.pk


def can_review(user, seizure) -> bool:
    """Supervisors return, approve and withdraw their administration's records (approving
    also needs four eyes: see is_own_work)."""
    return _own_administration(user, seizure) and user.role == Role.SUPERVISOR


def is_own_work(user, seizure) -> bool:
    """Four eyes: the supervisor entered the record or changed it last."""
    return user.pk in (seizure.created_by_id, seizure.updated_by_id)
