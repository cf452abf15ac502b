"""Seizures (cases), their items, offences and attachments, and the code lists they use."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ncen.models import Administration, Office

from .querysets import AttachmentQuerySet, CodeQuerySet, OffenceQuerySet, SeizureQuerySet


class CodeList(models.TextChoices):
    COMMODITY = "commodity", _("Commodity")
    UNIT = "unit", _("Unit")
    DETECTION_METHOD = "detection_method", _("Detection method")
    CONCEALMENT_METHOD = "concealment_method", _("Concealment method")
    TRANSPORT_MODE = "transport_mode", _("Transport mode")
    LOCATION_TYPE = "location_type", _("Location type")
    CUSTOMS_PROCEDURE = "customs_procedure", _("Customs procedure")
    OFFENCE_TYPE = "offence_type", _("Offence type")
    OFFENCE_STATUS = "offence_status", _("Offence status")


class Code(models.Model):
    """One entry of a code list. Shipped entries belong to no administration and are shared;
    an administration's own entries are seen only by it. A retired entry is no longer offered
    but stays valid on the records that use it."""

    list = models.CharField(_("list"), max_length=32, choices=CodeList.choices)
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("label (English)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("group"),
    )
    # For a commodity: the units its quantities may be given in (a sub-commodity without
    # any takes its group's).
    units = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="+", verbose_name=_("allowed units")
    )
    administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administration"),
    )
    is_retired = models.BooleanField(_("retired"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering = ["list", "sort_order", "label"]
        verbose_name = _("code")
        verbose_name_plural = _("code lists")
        constraints = [
            models.UniqueConstraint(
                fields=["list", "code", "administration"],
                name="code_unique_per_list_and_administration",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        if translation.get_language() == "fr" and self.label_fr:
            return self.label_fr
        return self.label

    def allowed_unit_ids(self) -> set[int]:
        """Unit ids allowed for this commodity (an empty set allows any unit)."""
        own = {unit.pk for unit in self.units.all()}
        if own or self.parent_id is None:
            return own
        return {unit.pk for unit in self.parent.units.all()}


def _code_field(code_list: CodeList, verbose_name, **kwargs):
    return models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": code_list},
        verbose_name=verbose_name,
        **kwargs,
    )


class Seizure(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="seizures", editable=False
    )
    reference = models.CharField(_("reference"), max_length=32, editable=False)
    reference_year = models.PositiveSmallIntegerField(editable=False)
    reference_number = models.PositiveIntegerField(editable=False)
    occurred_at = models.DateTimeField(_("date and time"))
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="seizures", verbose_name=_("office")
    )
    location_type = _code_field(CodeList.LOCATION_TYPE, _("location type"), null=True, blank=True)
    procedure = _code_field(
        CodeList.CUSTOMS_PROCEDURE, _("customs procedure"), null=True, blank=True
    )
    detection_method = _code_field(
        CodeList.DETECTION_METHOD, _("detection method"), null=True, blank=True
    )
    transport_mode = _code_field(
        CodeList.TRANSPORT_MODE, _("transport mode"), null=True, blank=True
    )
    concealment_method = _code_field(
        CodeList.CONCEALMENT_METHOD, _("concealment method"), null=True, blank=True
    )
    flight_number = models.CharField(_("flight number"), max_length=16, blank=True)
    vessel_name = models.CharField(_("vessel name"), max_length=120, blank=True)
    vessel_imo = models.CharField(_("vessel IMO number"), max_length=7, blank=True)
    container_number = models.CharField(_("container number"), max_length=11, blank=True)
    vehicle_registration = models.CharField(_("vehicle registration"), max_length=20, blank=True)
    origin_country = CountryField(_("country of origin"), blank=True)
    departure_country = CountryField(_("country of departure"), blank=True)
    transit_countries = ArrayField(
        models.CharField(max_length=2),
        verbose_name=_("transit countries"),
        default=list,
        blank=True,
    )
    destination_country = CountryField(_("country of destination"), blank=True)
    narrative = models.TextField(_("narrative and modus operandi"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by the services, for filters that must stay fast at a million records: every
    # country of the route, every commodity of the items with its group, and the text of
    # the narrative, item descriptions and conveyance identifiers.
    route_countries = ArrayField(models.CharField(max_length=2), default=list, editable=False)
    commodity_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SeizureQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("seizure")
        verbose_name_plural = _("seizures")
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "reference"], name="seizure_reference_unique"
            ),
            models.UniqueConstraint(
                fields=["administration", "reference_year", "reference_number"],
                name="seizure_reference_number_unique",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="seizure_version_positive"),
        ]
        indexes = [
            # The arrays ride along so that a capped count of a commodity or route-country
            # filter is an index-only scan: 360 ms to 15 ms (migration 0004).
            models.Index(
                fields=["administration", "-occurred_at", "-id"],
                include=["commodity_ids", "route_countries"],
                name="seizure_list_idx",
            ),
            GinIndex(fields=["route_countries"], name="seizure_route_gin"),
            GinIndex(fields=["commodity_ids"], name="seizure_commodity_gin"),
            GinIndex(fields=["search_vector"], name="seizure_search_gin"),
        ]

    def __str__(self) -> str:
        return self.reference

    def code_ids_in_use(self) -> set[int]:
        """The code-list entries the record, its items and its offences use: it keeps them
        on later saves even once they are retired."""
        ids = {
            self.location_type_id,
            self.procedure_id,
            self.detection_method_id,
            self.transport_mode_id,
            self.concealment_method_id,
        }
        for item in self.items.all():
            ids |= {item.commodity_id, item.unit_id}
        for offence in self.offences.all():
            ids |= {offence.offence_type_id, offence.status_id}
        ids.discard(None)
        return ids

    @property
    def route(self) -> list[str]:
        """The route in order: origin, departure, transit countries, destination."""
        return [
            *(c for c in (self.origin_country.code, self.departure_country.code) if c),
            *self.transit_countries,
            *([self.destination_country.code] if self.destination_country.code else []),
        ]


class ReferenceCounter(models.Model):
    """The last reference number given per administration and year (see services)."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "year"], name="reference_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.administration_id}/{self.year}: {self.last_number}"


class Item(models.Model):
    class CitesAppendix(models.TextChoices):
        I = "I", _("Appendix I")  # noqa: E741 - the appendix's name
        II = "II", _("Appendix II")
        III = "III", _("Appendix III")

    seizure = models.ForeignKey(Seizure, on_delete=models.CASCADE, related_name="items")
    commodity = _code_field(CodeList.COMMODITY, _("commodity"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=16,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = _code_field(CodeList.UNIT, _("unit"))
    estimated_value = models.DecimalField(
        _("estimated value"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    species = models.CharField(_("species"), max_length=200, blank=True)
    cites_appendix = models.CharField(
        _("CITES appendix"), max_length=3, choices=CitesAppendix.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} {self.commodity}"


class Offence(models.Model):
    seizure = models.ForeignKey(Seizure, on_delete=models.CASCADE, related_name="offences")
    legal_provision = models.CharField(_("legal provision"), max_length=300)
    offence_type = _code_field(CodeList.OFFENCE_TYPE, _("offence type"))
    status = _code_field(CodeList.OFFENCE_STATUS, _("status"))
    penalty_amount = models.DecimalField(
        _("penalty or fine"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    penalty_currency = models.CharField(_("currency"), max_length=3, blank=True)
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    objects = OffenceQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("offence")
        verbose_name_plural = _("offences")

    def __str__(self) -> str:
        return f"{self.offence_type}: {self.legal_provision}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    seizure = models.ForeignKey(Seizure, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Stored under MEDIA_ROOT, which is never served as such: downloads go through a view
    # that checks the seizure's visibility.
    file = models.FileField(upload_to="attachments/%Y/%m/")
    thumbnail = models.FileField(upload_to="attachments/thumbnails/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
