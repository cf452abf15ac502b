"""Every read of indicators, hits and alerts goes through ``visible_to``."""

from datetime import datetime, time, timedelta

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ncen.models import User
from ncen.querysets import is_active_user

from .models import Alert, Hit, Indicator, IndicatorCheck

# The weeks an indicator's page charts.
WEEKS_SHOWN = 12


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(indicator=OuterRef("pk"), **filters)
            .order_by()
            .values("indicator")
            .annotate(n=Count("*"))
            .values("n")
        ),
        0,
    )


def indicator_list(*, user) -> QuerySet[Indicator]:
    """Indicators of the user's administration with their owner, recipients and the counts
    their hit rate is made of."""
    return (
        Indicator.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related(
            Prefetch("recipients", queryset=User.objects.order_by("username")),
        )
        .annotate(checked=_count(IndicatorCheck), hit_count=_count(Hit))
    )


def hit_rate(indicator: Indicator) -> float | None:
    """Hits divided by records checked, of an indicator read through indicator_list; None
    before the first check."""
    return indicator.hit_count / indicator.checked if indicator.checked else None


def indicator_get(*, user, pk: int) -> Indicator:
    """The indicator if ``user`` may see it; 404 otherwise, so that other administrations'
    ids are not confirmed."""
    return get_object_or_404(indicator_list(user=user), pk=pk)


def recipient_choices(*, user) -> QuerySet[User]:
    """Who may receive an indicator's alerts: the active users of the user's administration."""
    if not is_active_user(user):
        return User.objects.none()
    return User.objects.filter(administration_id=user.administration_id, is_active=True)


def latest_hits(*, user, indicator: Indicator) -> QuerySet[Hit]:
    return (
        Hit.objects.visible_to(user)
        .filter(indicator=indicator)
        .select_related("seizure", "seizure__office")
    )


def hits_by_week(*, indicator: Indicator) -> list[dict]:
    """The last WEEKS_SHOWN weeks, oldest first, in the active (administration's) time zone:
    records checked and hits of each, weeks without any included. The caller has already
    seen the indicator."""
    today = timezone.localdate()
    this_week = today - timedelta(days=today.weekday())
    weeks = [this_week - timedelta(weeks=n) for n in range(WEEKS_SHOWN - 1, -1, -1)]
    since = timezone.make_aware(datetime.combine(weeks[0], time.min))
    zone = timezone.get_current_timezone()

    def per_week(queryset, field: str) -> dict:
        return dict(
            queryset.filter(**{f"{field}__gte": since})
            .annotate(week=TruncWeek(field, tzinfo=zone))
            .order_by()
            .values("week")
            .annotate(n=Count("*"))
            .values_list("week", "n")
        )

    checked = per_week(IndicatorCheck.objects.filter(indicator=indicator), "checked_at")
    hits = per_week(Hit.objects.filter(indicator=indicator), "created_at")
    rows = []
    for week in weeks:
        key = timezone.make_aware(datetime.combine(week, time.min))
        rows.append({"week": week, "checked": checked.get(key, 0), "hits": hits.get(key, 0)})
    top = max((row["checked"] for row in rows), default=0)
    for row in rows:
        row["checked_percent"] = round(100 * row["checked"] / top) if top else 0
        row["hits_percent"] = round(100 * row["hits"] / top) if top else 0
    return rows


def alert_list(*, user) -> QuerySet[Alert]:
    return Alert.objects.visible_to(user).select_related(
        "notification", "hit__indicator", "hit__seizure"
    )
