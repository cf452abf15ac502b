from django import forms
from django.utils.translation import gettext_lazy as _

PERIOD_CHOICES = [("week", _("Week")), ("month", _("Month")), ("year", _("Year"))]
SPLIT_CHOICES = [
    ("commodity", _("Commodity")),
    ("office", _("Office")),
    ("transport_mode", _("Transport mode")),
    ("detection_method", _("Detection method")),
    ("concealment_method", _("Concealment method")),
]
# The hub's regional records are split by the member that shared them, not by office.
REGIONAL_SPLIT_CHOICES = [
    (name, label) if name != "office" else ("member", _("Member")) for name, label in SPLIT_CHOICES
]
DEFAULT_PERIOD, DEFAULT_SPLIT = "month", "commodity"


class ChartForm(forms.Form):
    """How the chart of seizures over time groups them; the filters are the seizures'."""

    period = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, required=False, initial=DEFAULT_PERIOD
    )
    split = forms.ChoiceField(
        label=_("Split by"), choices=SPLIT_CHOICES, required=False, initial=DEFAULT_SPLIT
    )

    def __init__(self, *args, split_choices=SPLIT_CHOICES, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["split"].choices = split_choices

    def choice(self) -> tuple[str, str]:
        """The period and split asked for, or the defaults."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("period") or DEFAULT_PERIOD, data.get("split") or DEFAULT_SPLIT
