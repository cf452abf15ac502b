"""Who may do what with nominal records. Which rows a user sees is querysets.visible_to's job."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from seizures import rights as seizure_rights


def can_record(user) -> bool:
    """Officers and supervisors record persons, businesses and conveyances and link them to
    cases, as they record seizures."""
    return seizure_rights.can_create(user)


def can_export(user) -> bool:
    """Nominal data leaves the system only at a supervisor's hand."""
    return bool(user.is_authenticated and user.is_active and user.is_supervisor)


def can_judge_duplicates(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_supervisor)


def require_recorder(user) -> None:
    """The refusal, with its reason, for a user who may not record: pages and services
    say it the same way."""
    if not can_record(user):
        raise PermissionDenied(_("Your role does not record suspects, businesses or conveyances."))


def require_judge(user) -> None:
    if not can_judge_duplicates(user):
        raise PermissionDenied(_("Only supervisors judge possible duplicates."))
