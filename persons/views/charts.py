"""The link chart around a person, business, conveyance or case."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from seizures import selectors as seizure_selectors

from .. import selectors, services
from ..models import Business, Person

CENTRES = {
    "person": selectors.person_get,
    "business": selectors.business_get,
    "conveyance": selectors.conveyance_get,
    "seizure": seizure_selectors.seizure_get,
}


@login_required
def link_chart(request, kind: str, pk: int):
    if kind not in CENTRES:
        raise Http404
    centre = CENTRES[kind](user=request.user, pk=pk)
    if isinstance(centre, Person | Business):
        # The chart names the person or business and everyone around them.
        services.nominal_view_record(by=request.user, record=centre)
    graph = selectors.link_graph(user=request.user, centre=centre)
    return render(request, "persons/chart.html", {"centre": centre, "kind": kind, "graph": graph})
