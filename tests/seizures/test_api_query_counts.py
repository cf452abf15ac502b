"""The seizures API's list endpoints run a fixed number of queries, whatever the number of
rows: the selectors load what the serializers read."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seizures.models import Code

from ..conftest import api_client
from ..factories import code, make_seizure

pytestmark = pytest.mark.django_db


def _queries(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured)


def _add_seizures(user, count):
    offence = {
        "legal_provision": "Customs Act 1986",
        "offence_type": code("offence_type", "smuggling"),
        "status": code("offence_status", "under_investigation"),
    }
    cigarettes = {
        "commodity": code("commodity", "cigarettes"),
        "quantity": Decimal(2000),
        "unit": code("unit", "sticks"),
    }
    cocaine = {
        "commodity": code("commodity", "cocaine"),
        "quantity": Decimal("1.2"),
        "unit": code("unit", "kg"),
    }
    for _ in range(count):
        make_seizure(by=user, items=[cocaine, cigarettes], offences=[offence, offence])


def _add_codes(user, count):
    kg = code("unit", "kg")
    drugs = code("commodity", "drugs")
    for _ in range(count):
        entry = Code.objects.create(
            list="commodity",
            code=f"local_{Code.objects.count()}",
            label="A local commodity",
            parent=drugs,
            administration=user.administration,
        )
        entry.units.add(kg)


# token and user, count, rows, then one query per prefetched relation
@pytest.mark.parametrize(
    ("path", "pinned", "add"),
    [
        ("/api/v1/seizures/", 4, _add_seizures),  # + items with their codes
        ("/api/v1/seizures/feed/", 3, _add_seizures),  # no count
        ("/api/v1/offences/", 3, _add_seizures),
        ("/api/v1/codes/", 4, _add_codes),  # + allowed units
    ],
)
def test_list_endpoints_are_pinned(fj_officer, path, pinned, add):
    client = api_client(fj_officer)
    add(fj_officer, 3)
    assert _queries(client, path, {"page_size": 500}) == pinned
    add(fj_officer, 30)
    assert _queries(client, path, {"page_size": 500}) == pinned


def test_detail_is_pinned_whatever_its_items_and_offences(fj_officer):
    client = api_client(fj_officer)
    few = make_seizure(by=fj_officer)
    many = make_seizure(
        by=fj_officer,
        items=[
            {
                "commodity": code("commodity", name),
                "quantity": Decimal(1),
                "unit": code("unit", "kg"),
            }
            for name in ("cocaine", "heroin_opioids", "methamphetamine", "khat", "kava")
        ],
    )
    # token and user, the seizure with its codes, items, offences, attachments, persons and
    # businesses (the payload's)
    assert _queries(client, f"/api/v1/seizures/{few.pk}/") == 6
    assert _queries(client, f"/api/v1/seizures/{many.pk}/") == 6
