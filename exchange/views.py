from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ncen.views.access import administrator_required

from . import selectors, services
from .forms import SharingPolicyForm


@administrator_required
def policy_edit(request):
    """The administration's sharing policy: what nominal data may go to the regional
    exchange, and the decision supervisors start from when they approve."""
    policy = selectors.sharing_policy(administration=request.user.administration)
    form = SharingPolicyForm(request.POST or None, initial=SharingPolicyForm.initial_from(policy))
    if form.is_valid():
        try:
            services.sharing_policy_update(
                by=request.user,
                regional_fields=form.cleaned_data["regional_fields"],
                decision=form.decision(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The sharing policy is saved."))
            return redirect("exchange:policy")
    status = 400 if form.is_bound else 200
    return render(request, "exchange/policy.html", {"form": form, "policy": policy}, status=status)
