"""The one FilterSet of seizures: the list page, the API and the exports all use it."""

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ncen.filters import DateInput, NcenFilterSet
from ncen.models import Office

from .models import Code, CodeList, Seizure

# websearch_to_tsquery turns a hyphenated word ("vacuum-sealed") into a phrase of the word
# and its parts, which PostgreSQL estimates as if the three were independent: a handful of
# rows where thousands match. It then reads and sorts every match (130-210 ms at a million
# seizures) instead of walking the newest until it has a page (2 ms). Requiring the parts
# finds the same records, since the parts are indexed wherever the word is.
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def start_of(day) -> datetime:
    """Midnight of ``day`` in the active (administration's) time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


@extend_schema_field(OpenApiTypes.INT)
class CodeFilter(django_filters.ModelChoiceFilter):
    def __init__(self, code_list: str, **kwargs):
        self.code_list = code_list
        super().__init__(queryset=Code.objects.none(), empty_label=_("Any"), **kwargs)


class StableOrderingFilter(django_filters.OrderingFilter):
    """A sort on the date alone leaves seizures of the same minute in any order, which lets a
    row move from one page to the next between two requests: the id breaks ties."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-pk")
        return qs


class SeizureFilterSet(NcenFilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    occurred_from = django_filters.DateFilter(
        label=_("From"), method="filter_from", widget=DateInput
    )
    occurred_to = django_filters.DateFilter(label=_("Until"), method="filter_to", widget=DateInput)
    office = django_filters.ModelChoiceFilter(
        label=_("Office"), queryset=Office.objects.none(), empty_label=_("Any")
    )
    commodity = CodeFilter(CodeList.COMMODITY, label=_("Commodity"), method="filter_commodity")
    detection_method = CodeFilter(CodeList.DETECTION_METHOD, label=_("Detection"))
    concealment_method = CodeFilter(CodeList.CONCEALMENT_METHOD, label=_("Concealment"))
    transport_mode = CodeFilter(CodeList.TRANSPORT_MODE, label=_("Transport"))
    route_country = django_filters.ChoiceFilter(
        label=_("Route country"),
        choices=lambda: list(countries),
        method="filter_route_country",
        empty_label=_("Any"),
    )
    origin_country = django_filters.ChoiceFilter(
        label=_("Country of origin"), choices=lambda: list(countries), empty_label=_("Any")
    )
    destination_country = django_filters.ChoiceFilter(
        label=_("Country of destination"), choices=lambda: list(countries), empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Seizure.Status.choices, empty_label=_("Any")
    )
    imported = django_filters.UUIDFilter(
        label=_("Spreadsheet import"),
        method="filter_imported",
        widget=forms.HiddenInput,
        help_text=_("The id of an import you may follow: the seizures it created."),
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("occurred_at", "occurred_at"),
            ("reference", "reference"),
            ("created_at", "created_at"),
            ("updated_at", "updated_at"),
        ),
        field_labels={
            "occurred_at": _("Date"),
            "reference": _("Reference"),
            "created_at": _("Recorded"),
            "updated_at": _("Last changed"),
        },
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Seizure
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request_user
        if user is not None and user.is_authenticated:
            self.filters["office"].queryset = Office.objects.filter(
                administration_id=user.administration_id
            )
            codes = Code.objects.visible_to(user)
            for filter_ in self.filters.values():
                if isinstance(filter_, CodeFilter):
                    filter_.queryset = codes.filter(list=filter_.code_list)

    def filter_text(self, queryset, name, value):
        words = _INNER_HYPHEN.sub(" ", value)
        return queryset.filter(
            search_vector=SearchQuery(words, config="simple", search_type="websearch")
        )

    def filter_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=start_of(value + timedelta(days=1)))

    def filter_imported(self, queryset, name, value):
        from .imports import import_runs

        run = import_runs(user=self.request_user).filter(pk=value).values("result").first()
        return queryset.filter(pk__in=((run or {}).get("result") or {}).get("seizures", []))

    def filter_commodity(self, queryset, name, value):
        # Items of a sub-commodity carry their group too, so either level matches.
        return queryset.filter(commodity_ids__contains=[value.pk])

    def filter_route_country(self, queryset, name, value: str):
        return queryset.filter(route_countries__contains=[value])
