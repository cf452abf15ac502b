"""The FilterSets of shared records: the hub's regional records (analysts' page and API)
and a member's received records (the regional records page and API). Both filter the
columns exchange.columns derives from the payload."""

from collections import defaultdict
from datetime import timedelta

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.utils.translation import gettext_lazy as _

from ncen.filters import DateInput, NcenFilterSet, country_filter, route_country_filter
from seizures.filters import start_of
from seizures.models import Code, CodeList

from .columns import INNER_HYPHEN, search_vector
from .models import HandlingCode, Member, ReceivedRecord, RegionalRecord


def _shipped_codes(code_list: str):
    """The shipped entries of a code list, as (code, label): the codes payloads carry. An
    administration's own entries are unknown to the others, so they are not offered. (A
    SharedRecordFilterSet reads all its code lists in one query; see CODE_FILTERS.)"""

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
    route_country = route_country_filter()
    origin_country = country_filter(_("Country of origin"))
    destination_country = country_filter(_("Country of destination"))
    transport_mode = django_filters.ChoiceFilter(
        label=_("Transport"), choices=_shipped_codes(CodeList.TRANSPORT_MODE), empty_label=_("Any")
    )
    detection_method = django_filters.ChoiceFilter(
        label=_("Detection"),
        choices=_shipped_codes(CodeList.DETECTION_METHOD),
        empty_label=_("Any"),
    )
    concealment_method = django_filters.ChoiceFilter(
        label=_("Concealment"),
        choices=_shipped_codes(CodeList.CONCEALMENT_METHOD),
        empty_label=_("Any"),
    )
    handling_code = django_filters.ChoiceFilter(
        label=_("Handling code"), choices=HandlingCode.choices, empty_label=_("Any")
    )

    # The filters whose choices are a code list's shipped entries.
    CODE_FILTERS = {
        "commodity": CodeList.COMMODITY,
        "transport_mode": CodeList.TRANSPORT_MODE,
        "detection_method": CodeList.DETECTION_METHOD,
        "concealment_method": CodeList.CONCEALMENT_METHOD,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every code filter's choices in one query, rather than one query each.
        shipped = defaultdict(list)
        for code_list, code, label in (
            Code.objects.filter(list__in=self.CODE_FILTERS.values(), administration__isnull=True)
            .order_by("label")
            .values_list("list", "code", "label")
        ):
            shipped[code_list].append((code, label))
        for name, code_list in self.CODE_FILTERS.items():
            self.filters[name].field.choices = shipped[code_list]

    def filter_text(self, queryset, name, value):
        words = INNER_HYPHEN.sub(" ", value)
        return queryset.alias(document=search_vector()).filter(
            document=SearchQuery(words, config="simple", search_type="websearch")
        )

    def filter_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=start_of(value + timedelta(days=1)))

    def filter_commodity(self, queryset, name, value: str):
        # A record's commodities include their groups, so either level matches.
        return queryset.filter(commodity_codes__contains=[value])


class RegionalRecordFilterSet(SharedRecordFilterSet):
    member = django_filters.ModelChoiceFilter(
        label=_("Member"), queryset=Member.objects.order_by("code"), empty_label=_("Any")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[("current", _("Current")), ("withdrawn", _("Withdrawn"))],
        method="filter_state",
        empty_label=_("Any"),
    )

    class Meta:
        model = RegionalRecord
        fields = []

    def filter_state(self, queryset, name, value):
        return queryset.filter(withdrawn_at__isnull=value == "current")


class CurrentRegionalRecordFilterSet(RegionalRecordFilterSet):
    """The regional dashboard's filters: the list's, over the current records only (its
    links to the list add state=current)."""

    state = None


class ReceivedRecordFilterSet(SharedRecordFilterSet):
    member = django_filters.CharFilter(label=_("Member code"), method="filter_member")

    class Meta:
        model = ReceivedRecord
        fields = []

    def filter_member(self, queryset, name, value):
        return queryset.filter(member=value.strip().upper())
