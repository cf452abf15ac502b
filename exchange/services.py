"""Writes of the exchange app: the sharing policy, the outbox's retry and the hub's member
registry. Also the one check of a sharing decision, which seizures.services.seizure_approve
applies too."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ncen import audit
from ncen.audit import Action
from ncen.tasking import enqueue

from .models import (
    Distribution,
    HandlingCode,
    InformationAccuracy,
    Member,
    NominalField,
    OutboxEntry,
    SharingDecision,
    SharingPolicy,
    SourceReliability,
)
from .signing import PublicKeyError, parse_public_key
from .tasks import deliver_outbox

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


# --- The outbox: retry now ---------------------------------------------------------------------


@transaction.atomic
def outbox_retry_now(*, by, administration=None) -> int:
    """Make every queued entry of the administration due now and send them: the
    administrator's "retry now" after the hub came back. Rejected entries stay rejected.
    ``by`` is None when it comes from `manage.py exchange_retry` (all administrations)."""
    if by is not None:
        if not by.is_administrator:
            raise PermissionDenied(_("Only administrators retry the exchange."))
        administration = by.administration
    queued = OutboxEntry.objects.filter(state=OutboxEntry.State.PENDING)
    if administration is not None:
        queued = queued.filter(administration=administration)
    count = queued.update(next_attempt_at=timezone.now())
    audit.record(
        action=Action.EXCHANGE_RETRY_REQUESTED,
        actor=by,
        administration=administration,
        object_type="exchange.outboxentry",
        after={"queued": count},
    )
    enqueue(deliver_outbox, requested_by=by, administration=administration)
    return count


# --- The hub's registry of members --------------------------------------------------------------

MEMBER_AUDIT_FIELDS = ("code", "name", "public_key", "is_active")


def _check_hub_administrator(by) -> None:
    if not settings.NCEN_HUB:
        raise PermissionDenied(_("This instance is not a hub."))
    if by is not None and not (by.is_administrator and by.administration.is_hub):
        raise PermissionDenied(_("Only the hub's administrators manage its members."))


def _clean_member(member) -> None:
    member.code = member.code.strip().upper()
    member.name = member.name.strip()
    member.public_key = member.public_key.strip()
    errors = {}
    try:
        parse_public_key(member.public_key)
    except PublicKeyError as error:
        errors["public_key"] = [
            _("This is not a public key printed by exchange_keys (%(problem)s).")
            % {"problem": error}
        ]
    try:
        member.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def member_register(*, by, code: str, name: str, public_key: str):
    """Register a member administration and the key its batches are signed with. ``by`` is
    None from the command line."""
    _check_hub_administrator(by)
    member = Member(code=code, name=name, public_key=public_key)
    _clean_member(member)
    member.save()
    audit.record(
        action=Action.EXCHANGE_MEMBER_ADDED,
        actor=by,
        target=member,
        after=audit.snapshot(member, MEMBER_AUDIT_FIELDS),
    )
    return member


@transaction.atomic
def member_update(*, by, member, name: str, public_key: str, is_active: bool):
    """Change a member's name or key (a new key replaces the old one at once), or stop
    reading its batches."""
    _check_hub_administrator(by)
    locked = Member.objects.select_for_update().get(pk=member.pk)
    before = audit.snapshot(locked, MEMBER_AUDIT_FIELDS)
    locked.name, locked.public_key, locked.is_active = name, public_key, is_active
    _clean_member(locked)
    locked.save()
    after = audit.snapshot(locked, MEMBER_AUDIT_FIELDS)
    if after != before:
        audit.record(
            action=Action.EXCHANGE_MEMBER_CHANGED,
            actor=by,
            target=locked,
            before=before,
            after=after,
        )
    return locked


@transaction.atomic
def shared_record_viewed(*, by, record) -> None:
    """Note that ``by`` read a shared record (a hub's regional record or a member's received
    one) whose payload names persons or businesses: nominal data is read on a need to know,
    as on a person's page, and the trail shows who did."""
    payload = record.payload or {}
    if payload.get("persons") or payload.get("businesses"):
        audit.record(action=Action.SHARED_NOMINAL_VIEWED, actor=by, target=record)
