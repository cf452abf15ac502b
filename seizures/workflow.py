"""The approval workflow's steps, listed once. Services apply them to a row locked with
select_for_update; nothing else changes a seizure's status.

    draft ──submit──▶ submitted ──approve──▶ approved ──withdraw──▶ withdrawn
      ▲                   │                     │
      └──────return───────┘                     │
                          ▲                     │
                          └───────revise────────┘   (an approved record was edited)

A record that was approved once stays shared while an edited version is reviewed (submitted)
or corrected (draft): it can be withdrawn from those states too.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy

from ncen.exceptions import TransitionRefused

from .models import Seizure

Status = Seizure.Status


class Step(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    WITHDRAW = "withdraw"
    REVISE = "revise"  # an approved record is edited


# step: (the statuses it starts from, the status it leads to)
TRANSITIONS: dict[Step, tuple[frozenset[str], str]] = {
    Step.SUBMIT: (frozenset({Status.DRAFT}), Status.SUBMITTED),
    Step.RETURN: (frozenset({Status.SUBMITTED}), Status.DRAFT),
    Step.APPROVE: (frozenset({Status.SUBMITTED}), Status.APPROVED),
    Step.WITHDRAW: (
        frozenset({Status.APPROVED, Status.SUBMITTED, Status.DRAFT}),
        Status.WITHDRAWN,
    ),
    Step.REVISE: (frozenset({Status.APPROVED}), Status.SUBMITTED),
}


# Why each step is refused, whole sentences for the translators.
REFUSALS = {
    Step.SUBMIT: gettext_lazy("Seizure %(reference)s is %(status)s: it cannot be submitted now."),
    Step.RETURN: gettext_lazy("Seizure %(reference)s is %(status)s: it cannot be returned now."),
    Step.APPROVE: gettext_lazy("Seizure %(reference)s is %(status)s: it cannot be approved now."),
    Step.WITHDRAW: gettext_lazy("Seizure %(reference)s is %(status)s: it cannot be withdrawn now."),
    Step.REVISE: gettext_lazy("Seizure %(reference)s is %(status)s: it cannot be edited now."),
}


def _shared(seizure: Seizure) -> bool:
    return seizure.last_approval_id is not None


# Conditions beyond the status: only what the exchange knows can be withdrawn.
GUARDS = {Step.WITHDRAW: _shared}


def allowed(step: Step, seizure: Seizure) -> bool:
    guard = GUARDS.get(step)
    return seizure.status in TRANSITIONS[step][0] and (guard is None or guard(seizure))


def next_status(step: Step, seizure: Seizure) -> str:
    """The status ``step`` leads ``seizure`` to, or TransitionRefused saying why not."""
    if not allowed(step, seizure):
        raise TransitionRefused(
            REFUSALS[step]
            % {"reference": seizure.reference, "status": seizure.get_status_display().lower()}
        )
    return TRANSITIONS[step][1]
