"""The FilterSets of nominal records, shared by the HTML lists, the API and the exports."""

import django_filters
from django.db.models import Func, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from ncen.filters import NcenFilterSet
from ncen.forms import CountryChoices

from .keys import identifier_key, phone_key
from .models import Business, CaseLink, Conveyance, IdentityDocument, LinkRole, Person


def _name_contains(queryset, value):
    """Names containing ``value``, whatever the case and accents (the trigram index serves
    LIKE too)."""
    return queryset.filter(name_key__contains=Func(Lower(Value(value)), function="ncen_unaccent"))


class PersonFilterSet(NcenFilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    document = django_filters.CharFilter(label=_("Document number"), method="filter_document")
    phone = django_filters.CharFilter(label=_("Phone number"), method="filter_phone")
    nationality = django_filters.ChoiceFilter(
        label=_("Nationality"),
        choices=CountryChoices(),
        method="filter_nationality",
        empty_label=_("Any"),
    )

    class Meta:
        model = Person
        fields = []

    def filter_name(self, queryset, name, value):
        return _name_contains(queryset, value)

    def filter_document(self, queryset, name, value):
        return queryset.filter(
            pk__in=IdentityDocument.objects.filter(number_key=identifier_key(value)).values(
                "person_id"
            )
        )

    def filter_phone(self, queryset, name, value):
        return queryset.filter(phone_keys__contains=[phone_key(value)])

    def filter_nationality(self, queryset, name, value: str):
        return queryset.filter(nationalities__contains=[value])


class BusinessFilterSet(NcenFilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    registration = django_filters.CharFilter(
        label=_("Registration or tax number"), method="filter_registration"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=Business.Kind.choices, empty_label=_("Any")
    )

    class Meta:
        model = Business
        fields = []

    def filter_name(self, queryset, name, value):
        return _name_contains(queryset, value)

    def filter_registration(self, queryset, name, value):
        key = identifier_key(value)
        return queryset.filter(registration_key=key) | queryset.filter(tax_key=key)


class ConveyanceFilterSet(NcenFilterSet):
    q = django_filters.CharFilter(label=_("Identifier"), method="filter_identifier")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Conveyance.Kind.choices, empty_label=_("Any")
    )

    class Meta:
        model = Conveyance
        fields = []

    def filter_identifier(self, queryset, name, value):
        return queryset.filter(identifier_key__startswith=identifier_key(value))


class CaseLinkFilterSet(NcenFilterSet):
    seizure = django_filters.NumberFilter(label=_("Seizure id"), field_name="seizure_id")
    person = django_filters.NumberFilter(label=_("Person id"), field_name="person_id")
    business = django_filters.NumberFilter(label=_("Business id"), field_name="business_id")
    conveyance = django_filters.NumberFilter(label=_("Conveyance id"), field_name="conveyance_id")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=LinkRole.choices)

    class Meta:
        model = CaseLink
        fields = []
