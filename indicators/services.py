"""Every write of indicators, and the check of new records against them. Each service
re-checks rights inside its transaction and writes its audit entry there."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ncen import audit
from ncen.audit import Action, Change
from ncen.models import Notification, User
from ncen.services import notifications_mark_read, notify
from ncen.tasking import enqueue
from seizures.models import Seizure

from . import rights
from .criteria import criteria_clean, matching
from .models import Alert, Hit, Indicator, IndicatorCheck

AUDIT_FIELDS = ("name", "rationale", "criteria", "is_active")


def _snapshot(indicator: Indicator) -> dict:
    return {
        **audit.snapshot(indicator, AUDIT_FIELDS),
        "recipients": sorted(user.pk for user in indicator.recipients.all()),
    }


def _clean(*, by, indicator: Indicator | None, name: str, rationale: str, criteria, recipients):
    """The cleaned name, rationale, criteria and recipients, or every problem at once."""
    errors = {}
    name, rationale = name.strip(), rationale.strip()
    if not name:
        errors["name"] = [_("Give the indicator a name.")]
    elif (
        Indicator.objects.filter(administration_id=by.administration_id, name__iexact=name)
        .exclude(pk=getattr(indicator, "pk", None))
        .exists()
    ):
        errors["name"] = [_("Another indicator of your administration has this name.")]
    if not rationale:
        errors["rationale"] = [_("Say why records like these deserve attention.")]
    recipients = list(recipients)
    if not recipients:
        errors["recipients"] = [_("Choose who is alerted.")]
    elif any(
        user.administration_id != by.administration_id or not user.is_active for user in recipients
    ):
        errors["recipients"] = [_("Alerts go to active users of your administration only.")]
    try:
        criteria = criteria_clean(criteria, user=by)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return name, rationale, criteria, recipients


@transaction.atomic
def indicator_create(*, by, name: str, rationale: str, criteria, recipients) -> Indicator:
    """Save criteria of the seizure search as an indicator owned by ``by``, active at once."""
    if not rights.can_create(by):
        raise PermissionDenied(_("Only officers and supervisors create risk indicators."))
    name, rationale, criteria, recipients = _clean(
        by=by,
        indicator=None,
        name=name,
        rationale=rationale,
        criteria=criteria,
        recipients=recipients,
    )
    indicator = Indicator.objects.create(
        administration_id=by.administration_id,
        name=name,
        rationale=rationale,
        criteria=criteria,
        owner=by,
        activated_at=timezone.now(),
    )
    indicator.recipients.set(recipients)
    audit.record(
        action=Action.INDICATOR_CREATED, actor=by, target=indicator, after=_snapshot(indicator)
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, by, indicator: Indicator, name: str, rationale: str, criteria, recipients, is_active: bool
) -> Indicator:
    """Change an indicator, or deactivate or reactivate it. Reactivating starts its hit
    rate's count again from now."""
    locked = Indicator.objects.visible_to(by).select_for_update().filter(pk=indicator.pk).first()
    if locked is None or not rights.can_change(by, locked):
        raise PermissionDenied(_("Only its owner or a supervisor changes this indicator."))
    before = _snapshot(locked)
    name, rationale, criteria, recipients = _clean(
        by=by,
        indicator=locked,
        name=name,
        rationale=rationale,
        criteria=criteria,
        recipients=recipients,
    )
    if is_active and not locked.is_active:
        locked.activated_at = timezone.now()
    locked.name, locked.rationale, locked.criteria = name, rationale, criteria
    locked.is_active = is_active
    locked.save()
    locked.recipients.set(recipients)
    after = _snapshot(locked)
    if before["is_active"] != after["is_active"]:
        action = Action.INDICATOR_REACTIVATED if is_active else Action.INDICATOR_DEACTIVATED
    else:
        action = Action.INDICATOR_UPDATED
    audit.record(action=action, actor=by, target=locked, before=before, after=after)
    return locked


# --- Checking new records ------------------------------------------------------------------


def indicators_check_on_commit(*, by, seizure: Seizure) -> None:
    """Queue the check of a record just submitted or approved by ``by`` against its
    administration's active indicators, once the caller's transaction commits."""
    from .tasks import check_seizure

    if Indicator.objects.filter(
        administration_id=seizure.administration_id, is_active=True
    ).exists():
        enqueue(
            check_seizure,
            administration=by.administration,
            seizure_id=seizure.pk,
            actor_id=by.pk,
        )


@transaction.atomic
def indicators_check(*, seizure_id: int, actor_id: int) -> dict:
    """Check a record against the active indicators of its administration: note each check,
    and for each indicator it matches for the first time, a hit, its audit entry and an
    alert to each recipient (in the app, and e-mailed by a worker). Idempotent: checks of
    one record queue here, and a record matches an indicator once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"indicators:seizure:{seizure_id}"]
        )
    seizure = Seizure.objects.select_related("administration").filter(pk=seizure_id).first()
    if seizure is None:
        return {"skipped": "seizure gone"}
    # The FilterSet offers the choices of its user's administration: the one who submitted
    # or approved the record, who sees it.
    actor = User.objects.filter(
        pk=actor_id, is_active=True, administration_id=seizure.administration_id
    ).first()
    if actor is None:
        return {"skipped": "user gone"}
    indicators = list(
        Indicator.objects.filter(
            administration_id=seizure.administration_id, is_active=True
        ).prefetch_related(
            Prefetch(
                "recipients",
                queryset=User.objects.filter(is_active=True).select_related("administration"),
            )
        )
    )
    with timezone.override(seizure.administration.time_zone):
        matched = matching(indicators, seizure=seizure, user=actor)
    now = timezone.now()
    IndicatorCheck.objects.bulk_create(
        [IndicatorCheck(indicator=i, seizure=seizure, checked_at=now) for i in indicators],
        ignore_conflicts=True,
    )
    earlier = set(
        Hit.objects.filter(seizure=seizure, indicator__in=matched).values_list(
            "indicator_id", flat=True
        )
    )
    hits = Hit.objects.bulk_create(
        [
            Hit(indicator=indicator, seizure=seizure, created_at=now)
            for indicator in matched
            if indicator.pk not in earlier
        ]
    )
    if hits:
        audit.record_many(
            action=Action.INDICATOR_HIT,
            administration=seizure.administration,
            changes=[
                Change(
                    target=hit,
                    after={"indicator": hit.indicator_id, "seizure": seizure.pk},
                )
                for hit in hits
            ],
        )
    for hit in hits:
        _alert(hit=hit, seizure=seizure)
    return {
        "checked": len(indicators),
        "matched": [indicator.pk for indicator in matched],
        "new_hits": [hit.indicator_id for hit in hits],
    }


def _alert(*, hit: Hit, seizure: Seizure) -> None:
    recipients = list(hit.indicator.recipients.all())
    notifications = notify(
        recipients=recipients,
        kind=Notification.Kind.INDICATOR_HIT,
        subject=seizure.reference,
        link=reverse("seizures:detail", args=[seizure.pk]),
        actor=None,
        comment=hit.indicator.name,
    )
    Alert.objects.bulk_create(
        Alert(hit=hit, recipient=notification.recipient, notification=notification)
        for notification in notifications
    )


def alerts_mark_read(*, user, alert_ids=None) -> int:
    """Mark ``user``'s unread alerts as read (those of ``alert_ids``, or all); returns how
    many. The notifications hold the read state, so the navigation's count follows."""
    from .selectors import alert_list

    alerts = alert_list(user=user)
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=alert_ids)
    return notifications_mark_read(user=user, among=alerts.values("notification"))
