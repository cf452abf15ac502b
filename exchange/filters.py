"""The FilterSets of shared records: the hub's regional records (analysts' page and API)
and a member's received records (the regional records page and API). Both filter the
columns exchange.columns derives from the payload."""

from datetime import timedelta

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ncen.filters import DateInput, NcenFilterSet
from seizures.filters import _start_of
from seizures.models import Code, CodeList

from .columns import INNER_HYPHEN, search_vector
from .models import HandlingCode, Member, ReceivedRecord, RegionalRecord


def _shipped_codes(code_list: str):
    """The shipped entries of a code list, as (code, label): the codes payloads carry. An
    administration's own entries are unknown to the others, so they are not offered."""

    def choices():
        return list(
            Code.objects.filter(list=code_list, administration__isnull=True)
            .order_by("label")
            .values_list("code", "label")
        )

    return choices


class SharedRecordFilterSet(NcenFilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    occurred_from = django_filters.DateFilter(
        label=_("From"), method="filter_from", widget=DateInput
    )
    occurred_to = django_filters.DateFilter(label=_("Until"), method="filter_to", widget=DateInput)
    commodity = django_filters.ChoiceFilter(
        label=_("Commodity"),
        choices=_shipped_codes(CodeList.COMMODITY),
        method="filter_commodity",
        empty_label=_("Any"),
    )
    route_country = django_filters.ChoiceFilter(
        label=_("Route country"),
        choices=lambda: list(countries),
        method="filter_route_country",
        empty_label=_("Any"),
    )
    transport_mode = django_filters.ChoiceFilter(
        label=_("Transport"), choices=_shipped_codes(CodeList.TRANSPORT_MODE), empty_label=_("Any")
    )
    detection_method = django_filters.ChoiceFilter(
        label=_("Detection"),
        choices=_shipped_codes(CodeList.DETECTION_METHOD),
        empty_label=_("Any"),
    )
    handling_code = django_filters.ChoiceFilter(
        label=_("Handling code"), choices=HandlingCode.choices, empty_label=_("Any")
    )

    def filter_text(self, queryset, name, value):
        words = INNER_HYPHEN.sub(" ", value)
        return queryset.alias(document=search_vector()).filter(
            document=SearchQuery(words, config="simple", search_type="websearch")
        )

    def filter_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=_start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=_start_of(value + timedelta(days=1)))

    def filter_commodity(self, queryset, name, value: str):
        # A record's commodities include their groups, so either level matches.
        return queryset.filter(commodity_codes__contains=[value])

    def filter_route_country(self, queryset, name, value: str):
        return queryset.filter(route_countries__contains=[value])


class RegionalRecordFilterSet(SharedRecordFilterSet):
    member = django_filters.ModelChoiceFilter(
        label=_("Member"), queryset=Member.objects.order_by("code"), empty_label=_("Any")
    )

    class Meta:
        model = RegionalRecord
        fields = []


class ReceivedRecordFilterSet(SharedRecordFilterSet):
    member = django_filters.CharFilter(label=_("Member code"), method="filter_member")

    class Meta:
        model = ReceivedRecord
        fields = []

    def filter_member(self, queryset, name, value):
        return queryset.filter(member=value.strip().upper())
