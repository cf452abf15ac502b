"""Shared records: the hub's feed and its regional analysts' pages, and a member's
received regional records beside its own seizures."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ncen.paginator import CappedPaginator
from seizures.views.browse import PAGE_SIZE

from . import feed, selectors, services
from .filters import ReceivedRecordFilterSet, RegionalRecordFilterSet
from .hub import Refusal
from .querysets import is_regional_analyst


@csrf_exempt
def hub_feed(request):
    """Where members GET what the others shared (docs/exchange-protocol.md, "The feed").
    Exists on hubs only; authenticated by the request's signature, not by a session."""
    if not settings.NCEN_HUB:
        raise Http404
    if request.method != "GET":
        return JsonResponse(
            {"error": "method_not_allowed", "reason": "GET the feed, signed."}, status=405
        )
    try:
        member = feed.authenticate_request(
            method=request.method,
            path=request.path,
            query=request.META.get("QUERY_STRING", ""),
            member_code=request.headers.get("X-NCEN-Member", ""),
            timestamp=request.headers.get("X-NCEN-Timestamp", ""),
            signature=request.headers.get("X-NCEN-Signature", ""),
        )
        page = feed.feed_page(member=member, query=feed.parse_query(request.GET))
    except Refusal as refusal:
        return JsonResponse(
            {"error": refusal.error, "reason": refusal.reason}, status=refusal.status
        )
    return JsonResponse(page)


def regional_analyst_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.NCEN_HUB:
            raise Http404
        if not is_regional_analyst(request.user):
            raise PermissionDenied(_("Only the hub's regional analysts read the regional records."))
        return view(request, *args, **kwargs)

    return wrapper


def _list_page(request, *, filterset, template: str, extra=None):
    records = filterset.matching()
    page = CappedPaginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "invalid": filterset.invalid,
        **(extra or {}),
    }
    return render(request, template, context)


@regional_analyst_required
def regional_record_list(request):
    """What the members shared: searched and filtered by the hub's regional analysts."""
    filterset = RegionalRecordFilterSet(
        request.GET or None,
        queryset=selectors.regional_record_list(user=request.user),
        request=request,
    )
    return _list_page(request, filterset=filterset, template="exchange/regional_list.html")


@regional_analyst_required
def regional_record_detail(request, pk: int):
    record = selectors.regional_record_get(user=request.user, pk=pk)
    services.shared_record_viewed(by=request.user, record=record)
    return render(request, "exchange/regional_detail.html", {"record": record})


@regional_analyst_required
def member_statistics(request):
    context = {
        "members": selectors.member_statistics(user=request.user),
        "days": selectors.STATISTICS_DAYS,
    }
    return render(request, "exchange/statistics.html", context)


# --- Member side --------------------------------------------------------------------------------


@login_required
def received_record_list(request):
    """The regional records other members shared, beside the administration's own seizures,
    with the same filters; each row shows its member and handling code."""
    filterset = ReceivedRecordFilterSet(
        request.GET or None,
        queryset=selectors.received_record_list(user=request.user),
        request=request,
    )
    extra = {"pull": selectors.feed_pull(administration_id=request.user.administration_id)}
    return _list_page(
        request, filterset=filterset, template="exchange/received_list.html", extra=extra
    )


@login_required
def received_record_detail(request, pk: int):
    record = selectors.received_record_get(user=request.user, pk=pk)
    services.shared_record_viewed(by=request.user, record=record)
    return render(request, "exchange/received_detail.html", {"record": record})
