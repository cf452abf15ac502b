"""Pages of risk indicators and of the alerts they raise."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ncen.forms import add_service_errors
from ncen.paginator import CappedPaginator

from . import rights, selectors, services
from .criteria import criteria_clean, criteria_from_query, criteria_lookups, criteria_words
from .forms import IndicatorForm, criteria_data, criteria_form, criteria_from_post

PAGE_SIZE = 50
LATEST_HITS = 20


def _with_words(indicators) -> list:
    codes, offices = criteria_lookups(indicators)
    for indicator in indicators:
        indicator.words = criteria_words(indicator.criteria, codes=codes, offices=offices)
    return indicators


@login_required
def indicator_list(request):
    page = CappedPaginator(selectors.indicator_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_words(list(page.object_list))
    return render(
        request,
        "indicators/list.html",
        {"page": page, "can_create": rights.can_create(request.user)},
    )


def _form_page(request, *, indicator, initial: dict, criteria: dict, saved_message: str):
    """The form of a new (``indicator`` None) or existing indicator. Shown with ``initial``
    and ``criteria``; submitted, it calls the service, and its refusal lands on the forms
    with what was typed kept."""
    user = request.user
    recipients = selectors.recipient_choices(user=user)
    editing = indicator is not None
    if request.method == "POST":
        form = IndicatorForm(request.POST, recipients=recipients, editing=editing)
        criteria_form_ = criteria_form(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            values = {
                "name": data["name"],
                "rationale": data["rationale"],
                "criteria": criteria_from_post(request.POST),
                "recipients": data["recipients"],
            }
            try:
                if editing:
                    saved = services.indicator_update(
                        by=user, indicator=indicator, is_active=data["is_active"], **values
                    )
                else:
                    saved = services.indicator_create(by=user, **values)
            except ValidationError as error:
                add_service_errors(error, [form])
                for message in error.message_dict.get("criteria", []):
                    criteria_form_.add_error(None, message)
            else:
                messages.success(request, saved_message)
                return redirect("indicators:detail", pk=saved.pk)
        status = 400
    else:
        form = IndicatorForm(recipients=recipients, editing=editing, initial=initial)
        criteria_form_ = criteria_form(criteria_data(criteria) if criteria else None, user=user)
        if criteria:
            # Parameters carried from the search that cannot be criteria are said at once.
            try:
                criteria_clean(criteria, user=user)
            except ValidationError as error:
                for message in error.message_dict["criteria"]:
                    criteria_form_.add_error(None, message)
        status = 200
    return render(
        request,
        "indicators/form.html",
        {"form": form, "criteria_form": criteria_form_, "indicator": indicator},
        status=status,
    )


@login_required
def indicator_new(request):
    """A new indicator, its criteria those of the seizure search it was saved from (the
    search's query parameters, carried by its "Save as indicator" link)."""
    if not rights.can_create(request.user):
        raise PermissionDenied(_("Only officers and supervisors create risk indicators."))
    return _form_page(
        request,
        indicator=None,
        initial={"recipients": [request.user]},
        criteria=criteria_from_query(request.GET),
        saved_message=_("The indicator is saved and watches new records."),
    )


@login_required
def indicator_edit(request, pk: int):
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    if not rights.can_change(request.user, indicator):
        raise PermissionDenied(_("Only its owner or a supervisor changes this indicator."))
    return _form_page(
        request,
        indicator=indicator,
        initial={
            "name": indicator.name,
            "rationale": indicator.rationale,
            "recipients": list(indicator.recipients.all()),
            "is_active": indicator.is_active,
        },
        criteria=indicator.criteria,
        saved_message=_("The indicator is saved."),
    )


@login_required
def indicator_detail(request, pk: int):
    user = request.user
    indicator = _with_words([selectors.indicator_get(user=user, pk=pk)])[0]
    rate = selectors.hit_rate(indicator)
    context = {
        "indicator": indicator,
        "hit_rate": None if rate is None else 100 * rate,
        "search_query": urlencode(indicator.criteria),
        "weeks": selectors.hits_by_week(indicator=indicator),
        "hits": selectors.latest_hits(user=user, indicator=indicator)[:LATEST_HITS],
        "can_change": rights.can_change(user, indicator),
    }
    return render(request, "indicators/detail.html", context)


@login_required
def alert_list(request):
    page = CappedPaginator(selectors.alert_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "indicators/alerts.html", {"page": page})


@login_required
@require_POST
def alerts_read(request):
    """Mark one alert (``alert`` in the form) or all of the user's alerts as read."""
    alert = request.POST.get("alert")
    alert_ids = None
    if alert is not None:
        # Not an alert's id: no alert of the user's, rather than all of them.
        alert_ids = [int(alert)] if alert.isdigit() else []
    services.alerts_mark_read(user=request.user, alert_ids=alert_ids)
    return redirect("indicators:alerts")
