"""The sharing decision's fields, used where supervisors approve and where administrators
set the defaults. The services validate; the forms parse and present."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    Distribution,
    HandlingCode,
    InformationAccuracy,
    NominalField,
    SharingDecision,
    SharingPolicy,
    SourceReliability,
)


class SharingDecisionForm(forms.Form):
    distribution = forms.ChoiceField(
        label=_("Distribution"), choices=Distribution.choices, widget=forms.RadioSelect
    )
    handling_code = forms.ChoiceField(
        label=_("Handling code"), choices=HandlingCode.choices, widget=forms.RadioSelect
    )
    handling_text = forms.CharField(
        label=_("Other restriction"),
        max_length=300,
        required=False,
        help_text=_("Required when the handling code is “Other restriction”."),
    )
    source_reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=SourceReliability.choices
    )
    information_accuracy = forms.TypedChoiceField(
        label=_("Information accuracy"), choices=InformationAccuracy.choices, coerce=int
    )

    def decision(self) -> SharingDecision:
        data = self.cleaned_data
        return SharingDecision(**{name: data[name] for name in SharingDecisionForm.base_fields})


class SharingPolicyForm(SharingDecisionForm):
    regional_fields = forms.MultipleChoiceField(
        label=_("Nominal data the regional exchange may receive"),
        choices=NominalField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Records shared regionally carry these beside the non-nominal record. Global "
            "sharing never carries nominal data."
        ),
    )
    field_order = ["regional_fields"]

    @staticmethod
    def initial_from(policy: SharingPolicy) -> dict:
        return {**policy.default_decision().as_dict(), "regional_fields": policy.regional_fields}


class MemberForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=3, help_text=_("The code the member's records carry, e.g. FJ.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    public_key = forms.CharField(
        label=_("Public key"),
        max_length=100,
        help_text=_("The line `manage.py exchange_keys` printed on the member's instance."),
    )


class MemberChangeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    public_key = forms.CharField(label=_("Public key"), max_length=100)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("The hub refuses the batches of an inactive member."),
    )
