"""Seizures (cases), their items, offences and attachments, and the code lists they use."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from exchange.models import (
    DESTINATIONS,
    Distribution,
    HandlingCode,
    InformationAccuracy,
    SharingDecision,
    SourceReliability,
)
from exchange.payload import PayloadInputs
from ncen.bulk import stored_value
from ncen.models import Administration, Office

from .querysets import (
    CODE_COLUMNS,
    AttachmentQuerySet,
    CodeQuerySet,
    OffenceQuerySet,
    SeizureQuerySet,
)


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
        return code_label(self.label, self.label_fr, translation.get_language())

    def allowed_unit_ids(self) -> set[int]:
        """Unit ids allowed for this commodity (an empty set allows any unit)."""
        own = {unit.pk for unit in self.units.all()}
        if own or self.parent_id is None:
            return own
        return {unit.pk for unit in self.parent.units.all()}


def code_label(label: str, label_fr: str, language: str | None) -> str:
    """A code-list entry's label in ``language``: French where it has one, English otherwise.
    Lists that read codes as plain rows ask the active language once, not for each entry."""
    if language == "fr" and label_fr:
        return label_fr
    return label


def row_code_label(row: dict, relation: str, language: str | None) -> str | None:
    """The label of a plain row's code ``relation`` (read as its CODE_COLUMNS), None when the
    row has none."""
    id_key, _code_key, label_key, label_fr_key = CODE_COLUMNS[relation]
    if row[id_key] is None:
        return None
    return code_label(row[label_key], row[label_fr_key], language)


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
        """The workflow's states; seizures.workflow lists the steps between them."""

        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")

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
    # The workflow (seizures.workflow). approved_by/approved_at are set only while the
    # record is approved; last_approval stays what the exchange knows while a new version
    # waits for review.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, editable=False)
    returned_at = models.DateTimeField(_("returned at"), null=True, editable=False)
    return_comment = models.TextField(
        _("comment of the review"), blank=True, db_default="", editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, editable=False)
    last_approval = models.ForeignKey(
        "Approval",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("last approval"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, editable=False)
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"), blank=True, db_default="", editable=False
    )
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
            # Four eyes, whoever writes the row: an approved record names its approver, who
            # neither entered it nor last changed it; any other record names no approver.
            models.CheckConstraint(
                condition=(
                    Q(status="approved", approved_by__isnull=False, approved_at__isnull=False)
                    & ~Q(approved_by=F("created_by"))
                    & ~Q(approved_by=F("updated_by"))
                )
                | (~Q(status="approved") & Q(approved_by__isnull=True, approved_at__isnull=True)),
                name="seizure_approved_by_another",
            ),
        ]
        indexes = [
            # The arrays ride along so that a capped count of a commodity or route-country
            # filter is an index-only scan: 360 ms to 15 ms (migration 0004).
            models.Index(
                fields=["administration", "-occurred_at", "-id"],
                include=["commodity_ids", "route_countries"],
                name="seizure_list_idx",
            ),
            models.Index(
                fields=["administration", "submitted_at"],
                condition=Q(status="submitted"),
                name="seizure_review_queue_idx",
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
        origin, departure, destination = (
            stored_value(self, self._meta.get_field(name))
            for name in ("origin_country", "departure_country", "destination_country")
        )
        return route_codes(origin, departure, self.transit_countries, destination)


def route_codes(origin: str, departure: str, transit: list[str], destination: str) -> list[str]:
    """A route's country codes in order, leaving out the ends not known (empty codes); for
    ``Seizure.route`` and lists that read seizures as plain rows."""
    return [
        *(c for c in (origin, departure) if c),
        *transit,
        *([destination] if destination else []),
    ]


class Approval(models.Model):
    """One approved version of a seizure, never changed once written (PostgreSQL refuses
    UPDATE and DELETE): who approved it, the sharing decision, and the inputs of its payload
    as they were, so that what was approved can always be shown and sent again exactly."""

    seizure = models.ForeignKey(Seizure, on_delete=models.PROTECT, related_name="approvals")
    number = models.PositiveIntegerField(_("approved version"))
    # Seizure.version when approved: the edit this approval covers.
    record_version = models.PositiveIntegerField(_("record version"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"))
    distribution = models.CharField(_("distribution"), max_length=16, choices=Distribution.choices)
    handling_code = models.CharField(
        _("handling code"), max_length=24, choices=HandlingCode.choices
    )
    handling_text = models.CharField(_("other restriction"), max_length=300, blank=True)
    source_reliability = models.CharField(
        _("source reliability"), max_length=1, choices=SourceReliability.choices
    )
    information_accuracy = models.PositiveSmallIntegerField(
        _("information accuracy"), choices=InformationAccuracy.choices
    )
    # The administration's policy in force at approval: the nominal fields it let go to the
    # regional exchange.
    regional_fields = ArrayField(models.CharField(max_length=32), default=list)
    # seizures.snapshots.payload_record() of the record as approved.
    record = models.JSONField()

    class Meta:
        ordering = ["seizure", "number"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["seizure", "number"], name="approval_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="approval_number_positive"),
            models.CheckConstraint(
                condition=~Q(handling_code=HandlingCode.OTHER) | ~Q(handling_text=""),
                name="approval_other_handling_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seizure_id} v{self.number}"

    @property
    def destinations(self):
        return DESTINATIONS[self.distribution]

    @property
    def decision(self) -> SharingDecision:
        return SharingDecision(
            distribution=self.distribution,
            handling_code=self.handling_code,
            handling_text=self.handling_text,
            source_reliability=self.source_reliability,
            information_accuracy=self.information_accuracy,
        )

    def payload_inputs(self) -> PayloadInputs:
        return PayloadInputs(
            version=self.number,
            record=self.record,
            decision=self.decision,
            regional_fields=frozenset(self.regional_fields),
        )


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
