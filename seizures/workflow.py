"""The approval workflow's steps, listed once. Services apply them to a row locked with
select_for_update; nothing else changes a seizure's status.

    draft ──submit──▶ submitted ──approve──▶ approved ──withdraw──▶ withdrawn
      ▲                   │                     │
      └──────return───────┘                     │
                          ▲                     │
                          └───────revise────────┘   (an approved record was edited)
"""

from enum import StrEnum

from django.utils.translation import gettext as _
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
    Step.WITHDRAW: (frozenset({Status.APPROVED}), Status.WITHDRAWN),
    Step.REVISE: (frozenset({Status.APPROVED}), Status.SUBMITTED),
}


def allowed(step: Step, status: str) -> bool:
    return status in TRANSITIONS[step][0]


def next_status(step: Step, seizure: Seizure) -> str:
    """The status ``step`` leads ``seizure`` to, or TransitionRefused saying why not."""
    sources, target = TRANSITIONS[step]
    if seizure.status not in sources:
        raise TransitionRefused(
            _("Seizure %(reference)s is %(status)s: it cannot be %(step)s now.")
            % {
                "reference": seizure.reference,
                "status": seizure.get_status_display().lower(),
                "step": _PAST[step],
            }
        )
    return target


_PAST = {
    Step.SUBMIT: gettext_lazy("submitted"),
    Step.RETURN: gettext_lazy("returned"),
    Step.APPROVE: gettext_lazy("approved"),
    Step.WITHDRAW: gettext_lazy("withdrawn"),
    Step.REVISE: gettext_lazy("edited"),
}
