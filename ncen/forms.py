from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .middleware import client_address
from .models import Office, Role, User


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message on its field, or above the form
    when the field is not one of the form's."""
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


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
