"""Separate input and output serializers for persons, businesses, conveyances, their links
to cases and the match endpoints. Output reads only what the selectors load."""

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from seizures.api.serializers import CountryCodeField
from seizures.models import Offence, Seizure

from ..models import (
    Business,
    CaseLink,
    Conveyance,
    Gender,
    IdentityDocument,
    LinkRole,
    Person,
)

# --- Output ---------------------------------------------------------------------------------


class DocumentOutput(serializers.ModelSerializer):
    issuing_country = serializers.CharField(source="issuing_country.code")

    class Meta:
        model = IdentityDocument
        fields = ["id", "kind", "number", "issuing_country", "issued_on", "expires_on"]


class PersonOutput(serializers.ModelSerializer):
    documents = DocumentOutput(many=True)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "given_names",
            "family_name",
            "aliases",
            "birth_date",
            "birth_year",
            "gender",
            "nationalities",
            "documents",
            "addresses",
            "phones",
            "email",
            "occupation",
            "has_photo",
            "notes",
            "merged_into",
            "created_at",
            "updated_at",
        ]

    def get_has_photo(self, person) -> bool:
        return bool(person.photo)


class BusinessOutput(serializers.ModelSerializer):
    registration_country = serializers.CharField(source="registration_country.code")

    class Meta:
        model = Business
        fields = [
            "id",
            "name",
            "trading_names",
            "kind",
            "registration_number",
            "registration_country",
            "tax_id",
            "addresses",
            "phones",
            "email",
            "notes",
            "created_at",
            "updated_at",
        ]


class ConveyanceOutput(serializers.ModelSerializer):
    flag_country = serializers.CharField(source="flag_country.code")

    class Meta:
        model = Conveyance
        fields = ["id", "kind", "identifier", "name", "flag_country", "notes", "created_at"]


class CaseLinkOutput(serializers.ModelSerializer):
    seizure_reference = serializers.CharField(source="seizure.reference")
    target_name = serializers.CharField(source="target.__str__")

    class Meta:
        model = CaseLink
        fields = [
            "id",
            "seizure",
            "seizure_reference",
            "offence",
            "person",
            "business",
            "conveyance",
            "target_name",
            "role",
            "created_at",
        ]


class CandidateOutput(serializers.Serializer):
    id = serializers.IntegerField(source="record.pk")
    name = serializers.CharField(source="record.__str__")
    score = serializers.IntegerField(help_text="The sum of the parts the reasons name.")
    reasons = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField(help_text="The reasons in one line.")
    birth = serializers.CharField(source="record.birth", required=False)
    url = serializers.CharField(source="record.get_absolute_url")

    def to_representation(self, candidate):
        data = super().to_representation(candidate)
        if not isinstance(candidate.record, Person):
            data.pop("birth", None)
        return data


# --- Input ----------------------------------------------------------------------------------


class PersonMatchInput(serializers.Serializer):
    """What an officer knows of the person: at least a name, a document or a phone."""

    q = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    document = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    birth_year = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1880
    )
    nationality = serializers.ChoiceField(
        choices=list(countries), required=False, allow_blank=True, default=""
    )

    def validate(self, data):
        if not (data["q"].strip() or data["document"].strip() or data["phone"].strip()):
            raise serializers.ValidationError(
                {"q": [_("Give a name, a document number or a phone number.")]}
            )
        return data


class BusinessMatchInput(serializers.Serializer):
    q = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    registration = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )

    def validate(self, data):
        if not (data["q"].strip() or data["registration"].strip()):
            raise serializers.ValidationError(
                {"q": [_("Give a name or a registration or tax number.")]}
            )
        return data


class ConveyanceMatchInput(serializers.Serializer):
    q = serializers.CharField(max_length=40, help_text="The identifier, or its beginning.")


MATCH_INPUTS = {
    "person": PersonMatchInput,
    "business": BusinessMatchInput,
    "conveyance": ConveyanceMatchInput,
}


class DocumentInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IdentityDocument.Kind.choices)
    number = serializers.CharField(max_length=40)
    issuing_country = CountryCodeField(allow_blank=True, default="")
    issued_on = serializers.DateField(allow_null=True, default=None)
    expires_on = serializers.DateField(allow_null=True, default=None)


def _lines(max_length):
    return serializers.ListField(child=serializers.CharField(max_length=max_length), default=list)


class PersonInput(serializers.Serializer):
    """A person as it should be; rules that concern the record as a whole (a birth date in
    the future, a document expiring before it was issued) are the services' and come back
    as 400 with the field named."""

    full_name = serializers.CharField(max_length=300, allow_blank=True, default="")
    given_names = serializers.CharField(max_length=200, allow_blank=True, default="")
    family_name = serializers.CharField(max_length=200, allow_blank=True, default="")
    aliases = _lines(300)
    birth_date = serializers.DateField(allow_null=True, default=None)
    birth_year = serializers.IntegerField(allow_null=True, default=None, min_value=1880)
    gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True, default="")
    nationalities = serializers.ListField(child=CountryCodeField(), default=list)
    documents = DocumentInput(many=True, default=list)
    addresses = _lines(500)
    phones = _lines(40)
    email = serializers.EmailField(allow_blank=True, default="")
    occupation = serializers.CharField(max_length=200, allow_blank=True, default="")
    notes = serializers.CharField(allow_blank=True, default="")


class BusinessInput(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    trading_names = _lines(300)
    kind = serializers.ChoiceField(choices=Business.Kind.choices, allow_blank=True, default="")
    registration_number = serializers.CharField(max_length=60, allow_blank=True, default="")
    registration_country = CountryCodeField(allow_blank=True, default="")
    tax_id = serializers.CharField(max_length=60, allow_blank=True, default="")
    addresses = _lines(500)
    phones = _lines(40)
    email = serializers.EmailField(allow_blank=True, default="")
    notes = serializers.CharField(allow_blank=True, default="")


class ConveyanceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Conveyance.Kind.choices)
    identifier = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200, allow_blank=True, default="")
    flag_country = CountryCodeField(allow_blank=True, default="")
    notes = serializers.CharField(allow_blank=True, default="")


@extend_schema_field(OpenApiTypes.INT)
class _VisibleField(serializers.PrimaryKeyRelatedField):
    """A record of the requesting user's administration, by id."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)


class CaseLinkInput(serializers.Serializer):
    """One of person, business or conveyance, in a seizure of the user's administration."""

    seizure = _VisibleField(Seizure)
    offence = _VisibleField(Offence, allow_null=True, default=None)
    role = serializers.ChoiceField(choices=LinkRole.choices)
    person = _VisibleField(Person, allow_null=True, default=None)
    business = _VisibleField(Business, allow_null=True, default=None)
    conveyance = _VisibleField(Conveyance, allow_null=True, default=None)
