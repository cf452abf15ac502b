"""Writes of the exchange app: the sharing policy. Also the one check of a sharing decision,
which seizures.services.seizure_approve applies too."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ncen import audit
from ncen.audit import Action

from .models import (
    Distribution,
    HandlingCode,
    InformationAccuracy,
    NominalField,
    SharingDecision,
    SharingPolicy,
    SourceReliability,
)

POLICY_AUDIT_FIELDS = (
    "regional_fields",
    "distribution",
    "handling_code",
    "handling_text",
    "source_reliability",
    "information_accuracy",
)


def validate_decision(decision: SharingDecision) -> None:
    """Every part of a sharing decision given and known; "other" handling explained."""
    errors = {}
    if decision.distribution not in Distribution.values:
        errors["distribution"] = [_("Choose who the record may be shared with.")]
    if decision.handling_code not in HandlingCode.values:
        errors["handling_code"] = [_("Choose a handling code.")]
    elif decision.handling_code == HandlingCode.OTHER and not decision.handling_text.strip():
        errors["handling_text"] = [_("Describe the other restriction.")]
    if decision.source_reliability not in SourceReliability.values:
        errors["source_reliability"] = [_("Grade the source's reliability (A, B, C or X).")]
    if decision.information_accuracy not in InformationAccuracy.values:
        errors["information_accuracy"] = [_("Grade the information's accuracy (1 to 4).")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def sharing_policy_update(
    *, by, regional_fields: list[str], decision: SharingDecision
) -> SharingPolicy:
    """Set what the administration lets go to the regional exchange, and the sharing
    decision its supervisors start from."""
    if not by.is_administrator:
        raise PermissionDenied(_("Only administrators set the sharing policy."))
    unknown = sorted(set(regional_fields) - set(NominalField.values))
    if unknown:
        raise ValidationError(
            {"regional_fields": [_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}]}
        )
    validate_decision(decision)
    policy, _created = SharingPolicy.objects.select_for_update().get_or_create(
        administration=by.administration
    )
    before = audit.snapshot(policy, POLICY_AUDIT_FIELDS)
    policy.regional_fields = sorted(set(regional_fields))
    policy.distribution = decision.distribution
    policy.handling_code = decision.handling_code
    policy.handling_text = decision.handling_text.strip()
    policy.source_reliability = decision.source_reliability
    policy.information_accuracy = decision.information_accuracy
    policy.updated_by = by
    policy.full_clean()
    policy.save()
    after = audit.snapshot(policy, POLICY_AUDIT_FIELDS)
    if after != before:
        audit.record(
            action=Action.SHARING_POLICY_CHANGED,
            actor=by,
            target=policy,
            before=before,
            after=after,
        )
    return policy
