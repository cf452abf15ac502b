"""FilterSets only the API uses; the seizures' own is ``seizures.filters.SeizureFilterSet``."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from ncen.filters import NcenFilterSet

from ..filters import CodeFilter, CodeListsFilterSet
from ..models import Code, CodeList, Offence


class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField


class OffenceFilterSet(CodeListsFilterSet):
    seizure = IdFilter(label=_("Seizure id"), field_name="seizure_id")
    offence_type = CodeFilter(CodeList.OFFENCE_TYPE, label=_("Offence type"))
    status = CodeFilter(CodeList.OFFENCE_STATUS, label=_("Status"))

    class Meta:
        model = Offence
        fields = []


class CodeFilterSet(NcenFilterSet):
    list = django_filters.ChoiceFilter(label=_("List"), choices=CodeList.choices)
    include_retired = django_filters.BooleanFilter(
        label=_("Include retired entries"),
        method="filter_include_retired",
        widget=BooleanWidget,
        help_text=_("Retired entries are left out unless this is true."),
    )

    class Meta:
        model = Code
        fields = []

    def filter_include_retired(self, queryset, name, value):
        # Applied in filter_queryset, which also covers the parameter being absent.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_retired"):
            queryset = queryset.filter(is_retired=False)
        return queryset
