"""Forms of the indicator pages. They only parse and present; the services validate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from seizures.filters import SeizureFilterSet
from seizures.models import Seizure

from .criteria import NOT_CRITERIA, criteria_from_query

CRITERIA_PREFIX = "criteria"


class RecipientsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why records like these deserve attention, in plain words."),
    )
    recipients = RecipientsField(
        label=_("Alert these users"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive indicator checks no new records and alerts nobody."),
    )

    def __init__(self, *args, recipients, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients
        if not editing:
            del self.fields["is_active"]


def criteria_form(data, *, user) -> forms.Form:
    """The seizure search's filters as the indicator's criteria, their names prefixed so
    that they cannot be mistaken for the indicator's own fields. ``data`` holds the prefixed
    names, or is None for empty criteria."""
    filterset = SeizureFilterSet(
        data, queryset=Seizure.objects.none(), request_user=user, prefix=CRITERIA_PREFIX
    )
    form = filterset.form
    for name in NOT_CRITERIA:
        del form.fields[name]
    return form


def criteria_data(criteria: dict) -> dict:
    """Stored or searched criteria as criteria_form's data."""
    return {f"{CRITERIA_PREFIX}-{name}": value for name, value in criteria.items()}


def criteria_from_post(post) -> dict:
    """The criteria a submitted criteria_form holds, empty ones left out."""
    return criteria_from_query(post, prefix=f"{CRITERIA_PREFIX}-")
