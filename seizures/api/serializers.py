"""Separate input and output serializers for seizures, offences and code lists.

Output serializers read only what the selectors load; input serializers check shapes and
ownership of what is referred to, and leave the rules of a seizure to the services."""

import functools

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exchange.api.serializers import SharingDecisionInput
from exchange.models import Destination
from ncen.api.serializers import OfficeOutput, OwnOfficeField

from ..models import (
    Approval,
    Attachment,
    Code,
    CodeList,
    Item,
    Offence,
    Seizure,
    row_code_label,
)
from ..querysets import CODE_COLUMNS

# --- Output ---------------------------------------------------------------------------------


class CodeRefOutput(serializers.ModelSerializer):
    """The shape of a code-list entry inside a record, as the schema describes it."""

    label = serializers.CharField(source="__str__", help_text="In the active language.")

    class Meta:
        model = Code
        fields = ["id", "code", "label"]


@extend_schema_field(CodeRefOutput)
class CodeRefField(serializers.Field):
    """A code-list entry as CodeRefOutput gives it, built directly: a page of 50 seizures
    holds a few hundred of them, and a nested serializer for each was a third of the time
    the list endpoint spent in Python (bench/app_overhead.py)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, code: Code) -> dict:
        return {"id": code.pk, "code": code.code, "label": str(code)}


class ItemOutput(serializers.ModelSerializer):
    commodity = CodeRefField()
    commodity_group = CodeRefField(source="commodity.parent", allow_null=True)
    unit = CodeRefField()

    class Meta:
        model = Item
        fields = [
            "id",
            "position",
            "commodity",
            "commodity_group",
            "description",
            "quantity",
            "unit",
            "estimated_value",
            "currency",
            "species",
            "cites_appendix",
        ]


class OffenceOutput(serializers.ModelSerializer):
    seizure_reference = serializers.CharField(source="seizure.reference")
    offence_type = CodeRefField()
    status = CodeRefField()

    class Meta:
        model = Offence
        fields = [
            "id",
            "seizure",
            "seizure_reference",
            "legal_provision",
            "offence_type",
            "status",
            "penalty_amount",
            "penalty_currency",
            "committed_on",
            "decided_on",
        ]


class SeizureOffenceOutput(OffenceOutput):
    """An offence inside its seizure, which the reader already has."""

    class Meta(OffenceOutput.Meta):
        fields = [f for f in OffenceOutput.Meta.fields if f not in ("seizure", "seizure_reference")]


class AttachmentOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "caption",
            "uploaded_at",
            "url",
            "thumbnail_url",
        ]

    def get_url(self, attachment) -> str:
        return reverse("api:attachment-file", args=[attachment.pk])

    def get_thumbnail_url(self, attachment) -> str | None:
        if not attachment.thumbnail:
            return None
        return reverse("api:attachment-thumbnail", args=[attachment.pk])


class AttachmentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices)
    file = serializers.FileField()
    caption = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


@extend_schema_field({"type": "string", "nullable": True, "pattern": "^[A-Z]{2}$", "example": "FJ"})
class _CountryOutput(serializers.Field):
    def to_representation(self, value):
        return str(value) or None


class RouteOutput(serializers.Serializer):
    """The route in order; countries as ISO 3166 alpha-2 codes, null when not known."""

    origin = _CountryOutput(source="origin_country")
    departure = _CountryOutput(source="departure_country")
    transit = serializers.ListField(child=serializers.CharField(), source="transit_countries")
    destination = _CountryOutput(source="destination_country")


@functools.cache
def _decimal_formats():
    """The item serializer's quantity and estimated value, each as a function writing a
    decimal as DecimalField.to_representation does. PostgreSQL gives a column's values with
    its scale, which is the field's places: quantizing them to the places they already have
    changes nothing, and costs most of the formatting, so only a value of another scale goes
    through the field."""
    item = ItemOutput().fields

    def format_of(field):
        exponent = -field.decimal_places

        def formatted(value) -> str:
            if value.as_tuple().exponent == exponent:
                return f"{value:f}"
            return field.to_representation(value)

        return formatted

    return tuple(format_of(item[name]) for name in ("quantity", "estimated_value"))


def _moment_format():
    """A date and time as DateTimeField.to_representation writes it (ISO 8601 in the active
    time zone, UTC as Z), with the time zone looked up once for the page. The field itself,
    even given the zone (default_timezone), took 0.54 ms for a page's 150 dates against
    0.23 ms here."""
    zone = timezone.get_current_timezone()

    def formatted(value) -> str:
        text = value.astimezone(zone).isoformat()
        return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text

    return formatted


class SeizureListOutput(serializers.ModelSerializer):
    """A row of the list: what ``with_list_relations`` loads, so that no row costs a query."""

    office = OfficeOutput()
    detection_method = CodeRefField(allow_null=True)
    transport_mode = CodeRefField(allow_null=True)
    concealment_method = CodeRefField(allow_null=True)
    route = RouteOutput(source="*")
    items = ItemOutput(many=True)

    class Meta:
        model = Seizure
        fields = [
            "id",
            "uuid",
            "reference",
            "status",
            "version",
            "occurred_at",
            "office",
            "detection_method",
            "transport_mode",
            "concealment_method",
            "flight_number",
            "vessel_name",
            "vessel_imo",
            "container_number",
            "vehicle_registration",
            "route",
            "narrative",
            "items",
            "created_at",
            "updated_at",
        ]

    @classmethod
    def from_rows(cls, rows: list[dict], items: dict[int, list[dict]]) -> list[dict]:
        """What ``cls(seizures, many=True).data`` gives, built from plain rows
        (``selectors.seizure_list_rows`` and ``seizure_list_items``): the same keys in the
        same order and the same values, without a model instance or a serializer field per
        value, which were most of the list endpoint's time. The serializer stays the
        description of the output (the schema is made from it); a test holds the two equal."""
        language = translation.get_language()
        moment = _moment_format()
        quantity, value = _decimal_formats()

        def code(row: dict, relation: str) -> dict | None:
            label = row_code_label(row, relation, language)
            if label is None:
                return None
            id_key, code_key, _label, _label_fr = CODE_COLUMNS[relation]
            return {"id": row[id_key], "code": row[code_key], "label": label}

        def item(row: dict) -> dict:
            estimated = row["estimated_value"]
            return {
                "id": row["id"],
                "position": row["position"],
                "commodity": code(row, "commodity"),
                "commodity_group": code(row, "commodity__parent"),
                "description": row["description"],
                "quantity": quantity(row["quantity"]),
                "unit": code(row, "unit"),
                "estimated_value": None if estimated is None else value(estimated),
                "currency": row["currency"],
                "species": row["species"],
                "cites_appendix": row["cites_appendix"],
            }

        return [
            {
                "id": row["id"],
                "uuid": str(row["uuid"]),
                "reference": row["reference"],
                "status": row["status"],
                "version": row["version"],
                "occurred_at": moment(row["occurred_at"]),
                "office": {
                    "id": row["office__id"],
                    "name": row["office__name"],
                    "code": row["office__code"],
                    "kind": row["office__kind"],
                },
                "detection_method": code(row, "detection_method"),
                "transport_mode": code(row, "transport_mode"),
                "concealment_method": code(row, "concealment_method"),
                "flight_number": row["flight_number"],
                "vessel_name": row["vessel_name"],
                "vessel_imo": row["vessel_imo"],
                "container_number": row["container_number"],
                "vehicle_registration": row["vehicle_registration"],
                "route": {
                    "origin": row["origin_country"] or None,
                    "departure": row["departure_country"] or None,
                    "transit": list(row["transit_countries"]),
                    "destination": row["destination_country"] or None,
                },
                "narrative": row["narrative"],
                "items": [item(each) for each in items[row["id"]]],
                "created_at": moment(row["created_at"]),
                "updated_at": moment(row["updated_at"]),
            }
            for row in rows
        ]


class ApprovalOutput(serializers.ModelSerializer):
    """An approved version: its number, who approved it when, and the sharing decision."""

    approved_by = serializers.CharField(source="approved_by.username")

    class Meta:
        model = Approval
        fields = [
            "number",
            "record_version",
            "approved_by",
            "approved_at",
            "distribution",
            "handling_code",
            "handling_text",
            "source_reliability",
            "information_accuracy",
        ]


class SeizureOutput(SeizureListOutput):
    """The whole record, as ``with_detail_relations`` loads it."""

    last_approval = ApprovalOutput(
        allow_null=True,
        help_text="The approved version the exchange knows; it stays while an edited version "
        "waits for review, and after a withdrawal.",
    )
    location_type = CodeRefField(allow_null=True)
    procedure = CodeRefField(allow_null=True)
    offences = SeizureOffenceOutput(many=True)
    attachments = AttachmentOutput(many=True)
    created_by = serializers.CharField(source="created_by.username")
    updated_by = serializers.CharField(source="updated_by.username")

    class Meta(SeizureListOutput.Meta):
        fields = [
            "id",
            "uuid",
            "reference",
            "status",
            "version",
            "occurred_at",
            "office",
            "location_type",
            "procedure",
            "detection_method",
            "transport_mode",
            "concealment_method",
            "flight_number",
            "vessel_name",
            "vessel_imo",
            "container_number",
            "vehicle_registration",
            "route",
            "narrative",
            "items",
            "offences",
            "attachments",
            "created_by",
            "created_at",
            "updated_by",
            "updated_at",
            "submitted_at",
            "returned_at",
            "return_comment",
            "last_approval",
            "withdrawn_at",
            "withdrawal_reason",
        ]


class CodeOutput(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", help_text="In the active language.")
    label_en = serializers.CharField(source="label")
    units = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="For a commodity: the units its quantities may be given in (none: those of "
        "its group, or any unit).",
    )
    administration = serializers.PrimaryKeyRelatedField(
        read_only=True,
        help_text="The administration that added the entry; null for the shipped entries.",
    )

    class Meta:
        model = Code
        fields = [
            "id",
            "list",
            "code",
            "label",
            "label_en",
            "label_fr",
            "parent",
            "units",
            "is_retired",
            "administration",
            "sort_order",
        ]


# --- Input ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class CodeField(serializers.PrimaryKeyRelatedField):
    """An entry of one code list, by id, among those offered to the user. When a record is
    edited, the entries it already uses stay valid even if they have been retired since."""

    default_error_messages = {
        "does_not_exist": _(
            "{pk_value} is not a current entry of this list that you may use; see /api/v1/codes/."
        ),
    }

    def __init__(self, code_list: CodeList, **kwargs):
        self.code_list = code_list
        super().__init__(**kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        kept = self.context.get("kept_code_ids", ())
        return Code.objects.offered_to(user, keeping=kept).filter(list=self.code_list)


class SeizureOfficeField(OwnOfficeField):
    default_error_messages = {
        "does_not_exist": _("Choose an office of your administration."),
    }


@extend_schema_field(
    {"type": "string", "pattern": "^[A-Z]{2}$", "example": "FJ", "description": "ISO 3166 alpha-2"}
)
class CountryCodeField(serializers.CharField):
    """An ISO 3166 alpha-2 country code, or blank when not known."""

    default_error_messages = {
        "country": _("{code} is not an ISO 3166 alpha-2 country code."),
    }

    def to_internal_value(self, data):
        value = super().to_internal_value(data).upper()
        if value and value not in countries:
            self.fail("country", code=value)
        return value


class ItemInput(serializers.Serializer):
    commodity = CodeField(CodeList.COMMODITY, help_text="A commodity, not a group.")
    description = serializers.CharField(max_length=500, allow_blank=True, default="")
    quantity = serializers.DecimalField(
        max_digits=16, decimal_places=3, help_text="More than zero."
    )
    unit = CodeField(CodeList.UNIT, help_text="One of the commodity's allowed units.")
    estimated_value = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, allow_null=True, default=None
    )
    currency = serializers.CharField(
        max_length=3, allow_blank=True, default="", help_text="ISO 4217, e.g. FJD."
    )
    species = serializers.CharField(max_length=200, allow_blank=True, default="")
    cites_appendix = serializers.ChoiceField(
        choices=Item.CitesAppendix.choices, allow_blank=True, default=""
    )


class OffenceInput(serializers.Serializer):
    legal_provision = serializers.CharField(max_length=300)
    offence_type = CodeField(CodeList.OFFENCE_TYPE)
    status = CodeField(CodeList.OFFENCE_STATUS)
    penalty_amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, allow_null=True, default=None
    )
    penalty_currency = serializers.CharField(max_length=3, allow_blank=True, default="")
    committed_on = serializers.DateField(allow_null=True, default=None)
    decided_on = serializers.DateField(allow_null=True, default=None)


class SeizureCreateInput(serializers.Serializer):
    """A seizure with its items and, optionally, its offences. Codes are ids of
    /api/v1/codes/; countries are ISO 3166 alpha-2 codes, blank when not known."""

    occurred_at = serializers.DateTimeField()
    office = SeizureOfficeField()
    location_type = CodeField(CodeList.LOCATION_TYPE, allow_null=True, default=None)
    procedure = CodeField(CodeList.CUSTOMS_PROCEDURE, allow_null=True, default=None)
    detection_method = CodeField(CodeList.DETECTION_METHOD, allow_null=True, default=None)
    transport_mode = CodeField(CodeList.TRANSPORT_MODE, allow_null=True, default=None)
    concealment_method = CodeField(CodeList.CONCEALMENT_METHOD, allow_null=True, default=None)
    flight_number = serializers.CharField(max_length=16, allow_blank=True, default="")
    vessel_name = serializers.CharField(max_length=120, allow_blank=True, default="")
    vessel_imo = serializers.CharField(max_length=7, allow_blank=True, default="")
    container_number = serializers.CharField(max_length=11, allow_blank=True, default="")
    vehicle_registration = serializers.CharField(max_length=20, allow_blank=True, default="")
    origin_country = CountryCodeField(allow_blank=True, default="")
    departure_country = CountryCodeField(allow_blank=True, default="")
    transit_countries = serializers.ListField(child=CountryCodeField(), default=list)
    destination_country = CountryCodeField(allow_blank=True, default="")
    narrative = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    items = ItemInput(many=True, allow_empty=False)
    offences = OffenceInput(many=True, required=False)


class SeizureUpdateInput(SeizureCreateInput):
    """The whole record as it should now be (fields left out take their empty value), and
    the version it was read at. ``items`` replace the record's; ``offences``, when given,
    replace the record's, and are kept when left out."""

    version = serializers.IntegerField(
        min_value=1, help_text="The version the client read; 409 if the record moved on."
    )


class ReturnInput(serializers.Serializer):
    comment = serializers.CharField(
        max_length=2000, allow_blank=True, help_text="What the officer should change."
    )


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, allow_blank=True, help_text="Why the approved record is withdrawn."
    )


class ApproveInput(SharingDecisionInput):
    """The sharing decision, and the record's version the supervisor read."""

    version = serializers.IntegerField(
        min_value=1, help_text="The version the supervisor read; 409 if the record moved on."
    )


class PreviewInput(SharingDecisionInput):
    """A destination and a sharing decision. Parts of the decision left out take the
    administration's defaults."""

    destination = serializers.ChoiceField(choices=Destination.choices)
