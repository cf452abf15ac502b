"""A shared record keeps its route's origin and destination apart, as the regional
dashboard's routes and source countries count them; records stored before the columns
existed get them from their payload."""

import importlib

import pytest
from django.apps import apps

from exchange import delivery
from exchange.models import RegionalRecord

from ..factories import make_seizure, submit_and_approve

pytestmark = pytest.mark.django_db

route_ends = importlib.import_module("exchange.migrations.0005_route_ends")


def test_the_hub_keeps_the_routes_ends(hub, fj_officer, fj_supervisor):
    for origin in ("PE", ""):
        seizure = make_seizure(by=fj_officer, origin_country=origin, destination_country="FJ")
        submit_and_approve(seizure, by=fj_officer, approver=fj_supervisor)
    delivery.deliver()
    ends = RegionalRecord.objects.order_by("origin_country").values_list(
        "origin_country", "destination_country"
    )
    assert list(ends) == [("", "FJ"), ("PE", "FJ")]

    RegionalRecord.objects.update(origin_country="", destination_country="")
    route_ends.derive_route_ends(apps, None)
    assert list(ends) == [("", "FJ"), ("PE", "FJ")]
