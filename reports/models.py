"""Documents produced by workers: one row per report asked for, with the PDF once made."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ncen.models import Administration, TaskRun
from seizures.models import Seizure

from .querysets import ReportQuerySet


class Report(models.Model):
    class Kind(models.TextChoices):
        """What a report is about. Each kind has its template and its inputs in
        reports.documents."""

        SEIZURE = "seizure", _("Seizure report")
        BULLETIN = "bulletin", _("Periodic bulletin")

    # Not a sequence: the id is in the report's links and should not tell how many exist.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="+", editable=False
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=pgettext_lazy("report", "requested by"),
    )
    seizure = models.ForeignKey(
        Seizure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seizure"),
    )
    # A bulletin's period and filters: parameters of the seizures' FilterSet, as checked by
    # reports.bulletin.clean_filters; the worker applies them again for the requester.
    filters = models.JSONField(_("filters"), default=dict, blank=True, editable=False)
    # The worker's run: its status and progress are what the report's page shows.
    run = models.OneToOneField(TaskRun, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # Filled by the worker when the PDF is made. Stored under MEDIA_ROOT, which is never
    # served as such: downloads go through a view that checks visibility.
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True, editable=False)
    generated_at = models.DateTimeField(_("made at"), null=True, blank=True, editable=False)
    record_version = models.PositiveIntegerField(_("record version"), null=True, editable=False)
    pages = models.PositiveIntegerField(_("pages"), null=True, editable=False)
    size = models.PositiveBigIntegerField(null=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    includes_nominal = models.BooleanField(_("holds nominal data"), default=False, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="seizure") | Q(seizure__isnull=False),
                name="report_seizure_kind_names_its_seizure",
            ),
            models.CheckConstraint(
                condition=~Q(kind="bulletin")
                | Q(seizure__isnull=True, filters__has_keys=["occurred_from", "occurred_to"]),
                name="report_bulletin_has_a_period",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="report_requester_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
