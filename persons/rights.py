"""Who may do what with nominal records. Which rows a user sees is querysets.visible_to's job."""

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
