"""Seizures of Fiji and of Samoa spread over commodities, months, transport modes, detection
methods and routes, recorded through the services."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ..factories import OfficeFactory, code, make_seizure


def _items(*commodities):
    return [
        {
            "commodity": code("commodity", c),
            "quantity": Decimal("1"),
            "unit": code("unit", "sticks" if c == "cigarettes" else "kg"),
        }
        for c in commodities
    ]


@pytest.fixture
def records(fj_officer, ws_officer):
    nadi = OfficeFactory(administration=fj_officer.administration, name="Nadi Airport")
    plan = [
        # When (UTC), commodities, office, transport, detection, origin, destination.
        ("2025-11-03T02:00", ["cocaine"], None, "air_passenger", "xray_scanner", "PE", "FJ"),
        (
            "2025-11-20T02:00",
            ["cocaine", "cigarettes"],
            nadi,
            "sea_cargo",
            "xray_scanner",
            "PE",
            "FJ",
        ),
        ("2025-12-05T02:00", ["methamphetamine"], nadi, "postal", "detector_dog", "US", "FJ"),
        ("2025-12-24T02:00", ["cigarettes"], None, "sea_cargo", "intelligence", "CN", "AU"),
        # 31 January 13:00 UTC is 1 February 02:00 in Fiji: counted in February.
        ("2026-01-31T13:00", ["cocaine"], None, "air_passenger", None, "PE", "FJ"),
        (
            "2026-02-10T02:00",
            ["cannabis_herbal"],
            None,
            "yacht_small_craft",
            "random_check",
            "",
            "FJ",
        ),
    ]
    for when, commodities, office, transport, detection, origin, destination in plan:
        make_seizure(
            by=fj_officer,
            items=_items(*commodities),
            occurred_at=datetime.fromisoformat(when).replace(tzinfo=UTC),
            office=office or fj_officer.office,
            transport_mode=code("transport_mode", transport),
            detection_method=code("detection_method", detection) if detection else None,
            origin_country=origin,
            destination_country=destination,
        )
    # Samoa's records are never counted for Fiji.
    for _ in range(3):
        make_seizure(
            by=ws_officer,
            items=_items("cocaine"),
            office=OfficeFactory(administration=ws_officer.administration),
            occurred_at=datetime(2025, 11, 10, 2, tzinfo=UTC),
        )
