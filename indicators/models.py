"""Risk indicators: saved search criteria that watch new records and alert people."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ncen.models import Administration, Notification
from seizures.models import Seizure

from .querysets import AlertQuerySet, HitQuerySet, IndicatorQuerySet


class Indicator(models.Model):
    """Criteria of the seizure search, kept as the search page's query parameters (see
    indicators.criteria), checked against every newly submitted or approved record."""

    administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("administration"),
    )
    name = models.CharField(_("name"), max_length=200)
    rationale = models.TextField(
        _("rationale"), help_text=_("Why records like these deserve attention, in plain words.")
    )
    criteria = models.JSONField(_("criteria"), default=dict)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("recipients")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # When it last started watching: its hit rate counts the records checked since.
    activated_at = models.DateTimeField(_("active since"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("risk indicator")
        verbose_name_plural = _("risk indicators")
        constraints = [
            models.UniqueConstraint(
                "administration", Lower("name"), name="indicator_name_unique_per_administration"
            ),
        ]
        indexes = [
            models.Index(
                fields=["administration"],
                condition=models.Q(is_active=True),
                name="indicator_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorCheck(models.Model):
    """A record was checked against an indicator (the first time counts): the denominator of
    the hit rate."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="checks")
    seizure = models.ForeignKey(Seizure, on_delete=models.CASCADE, related_name="+")
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "seizure"], name="indicator_check_once_per_record"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "checked_at"], name="indicator_check_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.seizure_id} checked against {self.indicator_id}"


class Hit(models.Model):
    """A record matched an indicator. Once per record: a record submitted again or approved
    later does not raise a second alert."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="hits")
    seizure = models.ForeignKey(Seizure, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("matched at"))

    objects = HitQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hit")
        verbose_name_plural = _("hits")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "seizure"], name="indicator_hit_once_per_record"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "-created_at"], name="indicator_hit_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.seizure_id} matched {self.indicator_id}"


class Alert(models.Model):
    """A hit told to one recipient. Its notification carries it to the navigation's badge
    and the e-mail, and holds whether it was read."""

    hit = models.ForeignKey(Hit, on_delete=models.CASCADE, related_name="alerts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="+")

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["hit", "recipient"], name="alert_once_per_recipient"),
        ]
        indexes = [models.Index(fields=["recipient", "-id"], name="alert_list_idx")]

    def __str__(self) -> str:
        return f"{self.hit} for {self.recipient_id}"
