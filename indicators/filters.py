"""FilterSets of the indicator and alert lists of the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ncen.filters import NcenFilterSet

from .models import Alert, Indicator


class IndicatorFilterSet(NcenFilterSet):
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Indicator
        fields = ["is_active"]


class AlertFilterSet(NcenFilterSet):
    unread = django_filters.BooleanFilter(
        label=_("Unread"), field_name="notification__read_at", lookup_expr="isnull"
    )

    class Meta:
        model = Alert
        fields = ["unread"]
