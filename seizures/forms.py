"""Forms of the browser: the simplified form, the full form's sections and its rows.

They only parse and present; the services validate the record as a whole and save it.
"""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.forms import SharingDecisionForm
from ncen.forms import country_field
from ncen.models import Office

from .models import Attachment, Code, CodeList, Item

TRANSIT_SLOTS = 3


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Code) -> str:
        return str(obj)


class CommodityChoiceField(forms.ModelChoiceField):
    """Commodities listed under their group (Drugs: cannabis, cocaine ...)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Code.objects.none(), **kwargs)

    def _get_choices(self):
        groups: dict[int, tuple[str, list]] = {}
        for code in self.queryset.select_related("parent"):
            if code.parent_id is None:
                continue
            groups.setdefault(code.parent_id, (str(code.parent), []))[1].append(
                (code.pk, str(code))
            )
        return [("", self.empty_label or "---------"), *groups.values()]

    choices = property(_get_choices, forms.ModelChoiceField.choices.fset)


class CodesMixin:
    """Limit every code-list field to what the user's administration may use, keeping the
    entries the record already uses even if they were retired since."""

    code_fields: dict[str, str] = {}

    def limit_codes(self, user, keeping=()):
        offered = Code.objects.offered_to(user, keeping=keeping)
        for name, code_list in self.code_fields.items():
            self.fields[name].queryset = offered.filter(list=code_list).order_by(
                "sort_order", "label"
            )


class CircumstancesForm(CodesMixin, forms.Form):
    code_fields = {
        "location_type": CodeList.LOCATION_TYPE,
        "procedure": CodeList.CUSTOMS_PROCEDURE,
        "detection_method": CodeList.DETECTION_METHOD,
        "transport_mode": CodeList.TRANSPORT_MODE,
        "concealment_method": CodeList.CONCEALMENT_METHOD,
    }

    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    location_type = CodeChoiceField(
        label=_("Location type"), queryset=Code.objects.none(), required=False
    )
    procedure = CodeChoiceField(
        label=_("Customs procedure"), queryset=Code.objects.none(), required=False
    )
    detection_method = CodeChoiceField(
        label=_("Detection method"), queryset=Code.objects.none(), required=False
    )
    transport_mode = CodeChoiceField(
        label=_("Transport mode"), queryset=Code.objects.none(), required=False
    )
    concealment_method = CodeChoiceField(
        label=_("Concealment"), queryset=Code.objects.none(), required=False
    )

    def __init__(self, *args, user, offices, keeping=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["occurred_at"].widget.attrs["max"] = timezone.localtime().strftime(
            "%Y-%m-%dT%H:%M"
        )
        self.limit_codes(user, keeping)


class RouteForm(forms.Form):
    origin_country = country_field(_("Country of origin"))
    departure_country = country_field(_("Country of departure"))
    destination_country = country_field(_("Country of destination"))
    flight_number = forms.CharField(label=_("Flight number"), max_length=16, required=False)
    vessel_name = forms.CharField(label=_("Vessel name"), max_length=120, required=False)
    vessel_imo = forms.RegexField(
        label=_("Vessel IMO number"),
        regex=r"^\d{7}$",
        required=False,
        error_messages={"invalid": _("An IMO number has seven digits.")},
    )
    container_number = forms.RegexField(
        label=_("Container number"),
        regex=r"^[A-Za-z]{4}\d{7}$",
        required=False,
        error_messages={"invalid": _("A container number is four letters and seven digits.")},
    )
    vehicle_registration = forms.CharField(
        label=_("Vehicle registration"), max_length=20, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, TRANSIT_SLOTS + 1):
            self.fields[f"transit_{slot}"] = country_field(
                _("Transit country %(number)d") % {"number": slot}
            )

    def clean_container_number(self):
        return self.cleaned_data["container_number"].upper()

    def route_values(self) -> dict:
        data = dict(self.cleaned_data)
        transit = [data.pop(f"transit_{slot}") for slot in range(1, TRANSIT_SLOTS + 1)]
        data["transit_countries"] = [country for country in transit if country]
        return data

    @staticmethod
    def initial_from(seizure) -> dict:
        initial = {
            name: getattr(seizure, name)
            for name in (
                "flight_number",
                "vessel_name",
                "vessel_imo",
                "container_number",
                "vehicle_registration",
            )
        }
        for name in ("origin_country", "departure_country", "destination_country"):
            initial[name] = getattr(seizure, name).code
        for slot, country in enumerate(seizure.transit_countries[:TRANSIT_SLOTS], start=1):
            initial[f"transit_{slot}"] = country
        return initial


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narrative and modus operandi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ItemForm(CodesMixin, forms.Form):
    code_fields = {"commodity": CodeList.COMMODITY, "unit": CodeList.UNIT}

    commodity = CommodityChoiceField(
        label=_("Commodity"), widget=forms.Select(attrs={"data-searchable": ""})
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=3)
    unit = CodeChoiceField(label=_("Unit"), queryset=Code.objects.none())
    estimated_value = forms.DecimalField(
        label=_("Estimated value"), max_digits=16, decimal_places=2, required=False, min_value=0
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    species = forms.CharField(label=_("Species"), max_length=200, required=False)
    cites_appendix = forms.ChoiceField(
        label=_("CITES appendix"),
        choices=[("", _("—")), *Item.CitesAppendix.choices],
        required=False,
    )

    def __init__(self, *args, user, keeping=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_codes(user, keeping)

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()


class OffenceForm(CodesMixin, forms.Form):
    code_fields = {"offence_type": CodeList.OFFENCE_TYPE, "status": CodeList.OFFENCE_STATUS}

    legal_provision = forms.CharField(label=_("Legal provision"), max_length=300)
    offence_type = CodeChoiceField(label=_("Offence type"), queryset=Code.objects.none())
    status = CodeChoiceField(label=_("Status"), queryset=Code.objects.none())
    penalty_amount = forms.DecimalField(
        label=_("Penalty or fine"), max_digits=16, decimal_places=2, required=False, min_value=0
    )
    penalty_currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
    committed_on = forms.DateField(
        label=_("Committed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, keeping=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_codes(user, keeping)

    def clean_penalty_currency(self):
        return self.cleaned_data["penalty_currency"].upper()


class BaseRowFormSet(forms.BaseFormSet):
    """Rows that the user may add and remove. Existing rows are kept unless their "Delete"
    box is ticked; a blank new row is ignored."""

    def kept_forms(self) -> list[forms.Form]:
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]

    def rows(self) -> list[dict]:
        return [
            {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            for form in self.kept_forms()
        ]


ItemFormSet = formset_factory(ItemForm, formset=BaseRowFormSet, extra=1, can_delete=True)
OffenceFormSet = formset_factory(OffenceForm, formset=BaseRowFormSet, extra=0, can_delete=True)


class SimplifiedForm(CodesMixin, forms.Form):
    """The minimum a statistic needs, on one page: an officer records it in two minutes."""

    code_fields = {
        "commodity": CodeList.COMMODITY,
        "unit": CodeList.UNIT,
        "detection_method": CodeList.DETECTION_METHOD,
        "transport_mode": CodeList.TRANSPORT_MODE,
    }

    occurred_at = CircumstancesForm.base_fields["occurred_at"]
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    commodity = CommodityChoiceField(
        label=_("Commodity"), widget=forms.Select(attrs={"data-searchable": ""})
    )
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=3)
    unit = CodeChoiceField(label=_("Unit"), queryset=Code.objects.none())
    detection_method = CodeChoiceField(label=_("Detection method"), queryset=Code.objects.none())
    transport_mode = CodeChoiceField(label=_("Transport mode"), queryset=Code.objects.none())
    origin_country = country_field(_("Country of origin"))
    departure_country = country_field(_("Country of departure"))
    destination_country = country_field(_("Country of destination"))

    def __init__(self, *args, user, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        if user.office_id:
            self.fields["office"].initial = user.office_id
        self.limit_codes(user)

    def seizure_values(self) -> dict:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "occurred_at",
                "office",
                "detection_method",
                "transport_mode",
                "origin_country",
                "departure_country",
                "destination_country",
            )
        }
        return values

    def item(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("commodity", "quantity", "unit")}


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("File"))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class CodeForm(forms.Form):
    label = forms.CharField(label=_("Label (English)"), max_length=200)
    label_fr = forms.CharField(label=_("Label (French)"), max_length=200, required=False)


class CodeAddForm(CodeForm):
    code_list = forms.ChoiceField(label=_("List"), choices=CodeList.choices)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short, stable identifier: lower-case letters, digits and underscores."),
    )
    parent = forms.ModelChoiceField(
        label=_("Group (commodities only)"), queryset=Code.objects.none(), required=False
    )

    field_order = ["code_list", "code", "label", "label_fr", "parent"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Code.objects.offered_to(user).filter(
            list=CodeList.COMMODITY, parent__isnull=True
        )


class CodeEditForm(CodeForm):
    is_retired = forms.BooleanField(
        label=_("Retired"),
        required=False,
        help_text=_("No longer offered for new records; records that use it keep it."),
    )


class ReturnForm(forms.Form):
    # Optional here: the service refuses an empty comment with the message the page shows.
    comment = forms.CharField(
        label=_("What should be changed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(SharingDecisionForm):
    """The sharing decision, and the version of the record the supervisor read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
