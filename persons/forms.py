"""Forms of the browser for nominal records. They parse and present; the services validate
the record as a whole and save it."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ncen.filters import DateInput
from ncen.forms import CountryChoices, country_field
from seizures.models import Offence

from .models import Business, Conveyance, DuplicatePair, Gender, IdentityDocument, LinkRole


class LinesField(forms.CharField):
    """A list of short texts, one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("One a line."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class PersonForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name as written"),
        max_length=300,
        required=False,
        help_text=_(
            "As on the document or in the report; made from the names below if left empty."
        ),
    )
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    aliases = LinesField(label=_("Aliases and other spellings"))
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1880,
        help_text=_("When only the year is known."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("—")), *Gender.choices], required=False
    )
    nationalities = forms.MultipleChoiceField(
        label=_("Nationalities"),
        choices=CountryChoices(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    phones = LinesField(label=_("Phone numbers"))
    email = forms.EmailField(label=_("E-mail"), required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=200, required=False)
    addresses = LinesField(label=_("Addresses"))
    photo = forms.FileField(label=_("Photo"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def person_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "photo"}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=IdentityDocument.Kind.choices)
    number = forms.CharField(label=_("Number"), max_length=40)
    issuing_country = country_field(_("Issuing country"))
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput)


class _DocumentFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The filled-in documents, in order (empty rows are left out)."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


DocumentFormSet = formset_factory(DocumentForm, formset=_DocumentFormSet, extra=1, can_delete=True)


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    trading_names = LinesField(label=_("Trading names"))
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("—")), *Business.Kind.choices], required=False
    )
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=60, required=False
    )
    registration_country = country_field(_("Country of registration"))
    tax_id = forms.CharField(label=_("Tax or importer identifier"), max_length=60, required=False)
    phones = LinesField(label=_("Phone numbers"))
    email = forms.EmailField(label=_("E-mail"), required=False)
    addresses = LinesField(label=_("Addresses"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConveyanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Conveyance.Kind.choices)
    identifier = forms.CharField(
        label=_("Identifier"),
        max_length=40,
        help_text=Conveyance._meta.get_field("identifier").help_text,
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    flag_country = country_field(_("Flag or registration country"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LinkForm(forms.Form):
    """The part a record played in a case; the record itself is chosen on the page."""

    role = forms.ChoiceField(label=_("Role in the case"), choices=LinkRole.choices)
    offence = forms.ModelChoiceField(
        label=_("Offence"),
        queryset=Offence.objects.none(),
        required=False,
        empty_label=_("The case as a whole"),
    )

    def __init__(self, *args, seizure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence"].queryset = seizure.offences.select_related("offence_type")


class JudgementForm(forms.Form):
    judgement = forms.ChoiceField(label=_("Judgement"), widget=forms.RadioSelect)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        Judgement = DuplicatePair.Judgement
        same, different = {
            "person": (_("Same person: merge"), _("Different persons")),
            "business": (_("Same business: merge"), _("Different businesses")),
        }[kind]
        self.fields["judgement"].choices = [
            (Judgement.SAME, same),
            (Judgement.DIFFERENT, different),
            (Judgement.UNSURE, _("Unsure")),
        ]
