"""The seizures API: recording and editing through the services, visibility, filters, codes."""

import io
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from seizures import services
from seizures.models import Code, Offence, Seizure

from ..conftest import api_client
from ..factories import OfficeFactory, code, make_seizure

pytestmark = pytest.mark.django_db

URL = "/api/v1/seizures/"


@pytest.fixture
def nadi(fiji):
    return OfficeFactory(
        administration=fiji, name="Nadi International Airport", code="FJNAN", kind="airport"
    )


def _payload(office, **overrides) -> dict:
    """What a client sends for a cocaine seizure at Nadi airport."""
    payload = {
        "occurred_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "office": office.pk,
        "location_type": code("location_type", "airport").pk,
        "procedure": code("customs_procedure", "import").pk,
        "detection_method": code("detection_method", "risk_profiling").pk,
        "transport_mode": code("transport_mode", "air_passenger").pk,
        "concealment_method": code("concealment_method", "baggage").pk,
        "flight_number": "FJ910",
        "origin_country": "CO",
        "departure_country": "CL",
        "transit_countries": ["AU"],
        "destination_country": "FJ",
        "narrative": "Selected by the risk profile; three blocks in the suitcase lining.",
        "items": [
            {
                "commodity": code("commodity", "cocaine").pk,
                "description": "Three vacuum-sealed blocks of white powder",
                "quantity": "3.200",
                "unit": code("unit", "kg").pk,
                "estimated_value": "480000.00",
                "currency": "FJD",
            }
        ],
        "offences": [
            {
                "legal_provision": "Customs Act 1986",
                "offence_type": code("offence_type", "smuggling").pk,
                "status": code("offence_status", "under_investigation").pk,
            }
        ],
    }
    payload.update(overrides)
    return payload


def _item(payload, **changes) -> dict:
    return {**payload, "items": [{**payload["items"][0], **changes}]}


def _fields(response) -> dict:
    return response.json()["error"]["fields"]


# --- Recording ------------------------------------------------------------------------------


def test_officer_records_a_seizure_with_its_items(fj_officer, nadi):
    response = api_client(fj_officer).post(URL, _payload(nadi), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"] == f"FJ-{timezone.localdate().year}-000001"
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["office"]["id"] == nadi.pk
    assert body["office"]["code"] == "FJNAN"
    assert body["route"] == {
        "origin": "CO",
        "departure": "CL",
        "transit": ["AU"],
        "destination": "FJ",
    }
    assert body["detection_method"]["code"] == "risk_profiling"
    assert body["created_by"] == "fj.officer"
    assert body["updated_by"] == "fj.officer"
    assert body["attachments"] == []


def test_recorded_items_and_offences_come_back_nested(fj_officer, nadi):
    body = api_client(fj_officer).post(URL, _payload(nadi), format="json").json()
    [item] = body["items"]
    assert item["commodity"] == {
        "id": code("commodity", "cocaine").pk,
        "code": "cocaine",
        "label": "Cocaine",
    }
    assert item["commodity_group"]["code"] == "drugs"
    assert item["unit"]["code"] == "kg"
    assert item["quantity"] == "3.200"
    [offence] = body["offences"]
    assert offence["offence_type"]["code"] == "smuggling"
    assert offence["legal_provision"] == "Customs Act 1986"


def test_status_reference_owner_and_version_are_not_client_writable(
    fj_officer, fj_supervisor, nadi
):
    payload = _payload(
        nadi,
        status="approved",
        reference="FJ-1999-999999",
        version=7,
        created_by=fj_supervisor.pk,
        administration=99,
    )
    body = api_client(fj_officer).post(URL, payload, format="json").json()
    assert body["status"] == "draft"
    assert body["reference"].endswith("-000001")
    assert body["version"] == 1
    assert body["created_by"] == "fj.officer"
    assert Seizure.objects.get().administration == fj_officer.administration


def test_html_in_the_narrative_is_kept_as_data(fj_officer, nadi):
    narrative = '<script>alert("x")</script> <b>bold</b> & more'
    response = api_client(fj_officer).post(URL, _payload(nadi, narrative=narrative))
    assert response.status_code == 201
    assert response.json()["narrative"] == narrative
    assert Seizure.objects.get().narrative == narrative


def _future(payload, samoan_office):
    return {**payload, "occurred_at": (timezone.now() + timedelta(days=2)).isoformat()}


def _zero_quantity(payload, samoan_office):
    return _item(payload, quantity="0")


def _negative_quantity(payload, samoan_office):
    return _item(payload, quantity="-1.5")


def _cigarettes_in_kg(payload, samoan_office):
    return _item(payload, commodity=code("commodity", "cigarettes").pk)


def _group_instead_of_commodity(payload, samoan_office):
    return _item(payload, commodity=code("commodity", "drugs").pk)


def _retired_detection_method(payload, samoan_office):
    Code.objects.filter(pk=payload["detection_method"]).update(is_retired=True)
    return payload


def _retired_commodity(payload, samoan_office):
    Code.objects.filter(pk=payload["items"][0]["commodity"]).update(is_retired=True)
    return payload


def _code_of_another_list(payload, samoan_office):
    return {**payload, "detection_method": code("transport_mode", "air_cargo").pk}


def _office_of_another_administration(payload, samoan_office):
    return {**payload, "office": samoan_office.pk}


def _unknown_country(payload, samoan_office):
    return {**payload, "origin_country": "XX"}


def _unknown_transit_country(payload, samoan_office):
    return {**payload, "transit_countries": ["AU", "QQ"]}


def _transit_country_twice(payload, samoan_office):
    return {**payload, "transit_countries": ["AU", "AU"]}


def _no_items(payload, samoan_office):
    return {**payload, "items": []}


def _unknown_currency(payload, samoan_office):
    return _item(payload, currency="FJX")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_future, "occurred_at"),
        (_zero_quantity, "items-0-quantity"),
        (_negative_quantity, "items-0-quantity"),
        (_cigarettes_in_kg, "items-0-unit"),
        (_group_instead_of_commodity, "items-0-commodity"),
        (_retired_detection_method, "detection_method"),
        (_retired_commodity, "items-0-commodity"),
        (_code_of_another_list, "detection_method"),
        (_office_of_another_administration, "office"),
        (_unknown_country, "origin_country"),
        (_unknown_transit_country, "transit_countries-1"),
        (_transit_country_twice, "transit_countries"),
        (_no_items, "items"),
        (_unknown_currency, "items-0-currency"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(
    fj_officer, nadi, samoa, change, field
):
    payload = change(_payload(nadi), OfficeFactory(administration=samoa))
    response = api_client(fj_officer).post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert Seizure.objects.count() == 0
    assert Offence.objects.count() == 0


def test_administrators_do_not_record_seizures(fj_admin, nadi):
    response = api_client(fj_admin).post(URL, _payload(nadi), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403
    assert Seizure.objects.count() == 0


def test_anonymous_callers_are_refused():
    from rest_framework.test import APIClient

    assert APIClient().get(URL).status_code == 401


# --- Editing ---------------------------------------------------------------------------------


def _edit(client, seizure, **changes):
    payload = _payload(seizure.office, version=seizure.version, **changes)
    return client.put(f"{URL}{seizure.pk}/", payload, format="json")


def test_owner_edits_a_draft_and_its_items_are_replaced(fj_officer, nadi):
    seizure = make_seizure(by=fj_officer, office=nadi)
    response = _edit(api_client(fj_officer), seizure, narrative="Corrected account.")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["narrative"] == "Corrected account."
    assert [item["quantity"] for item in body["items"]] == ["3.200"]
    seizure.refresh_from_db()
    assert seizure.version == 2
    assert seizure.items.get().quantity == Decimal("3.200")


def test_stale_version_is_a_409_and_changes_nothing(fj_officer, nadi):
    seizure = make_seizure(by=fj_officer, office=nadi)
    client = api_client(fj_officer)
    assert _edit(client, seizure, narrative="First edit.").status_code == 200
    response = _edit(client, seizure, narrative="Edit made on the old version.")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    seizure.refresh_from_db()
    assert seizure.version == 2
    assert seizure.narrative == "First edit."


def test_edit_without_the_version_read_is_a_400(fj_officer, nadi):
    seizure = make_seizure(by=fj_officer, office=nadi)
    payload = _payload(nadi)
    response = api_client(fj_officer).put(f"{URL}{seizure.pk}/", payload, format="json")
    assert response.status_code == 400
    assert "version" in _fields(response)


def test_invalid_edit_is_a_400_and_changes_nothing(fj_officer, nadi):
    seizure = make_seizure(by=fj_officer, office=nadi)
    response = _edit(
        api_client(fj_officer),
        seizure,
        narrative="Should not be saved.",
        items=[{**_payload(nadi)["items"][0], "quantity": "0"}],
    )
    assert response.status_code == 400
    assert "items-0-quantity" in _fields(response)
    seizure.refresh_from_db()
    assert seizure.version == 1
    assert seizure.narrative != "Should not be saved."


def test_officer_cannot_edit_another_officers_draft(fj_officer, fiji, suva, nadi):
    from ..factories import UserFactory

    colleague = UserFactory(username="fj.colleague", administration=fiji, office=suva)
    seizure = make_seizure(by=colleague, office=nadi)
    response = _edit(api_client(fj_officer), seizure, narrative="Not mine to change.")
    assert response.status_code == 403
    seizure.refresh_from_db()
    assert seizure.version == 1


def test_supervisor_edits_an_officers_draft(fj_officer, fj_supervisor, nadi):
    seizure = make_seizure(by=fj_officer, office=nadi)
    response = _edit(api_client(fj_supervisor), seizure, narrative="Reviewed.")
    assert response.status_code == 200
    assert response.json()["updated_by"] == "fj.supervisor"
    assert response.json()["created_by"] == "fj.officer"


def test_a_code_retired_since_stays_valid_on_the_record_using_it(fj_officer, nadi):
    seizure = make_seizure(
        by=fj_officer, office=nadi, detection_method=code("detection_method", "risk_profiling")
    )
    Code.objects.filter(pk=code("detection_method", "risk_profiling").pk).update(is_retired=True)
    client = api_client(fj_officer)
    assert _edit(client, seizure).status_code == 200
    Code.objects.filter(pk=code("transport_mode", "air_passenger").pk).update(is_retired=True)
    seizure.refresh_from_db()
    response = _edit(client, seizure, transport_mode=code("transport_mode", "air_cargo").pk)
    assert response.status_code == 200
    seizure.refresh_from_db()
    # air_passenger is no longer used by the record, so it cannot come back.
    response = _edit(client, seizure)
    assert response.status_code == 400
    assert "transport_mode" in _fields(response)


def test_an_offence_keeps_its_type_and_status_once_retired(fj_officer, nadi):
    client = api_client(fj_officer)
    created = client.post(URL, _payload(nadi), format="json").json()
    Code.objects.filter(
        pk__in=[
            code("offence_type", "smuggling").pk,
            code("offence_status", "under_investigation").pk,
        ]
    ).update(is_retired=True)
    response = _edit(client, Seizure.objects.get(pk=created["id"]), narrative="Corrected.")
    assert response.status_code == 200, response.content
    assert response.json()["offences"][0]["offence_type"]["code"] == "smuggling"


def test_offences_left_out_of_an_edit_are_kept_and_an_empty_list_clears_them(fj_officer, nadi):
    client = api_client(fj_officer)
    created = client.post(URL, _payload(nadi), format="json").json()
    seizure = Seizure.objects.get(pk=created["id"])
    payload = _payload(nadi, version=1)
    del payload["offences"]
    response = client.put(f"{URL}{seizure.pk}/", payload, format="json")
    assert len(response.json()["offences"]) == 1
    response = client.put(f"{URL}{seizure.pk}/", {**payload, "version": 2, "offences": []})
    assert response.json()["offences"] == []


def test_patch_is_not_offered(fj_officer, nadi):
    seizure = make_seizure(by=fj_officer, office=nadi)
    response = api_client(fj_officer).patch(f"{URL}{seizure.pk}/", {"narrative": "x"})
    assert response.status_code == 405


# --- Visibility -----------------------------------------------------------------------------


def test_other_administrations_seizures_are_not_found(fj_officer, ws_officer, nadi):
    seizure = make_seizure(by=fj_officer, office=nadi)
    client = api_client(ws_officer)
    assert client.get(f"{URL}{seizure.pk}/").status_code == 404
    assert client.get(URL).json()["results"] == []
    payload = _payload(nadi, version=1)
    assert client.put(f"{URL}{seizure.pk}/", payload, format="json").status_code == 404
    assert client.get("/api/v1/offences/").json()["results"] == []


@pytest.mark.parametrize(
    "path", [f"{URL}FJ-2026-000001/", "/api/v1/offences/x/", "/api/v1/codes/x/"]
)
def test_an_address_that_is_not_an_id_is_not_found(fj_officer, path):
    assert api_client(fj_officer).get(path).status_code == 404


def test_detail_lists_attachments_with_their_download_links(fj_officer, nadi):
    seizure = make_seizure(by=fj_officer, office=nadi)
    image = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(image, format="PNG")
    photo = services.attachment_add(
        by=fj_officer,
        seizure=seizure,
        upload=SimpleUploadedFile("suitcase.png", image.getvalue()),
        kind="photo",
    )
    document = services.attachment_add(
        by=fj_officer,
        seizure=seizure,
        upload=SimpleUploadedFile("statement.pdf", b"%PDF-1.4\n%%EOF"),
        kind="document",
    )
    body = api_client(fj_officer).get(f"{URL}{seizure.pk}/").json()
    by_id = {row["id"]: row for row in body["attachments"]}
    assert by_id[photo.pk]["original_name"] == "suitcase.png"
    assert by_id[photo.pk]["content_type"] == "image/png"
    assert by_id[photo.pk]["url"] == reverse("api:attachment-file", args=[photo.pk])
    assert by_id[photo.pk]["thumbnail_url"] == reverse("api:attachment-thumbnail", args=[photo.pk])
    assert by_id[document.pk]["kind"] == "document"
    assert by_id[document.pk]["size"] == len(b"%PDF-1.4\n%%EOF")
    assert by_id[document.pk]["thumbnail_url"] is None


# --- Filters ---------------------------------------------------------------------------------


FIJI = ZoneInfo("Pacific/Fiji")


def _noon(days_ago: int) -> datetime:
    """Midday in Fiji, whose time zone the API reads the officer's dates in."""
    day = timezone.now().astimezone(FIJI).date() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, 12, tzinfo=FIJI)


@pytest.fixture
def three_seizures(fj_officer, suva, nadi):
    """Cocaine at Nadi by air, cigarettes at Suva by sea, methamphetamine by post."""
    cocaine = make_seizure(
        by=fj_officer,
        office=nadi,
        occurred_at=_noon(30),
        flight_number="FJ910",
        transit_countries=["NZ"],
        narrative="Vacuum-sealed powder in the lining of a suitcase.",
    )
    cigarettes = make_seizure(
        by=fj_officer,
        office=suva,
        occurred_at=_noon(20),
        detection_method=code("detection_method", "detector_dog"),
        transport_mode=code("transport_mode", "sea_cargo"),
        concealment_method=code("concealment_method", "cargo"),
        origin_country="CN",
        departure_country="SG",
        narrative="Container declared as furniture.",
        items=[
            {
                "commodity": code("commodity", "cigarettes"),
                "quantity": Decimal(200000),
                "unit": code("unit", "sticks"),
                "description": "Counterfeit branded cartons",
            }
        ],
    )
    meth = make_seizure(
        by=fj_officer,
        office=suva,
        occurred_at=_noon(10),
        detection_method=code("detection_method", "intelligence"),
        transport_mode=code("transport_mode", "postal"),
        concealment_method=code("concealment_method", "mail_item"),
        origin_country="US",
        departure_country="US",
        narrative="Parcel addressed to a post box.",
        items=[
            {
                "commodity": code("commodity", "methamphetamine"),
                "quantity": Decimal("0.450"),
                "unit": code("unit", "kg"),
                "description": "Crystals inside a stereo speaker",
            }
        ],
    )
    return {"cocaine": cocaine, "cigarettes": cigarettes, "meth": meth}


def _references(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def _refs(*seizures) -> list[str]:
    return [seizure.reference for seizure in seizures]


def test_the_list_is_newest_first_and_paginated(fj_officer, three_seizures):
    client = api_client(fj_officer)
    s = three_seizures
    assert _references(client) == _refs(s["meth"], s["cigarettes"], s["cocaine"])
    response = client.get(URL, {"page": 2, "page_size": 2})
    assert response.json()["count"] == 3
    assert [row["reference"] for row in response.json()["results"]] == _refs(s["cocaine"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lining", ["cocaine"]),  # the narrative
        ("speaker", ["meth"]),  # an item's description
        ("FJ910", ["cocaine"]),  # the flight number
        ("furniture", ["cigarettes"]),
        ("vacuum-sealed", ["cocaine"]),  # a hyphenated word, searched as its parts
        ("vacuum-packed", []),
        ('"sealed vacuum"', []),  # a quoted phrase keeps its order
    ],
)
def test_free_text_searches_narrative_items_and_conveyance(
    fj_officer, three_seizures, text, expected
):
    result = _references(api_client(fj_officer), q=text)
    assert result == _refs(*(three_seizures[name] for name in expected))


def test_filters_by_period(fj_officer, three_seizures):
    client = api_client(fj_officer)
    s = three_seizures
    since = _noon(25).date().isoformat()
    until = _noon(15).date().isoformat()
    assert _references(client, occurred_from=since) == _refs(s["meth"], s["cigarettes"])
    assert _references(client, occurred_to=until) == _refs(s["cigarettes"], s["cocaine"])
    assert _references(client, occurred_from=since, occurred_to=until) == _refs(s["cigarettes"])
    # Both ends are whole days.
    day = _noon(20).date().isoformat()
    assert _references(client, occurred_from=day, occurred_to=day) == _refs(s["cigarettes"])


def test_commodity_group_matches_its_commodities(fj_officer, three_seizures):
    client = api_client(fj_officer)
    s = three_seizures
    drugs = code("commodity", "drugs").pk
    assert _references(client, commodity=drugs) == _refs(s["meth"], s["cocaine"])
    cocaine = code("commodity", "cocaine").pk
    assert _references(client, commodity=cocaine) == _refs(s["cocaine"])
    tobacco = code("commodity", "tobacco").pk
    assert _references(client, commodity=tobacco) == _refs(s["cigarettes"])


def test_route_country_matches_any_country_of_the_route(fj_officer, three_seizures):
    client = api_client(fj_officer)
    s = three_seizures
    assert _references(client, route_country="NZ") == _refs(s["cocaine"])  # transit
    assert _references(client, route_country="SG") == _refs(s["cigarettes"])  # departure
    assert _references(client, route_country="US") == _refs(s["meth"])  # origin
    assert _references(client, route_country="FJ") == _refs(
        s["meth"], s["cigarettes"], s["cocaine"]
    )


def test_filters_by_office_and_codes(fj_officer, three_seizures, nadi):
    client = api_client(fj_officer)
    s = three_seizures
    assert _references(client, office=nadi.pk) == _refs(s["cocaine"])
    dog = code("detection_method", "detector_dog").pk
    assert _references(client, detection_method=dog) == _refs(s["cigarettes"])
    mail = code("concealment_method", "mail_item").pk
    assert _references(client, concealment_method=mail) == _refs(s["meth"])
    air = code("transport_mode", "air_passenger").pk
    assert _references(client, transport_mode=air) == _refs(s["cocaine"])
    assert _references(client, status="draft") == _refs(s["meth"], s["cigarettes"], s["cocaine"])


def test_ordering(fj_officer, three_seizures):
    client = api_client(fj_officer)
    s = three_seizures
    oldest_first = _refs(s["cocaine"], s["cigarettes"], s["meth"])
    assert _references(client, ordering="occurred_at") == oldest_first
    assert _references(client, ordering="-occurred_at") == oldest_first[::-1]
    # References follow the order of recording, not of the seizures.
    by_reference = sorted(oldest_first)
    assert _references(client, ordering="reference") == by_reference
    assert _references(client, ordering="-created_at") == by_reference[::-1]
    assert _references(client, ordering="updated_at") == by_reference


@pytest.mark.parametrize(
    "params",
    [
        {"commodity_group": "1"},  # not a filter
        {"search": "cocaine"},
        {"route_country": "XX"},
        {"ordering": "narrative"},
        {"occurred_from": "last week"},
        {"status": "lost"},
    ],
)
def test_unknown_parameters_and_bad_values_are_a_400(fj_officer, three_seizures, params):
    response = api_client(fj_officer).get(URL, params)
    assert response.status_code == 400
    assert set(params) <= set(response.json()["error"]["fields"])


def test_filter_choices_stay_within_the_administration(fj_officer, ws_officer, three_seizures):
    samoan_office = OfficeFactory(administration=ws_officer.administration)
    response = api_client(fj_officer).get(URL, {"office": samoan_office.pk})
    assert response.status_code == 400
    assert "office" in _fields(response)


def test_list_rows_carry_items_but_not_the_detail(fj_officer, three_seizures):
    [row] = api_client(fj_officer).get(URL, {"q": "speaker"}).json()["results"]
    assert row["items"][0]["commodity"]["code"] == "methamphetamine"
    assert row["items"][0]["unit"]["code"] == "kg"
    assert row["office"]["name"] == "Suva Port"
    assert row["route"]["origin"] == "US"
    assert "attachments" not in row
    assert "offences" not in row


# --- Offences --------------------------------------------------------------------------------


def test_offences_list_and_filter_by_seizure(fj_officer, nadi):
    offence = {
        "legal_provision": "Customs Act 1986",
        "offence_type": code("offence_type", "smuggling"),
        "status": code("offence_status", "referred"),
    }
    first = make_seizure(by=fj_officer, office=nadi, offences=[offence])
    second = make_seizure(
        by=fj_officer,
        office=nadi,
        offences=[{**offence, "offence_type": code("offence_type", "false_declaration")}],
    )
    client = api_client(fj_officer)
    rows = client.get("/api/v1/offences/").json()["results"]
    assert {row["seizure_reference"] for row in rows} == {first.reference, second.reference}
    response = client.get("/api/v1/offences/", {"seizure": second.pk})
    [row] = response.json()["results"]
    assert row["seizure"] == second.pk
    assert row["offence_type"]["code"] == "false_declaration"
    assert row["status"]["code"] == "referred"
    smuggling = code("offence_type", "smuggling").pk
    [row] = client.get("/api/v1/offences/", {"offence_type": smuggling}).json()["results"]
    assert row["seizure"] == first.pk
    assert client.get(f"/api/v1/offences/{row['id']}/").json()["legal_provision"] == (
        "Customs Act 1986"
    )
    assert client.get("/api/v1/offences/", {"seizure_id": first.pk}).status_code == 400


# --- Codes -----------------------------------------------------------------------------------


def _codes(client, **params) -> list[dict]:
    response = client.get("/api/v1/codes/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_codes_list_the_shipped_entries(fj_officer):
    rows = _codes(api_client(fj_officer), list="commodity")
    by_code = {row["code"]: row for row in rows}
    cocaine, drugs = by_code["cocaine"], by_code["drugs"]
    assert cocaine["list"] == "commodity"
    assert cocaine["label"] == "Cocaine"
    assert cocaine["label_en"] == "Cocaine"
    assert cocaine["label_fr"] == "Cocaïne"
    assert cocaine["parent"] == drugs["id"]
    assert drugs["parent"] is None
    assert set(cocaine["units"]) == {code("unit", "kg").pk, code("unit", "g").pk}
    assert cocaine["administration"] is None
    assert cocaine["is_retired"] is False
    assert {row["list"] for row in rows} == {"commodity"}


def test_codes_speak_the_requested_language(fj_officer):
    client = api_client(fj_officer)
    response = client.get(
        "/api/v1/codes/", {"list": "commodity", "page_size": 500}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    labels = {row["code"]: row["label"] for row in response.json()["results"]}
    assert labels["cocaine"] == "Cocaïne"


def test_retired_codes_are_left_out_unless_asked_for(fj_officer):
    Code.objects.filter(pk=code("detection_method", "random_check").pk).update(is_retired=True)
    client = api_client(fj_officer)
    current = {row["code"] for row in _codes(client, list="detection_method")}
    assert "random_check" not in current
    assert "intelligence" in current
    every = _codes(client, list="detection_method", include_retired="true")
    assert {row["code"]: row["is_retired"] for row in every}["random_check"] is True
    retired_id = code("detection_method", "random_check").pk
    assert client.get(f"/api/v1/codes/{retired_id}/").json()["is_retired"] is True


def test_codes_of_other_administrations_are_not_listed(fj_officer, fiji, samoa):
    own = Code.objects.create(
        list="concealment_method", code="coconut", label="Inside a coconut", administration=fiji
    )
    Code.objects.create(
        list="concealment_method", code="taro", label="Inside taro", administration=samoa
    )
    rows = _codes(api_client(fj_officer), list="concealment_method")
    codes = {row["code"]: row for row in rows}
    assert codes["coconut"]["administration"] == own.administration_id
    assert "taro" not in codes


def test_codes_refuse_unknown_parameters(fj_officer):
    response = api_client(fj_officer).get("/api/v1/codes/", {"lists": "unit"})
    assert response.status_code == 400
    assert "lists" in _fields(response)


def test_attachments_are_uploaded_and_downloaded_with_a_token(fj_officer, ws_officer):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    seizure = make_seizure(by=fj_officer)
    picture = io.BytesIO()
    Image.new("RGB", (400, 300), (0, 90, 160)).save(picture, format="JPEG")
    client = api_client(fj_officer)
    response = client.post(
        f"/api/v1/seizures/{seizure.pk}/attachments/",
        {
            "kind": "photo",
            "caption": "Lining",
            "file": SimpleUploadedFile("x.bin", picture.getvalue()),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["content_type"] == "image/jpeg"
    download = client.get(body["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == picture.getvalue()
    assert client.get(body["thumbnail_url"])["Content-Type"] == "image/jpeg"
    assert api_client(ws_officer).get(body["url"]).status_code == 404

    refused = client.post(
        f"/api/v1/seizures/{seizure.pk}/attachments/",
        {"kind": "photo", "file": SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a photo")},
        format="multipart",
    )
    assert refused.status_code == 400
    assert "file" in refused.json()["error"]["fields"]
