from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import services
from .middleware import client_address
from .models import Office, Role, User


def add_service_errors(error: ValidationError, forms, rows=None) -> None:
    """Show a service's refusal on the page: each message on the field it names, a key such as
    ``items-0-unit`` on the unit of row 0 of ``rows["items"]`` (the rows as the service
    counted them); what no field claims goes above the first of ``forms``."""
    for key, messages in error.message_dict.items():
        prefix, _sep, rest = key.partition("-")
        index, _sep, name = rest.partition("-")
        row_forms = (rows or {}).get(prefix)
        if row_forms is not None and index.isdigit() and int(index) < len(row_forms):
            row = row_forms[int(index)]
            if name in row.fields:
                row.add_error(name, messages)
                continue
        owner = next((form for form in forms if key in form.fields), None)
        (owner or forms[0]).add_error(key if owner else None, messages)


class CountryChoices(BaseChoiceIterator):
    """Every country, named in the active language when the choices are read (a list made
    once would keep the language of the first request), as a field's choices, after
    ``empty`` (the label of no country) when given. Given as a function, they were checked
    again pair by pair each time they were read (Django normalises what a callable
    returns), which took as long as writing the select of 250 countries."""

    def __init__(self, empty=None):
        self.empty = empty

    def __iter__(self):
        if self.empty is not None:
            yield ("", self.empty)
        yield from countries


def country_field(label) -> forms.ChoiceField:
    """A searchable choice of one country, or none."""
    return forms.ChoiceField(
        label=label,
        choices=CountryChoices(empty=_("—")),
        widget=forms.Select(attrs={"data-searchable": ""}),
        required=False,
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing accounts and addresses with too many recent failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed sign-ins. Wait %(minutes)d minutes, or ask your administrator."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if username and services.signin_is_locked(username=username, ip_address=address):
            services.signin_record_failure(username=username, ip_address=address, locked=True)
            minutes = int(settings.NCEN_SIGNIN_LOCKOUT.total_seconds() // 60)
            raise ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": minutes}
            )
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                services.signin_record_failure(username=username, ip_address=address, locked=False)
            raise


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class UserForm(forms.Form):
    """What an administrator edits on a user; the administration is always their own."""

    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.none(), required=False
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class UserInviteForm(UserForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("The invitation to set a password is sent here.")
    )

    field_order = ["username", "first_name", "last_name", "email", "role", "office"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
        return username


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
