"""The API's seizure lists are built from plain rows (SeizureListOutput.from_rows), not
through the serializer: the answer must be byte for byte what the serializer gives for the
same seizures, which stays the description the schema is made from."""

import zoneinfo
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer

from ncen.models import Administration
from seizures import selectors
from seizures.api import serializers
from seizures.api.serializers import ItemOutput, SeizureListOutput
from seizures.filters import SeizureFilterSet
from seizures.models import Item
from seizures.querysets import ITEM_COLUMNS

from ..conftest import api_client
from ..factories import code, make_seizure

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_seizures(fj_officer):
    """Seizures with what a row can hold: codes missing, several items, a value or none, a
    commodity group, transit countries, unknown countries, a time at midnight UTC."""
    make_seizure(by=fj_officer)
    make_seizure(
        by=fj_officer,
        occurred_at=datetime(2026, 3, 1, tzinfo=UTC),
        detection_method=None,
        concealment_method=None,
        origin_country="",
        departure_country="",
        transit_countries=["SG", "AU"],
        vessel_name="Southern Cross",
        vessel_imo="9074729",
        container_number="MSCU1234565",
        narrative="Ligne 1\nLigne 2 « entre guillemets » & <balises>",
        items=[
            {
                "commodity": code("commodity", "cigarettes"),
                "quantity": Decimal(2000),
                "unit": code("unit", "sticks"),
                "estimated_value": Decimal("1234.5"),
                "currency": "FJD",
            },
            {
                "commodity": code("commodity", "methamphetamine"),
                "quantity": Decimal("0.125"),
                "unit": code("unit", "kg"),
                "description": "Crystals in a shampoo bottle",
            },
            {
                "commodity": code("commodity", "cocaine"),
                "quantity": Decimal("0.001"),
                "unit": code("unit", "g"),
                "estimated_value": Decimal(0),
                "currency": "USD",
            },
        ],
    )
    make_seizure(by=fj_officer, transport_mode=None, destination_country="NZ")


def _serializer_bytes(user, query) -> bytes:
    filterset = SeizureFilterSet(
        query, queryset=selectors.seizure_list(user=user), request_user=user
    )
    return JSONRenderer().render(SeizureListOutput(filterset.qs, many=True).data)


def _rows_bytes(user, query) -> bytes:
    filterset = SeizureFilterSet(
        query, queryset=selectors.seizure_list_rows(user=user), request_user=user
    )
    rows = list(filterset.qs)
    items = selectors.seizure_list_items(rows=rows)
    return JSONRenderer().render(SeizureListOutput.from_rows(rows, items))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("zone", ["Pacific/Fiji", "UTC", "America/Caracas"])
def test_rows_give_the_serializers_bytes(fj_officer, varied_seizures, language, zone):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        for query in ({}, {"ordering": "reference"}, {"route_country": "SG"}):
            expected = _serializer_bytes(fj_officer, query)
            assert _rows_bytes(fj_officer, query) == expected
    assert b'"commodity_group":{' in expected
    assert b'"estimated_value":null' in expected
    assert b'"detection_method":null' in expected
    if language == "fr":
        assert "Cocaïne".encode() in expected


def test_the_endpoints_answer_the_serializers_rows(fj_officer, varied_seizures):
    """Through the whole request: the administration's time zone and language, the filters,
    the page and the cursor feed."""
    Administration.objects.filter(pk=fj_officer.administration_id).update(default_language="fr")
    client = api_client(fj_officer)
    with translation.override("fr"), timezone.override(zoneinfo.ZoneInfo("Pacific/Fiji")):
        expected = _serializer_bytes(
            fj_officer, {"transport_mode": code("transport_mode", "air_passenger").pk}
        )
    for path in ("/api/v1/seizures/", "/api/v1/seizures/feed/"):
        response = client.get(path, {"transport_mode": code("transport_mode", "air_passenger").pk})
        assert response.status_code == 200
        body = response.json()
        assert len(body["results"]) == 2
        assert JSONRenderer().render(body["results"]) == expected
        assert "Cocaïne" in response.content.decode()
        assert "+12:00" in response.content.decode()


def test_an_empty_page_is_still_a_page(fj_officer, varied_seizures):
    body = api_client(fj_officer).get("/api/v1/seizures/", {"occurred_to": "2000-01-01"}).json()
    assert (body["count"], body["count_is_exact"], body["results"]) == (0, True, [])


def test_other_administrations_rows_stay_out(fj_officer, ws_officer, varied_seizures):
    client = api_client(ws_officer)
    assert client.get("/api/v1/seizures/").json()["results"] == []
    assert client.get("/api/v1/seizures/feed/").json()["results"] == []


def test_the_schema_still_describes_the_list_by_its_serializer(fj_officer):
    schema = api_client(fj_officer).get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/seizures/", "/api/v1/seizures/feed/"):
        page = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        name = page["schema"]["$ref"].rsplit("/", 1)[1]
        results = schema["components"]["schemas"][name]["properties"]["results"]
        assert results["items"] == {"$ref": "#/components/schemas/SeizureListOutput"}
    fields = schema["components"]["schemas"]["SeizureListOutput"]["properties"]
    assert list(fields) == SeizureListOutput.Meta.fields


def test_the_items_are_the_orms_rows(fj_officer, varied_seizures):
    # seizure_list_items sends the ORM's SQL, compiled once, and reads its rows as they come.
    rows = list(selectors.seizure_list_rows(user=fj_officer))
    orm = {row["id"]: [] for row in rows}
    for item in Item.objects.filter(seizure__in=orm).values(*ITEM_COLUMNS):
        orm[item["seizure_id"]].append(item)
    items = selectors.seizure_list_items(rows=rows)
    assert items == orm
    assert [type(value) for value in items[rows[0]["id"]][0].values()] == [
        type(value) for value in orm[rows[0]["id"]][0].values()
    ]
    assert sum(len(each) for each in items.values()) > len(rows)
    assert selectors.seizure_list_items(rows=rows[:1]) == {rows[0]["id"]: orm[rows[0]["id"]]}
    assert selectors.seizure_list_items(rows=[]) == {}


def test_a_decimal_of_another_scale_is_written_as_the_serializer_writes_it():
    # PostgreSQL gives a column's scale, written as it is; any other value goes through the
    # field, which rounds it to its places.
    fields = ItemOutput().fields
    for name, written in zip(
        ("quantity", "estimated_value"), serializers._decimal_formats(), strict=True
    ):
        for given in ("1.5", "2", "0.0005", "12.345", "12.30", "7.125", "3.200"):
            assert written(Decimal(given)) == fields[name].to_representation(Decimal(given))
    quantity, value = serializers._decimal_formats()
    assert (quantity(Decimal("1.5")), value(Decimal("12.345"))) == ("1.500", "12.34")
