"""The hub's regional dashboard: the national dashboard's figures over the regional records
the members shared and have not withdrawn, by member; each equals the same count written
here in SQL over exchange_regionalrecord, each links to exactly its records, and only the
hub's regional analysts see any of it."""

# ruff: noqa: S608 - the SQL below is the test's own, the values passed as parameters

import uuid
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from exchange.models import Member, RegionalRecord

from ..conftest import api_client, signed_in_client
from ..factories import AdministrationFactory

pytestmark = pytest.mark.django_db

HUB_ZONE = "Pacific/Fiji"
FIGURES = ("over-time", "routes", "source-countries", "route-countries", "detection-methods")


@pytest.fixture
def hub_office(settings, db):
    # The conftest's hub, on this instance, in a time zone of its own (the periods' edges).
    settings.NCEN_HUB = True
    return AdministrationFactory(
        code="RH", name="Regional intelligence office", is_hub=True, time_zone=HUB_ZONE
    )


@pytest.fixture
def members(db):
    return {
        code: Member.objects.create(code=code, name=f"{code} Customs", public_key="unused")
        for code in ("FJ", "WS", "TO")
    }


def _record(member, when, commodities, route, transport, detection, concealment, **extra):
    """A regional record with the columns exchange.columns derives from a payload."""
    origin, *through, destination = route
    return RegionalRecord.objects.create(
        member=member,
        record_uuid=uuid.uuid4(),
        reference=f"{member.code}-{uuid.uuid4().hex[:8]}",
        version=1,
        payload={},
        handling_code="intelligence_only",
        source_reliability="B",
        information_accuracy=3,
        occurred_at=datetime.fromisoformat(when).replace(tzinfo=UTC),
        commodity_codes=sorted(commodities),
        origin_country=origin,
        destination_country=destination,
        route_countries=sorted({origin, *through, destination} - {""}),
        transport_mode=transport,
        detection_method=detection,
        concealment_method=concealment,
        **extra,
    )


@pytest.fixture
def records(members):
    fj, ws, to = members["FJ"], members["WS"], members["TO"]
    plan = [
        # Member, when (UTC), commodities with their groups, route, transport, detection,
        # concealment.
        (fj, "2025-11-03T02:00", ["cocaine", "drugs"], ["PE", "FJ"], "air_passenger",
         "xray_scanner", "on_body"),
        (fj, "2025-11-20T02:00", ["cocaine", "drugs", "cigarettes", "tobacco"],
         ["PE", "US", "FJ"], "sea_cargo", "xray_scanner", "cargo"),
        # A member's own detection method: counted under its code, with no link (the
        # list's filter offers the shipped entries only).
        (fj, "2025-11-15T02:00", ["cocaine", "drugs"], ["KP", "FJ"], "air_cargo",
         "fj_dog_unit", "baggage"),
        (ws, "2025-12-05T02:00", ["methamphetamine", "drugs"], ["US", "WS"], "postal",
         "detector_dog", "mail_item"),
        (ws, "2025-12-24T02:00", ["cigarettes", "tobacco"], ["CN", "AU"], "sea_cargo",
         "intelligence", "cargo"),
        # 31 January 13:00 UTC is 1 February in the hub's time zone: counted in February.
        (to, "2026-01-31T13:00", ["cocaine", "drugs"], ["PE", "NZ", "TO"], "air_passenger",
         "", "baggage"),
        (to, "2026-02-10T02:00", ["cannabis_herbal", "drugs"], ["", "TO"],
         "yacht_small_craft", "random_check", ""),
    ]  # fmt: skip
    for row in plan:
        _record(*row)
    # Withdrawn by its member: listed as withdrawn, counted nowhere.
    withdrawn = _record(
        fj, "2025-10-21T02:00", ["cocaine", "drugs"], ["NZ", "FJ"], "air_passenger",
        "xray_scanner", "on_body", withdrawn_at=datetime(2025, 12, 1, tzinfo=UTC),
    )  # fmt: skip
    return withdrawn


# --- The same counts, in SQL ------------------------------------------------------------

# Each filter of the tests as its condition on exchange_regionalrecord.
CONDITIONS = {
    "member": "member_id = %s",
    "transport_mode": "transport_mode = %s",
    "detection_method": "detection_method = %s",
    "commodity": "%s = ANY(commodity_codes)",
    "route_country": "route_countries @> %s::varchar[]",
    "occurred_from": f"(occurred_at AT TIME ZONE '{HUB_ZONE}')::date >= %s::date",
    "occurred_to": f"(occurred_at AT TIME ZONE '{HUB_ZONE}')::date <= %s::date",
}


def _where(filters: dict) -> tuple[str, list]:
    conditions, params = ["r.withdrawn_at IS NULL"], []
    for name, value in filters.items():
        conditions.append(CONDITIONS[name].replace("member_id", "r.member_id"))
        # The route countries filter repeats: every country given is on the route.
        listed = name == "route_country" and isinstance(value, str)
        params.append([value] if listed else value)
    return " AND ".join(conditions), params


def _sql(query: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _over_time_sql(filters: dict, *, period: str, split: str) -> set[tuple]:
    where, params = _where(filters)
    start = f"date_trunc('{period}', r.occurred_at AT TIME ZONE '{HUB_ZONE}')::date"
    if split == "commodity":
        # The commodity groups, or the sub-commodities of the commodity filtered by.
        shown = "parent_id IS NULL"
        if "commodity" in filters:
            shown = (
                "parent_id = (SELECT id FROM seizures_code WHERE list = 'commodity' "
                "AND administration_id IS NULL AND code = %s)"
            )
        rows = _sql(
            f"SELECT {start}, c.code, count(*) FROM exchange_regionalrecord r, "
            f"unnest(r.commodity_codes) AS c(code) WHERE {where} AND c.code IN ("
            "SELECT code FROM seizures_code WHERE list = 'commodity' "
            f"AND administration_id IS NULL AND {shown}) GROUP BY 1, 2",
            [*params, *([filters["commodity"]] if "commodity" in filters else [])],
        )
    else:
        key = "r.member_id" if split == "member" else f"NULLIF(r.{split}, '')"
        rows = _sql(
            f"SELECT {start}, {key}, count(*) FROM exchange_regionalrecord r "
            f"WHERE {where} GROUP BY 1, 2",
            params,
        )
    return {(start.isoformat(), key, count) for start, key, count in rows}


def _answered_over_time(chart: dict) -> set[tuple]:
    return {
        (chart["periods"][n]["start"], line["key"], count)
        for line in chart["series"]
        for n, count in enumerate(line["counts"])
        if count
    }


def _routes_sql(filters):
    where, params = _where(filters)
    return _sql(
        "SELECT origin_country, destination_country, count(*) FROM exchange_regionalrecord r "
        f"WHERE {where} AND origin_country <> '' AND destination_country <> '' "
        "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 20",
        params,
    )


def _sources_sql(filters):
    where, params = _where(filters)
    return _sql(
        "SELECT origin_country, count(*) FROM exchange_regionalrecord r "
        f"WHERE {where} AND origin_country <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20",
        params,
    )


def _route_countries_sql(filters):
    where, params = _where(filters)
    return _sql(
        "SELECT c.country, count(*) FROM exchange_regionalrecord r, "
        f"unnest(r.route_countries) AS c(country) WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    )


def _detection_sql(filters):
    where, params = _where(filters)
    return _sql(
        "SELECT NULLIF(detection_method, ''), count(*) FROM exchange_regionalrecord r "
        f"WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST",
        params,
    )


def _filter_cases(members):
    return [
        {},
        {"member": members["WS"].pk},
        {"transport_mode": "sea_cargo"},
        {"commodity": "drugs"},
        {"route_country": "PE", "occurred_from": "2025-11-10", "occurred_to": "2026-02-28"},
        {"route_country": ["US", "FJ"]},
    ]


SPLITS = ("member", "commodity", "transport_mode", "detection_method", "concealment_method")


def test_every_figure_equals_the_same_count_in_sql(records, members, analyst):
    client = api_client(analyst)
    for filters in _filter_cases(members):
        for period in ("week", "month", "year"):
            for split in SPLITS:
                answer = client.get(
                    "/api/v1/stats/regional/over-time/",
                    {**filters, "period": period, "split": split},
                )
                assert answer.status_code == 200, answer.content
                assert _answered_over_time(answer.json()) == _over_time_sql(
                    filters, period=period, split=split
                ), (filters, period, split)
        routes = client.get("/api/v1/stats/regional/routes/", filters).json()
        assert [(r["origin"], r["destination"], r["count"]) for r in routes] == _routes_sql(filters)
        sources = client.get("/api/v1/stats/regional/source-countries/", filters).json()
        assert [(r["country"], r["count"]) for r in sources] == _sources_sql(filters)
        countries = client.get("/api/v1/stats/regional/route-countries/", filters).json()
        assert [(r["country"], r["count"]) for r in countries] == _route_countries_sql(filters)
        detection = client.get("/api/v1/stats/regional/detection-methods/", filters).json()
        assert [(r["key"], r["count"]) for r in detection] == _detection_sql(filters)


def test_the_split_by_member_and_its_labels(records, members, analyst):
    chart = (
        api_client(analyst)
        .get("/api/v1/stats/regional/over-time/", {"period": "year", "split": "member"})
        .json()
    )
    by_label = {line["label"]: sum(line["counts"]) for line in chart["series"]}
    # Fiji's withdrawn record is not counted.
    assert by_label == {"FJ FJ Customs": 3, "WS WS Customs": 2, "TO TO Customs": 2}
    # Split by commodity within drugs: its sub-commodities, by their label.
    drugs = (
        api_client(analyst)
        .get("/api/v1/stats/regional/over-time/", {"split": "commodity", "commodity": "drugs"})
        .json()
    )
    assert {line["key"] for line in drugs["series"]} == {
        "cocaine",
        "methamphetamine",
        "cannabis_herbal",
    }
    # A member's own code is shown as it came, with no link; "not recorded" has none either.
    detection = api_client(analyst).get("/api/v1/stats/regional/detection-methods/").json()
    own = next(row for row in detection if row["key"] == "fj_dog_unit")
    assert (own["label"], own["records"]) == ("fj_dog_unit", None)
    unknown = next(row for row in detection if row["key"] is None)
    assert (unknown["label"], unknown["records"]) == ("Not recorded", None)


def _links(figures: dict) -> list[tuple[str, int]]:
    """Every (link, count) the page shows."""
    chart = figures["over_time"]
    links = [
        (line["records"][n], count)
        for line in chart["series"]
        for n, count in enumerate(line["counts"])
        if line["records"][n]
    ]
    links += [
        (period["records"], sum(line["counts"][n] for line in chart["series"]))
        for n, period in enumerate(chart["periods"])
        if chart["split"] != "commodity"  # a record of two groups counts under each
    ]
    for name in ("routes", "source_countries", "route_countries", "detection_methods"):
        links += [(row["records"], row["count"]) for row in figures[name] if row["records"]]
    return links


def test_each_figures_link_lists_exactly_its_records(records, members, analyst):
    client = signed_in_client(analyst)
    checked = 0
    for filters in _filter_cases(members):
        for split in SPLITS:
            page = client.get("/analysis/regional/", {**filters, "split": split})
            assert page.status_code == 200
            for link, count in _links(page.context["figures"]):
                assert link.startswith("/exchange/hub/records/?")
                listed = client.get(link)
                assert not listed.context["invalid"], link
                found = [record.pk for record in listed.context["page"]]
                assert len(found) == listed.context["page"].paginator.count == count, link
                assert records.pk not in found
                checked += 1
    assert checked > 200


def test_withdrawn_records_are_not_counted(records, analyst):
    client = api_client(analyst)
    # The withdrawn record is the only one from New Zealand, and the only one of its week.
    sources = client.get("/api/v1/stats/regional/source-countries/").json()
    assert "NZ" not in {row["country"] for row in sources}
    weeks = client.get("/api/v1/stats/regional/over-time/", {"period": "week"}).json()
    assert weeks["periods"][0]["start"] == "2025-11-03"
    # The list still holds it, as withdrawn.
    listed = signed_in_client(analyst).get("/exchange/hub/records/", {"state": "withdrawn"})
    assert [record.pk for record in listed.context["page"]] == [records.pk]


def test_nobody_else_sees_the_regional_dashboard(records, hub_admin, fj_officer, settings):
    for user in (hub_admin, fj_officer):
        assert signed_in_client(user).get("/analysis/regional/").status_code == 403
        client = api_client(user)
        for figure in FIGURES:
            assert client.get(f"/api/v1/stats/regional/{figure}/").status_code == 403
    assert Client().get("/analysis/regional/").status_code == 302
    assert APIClient().get("/api/v1/stats/regional/routes/").status_code == 401


def test_a_member_instance_has_no_regional_dashboard(records, analyst, settings):
    client = signed_in_client(analyst)
    settings.NCEN_HUB = False
    assert client.get("/analysis/regional/").status_code == 404
    assert api_client(analyst).get("/api/v1/stats/regional/routes/").status_code == 404


def test_the_navigation_links_the_dashboard_for_analysts_only(records, analyst, hub_admin):
    assert "/analysis/regional/" in signed_in_client(analyst).get("/").content.decode()
    assert "/analysis/regional/" not in signed_in_client(hub_admin).get("/").content.decode()


def test_unknown_or_invalid_parameters_are_refused(records, analyst):
    client = api_client(analyst)
    for figure in FIGURES:
        # `state` is the list's, not the dashboard's: its records are the current ones.
        for wrong in ({"office": "1"}, {"state": "withdrawn"}, {"member": "0"}):
            answer = client.get(f"/api/v1/stats/regional/{figure}/", wrong)
            assert answer.status_code == 400, (figure, wrong)
    assert client.get("/api/v1/stats/regional/over-time/", {"split": "office"}).status_code == 400
    page = signed_in_client(analyst).get("/analysis/regional/", {"split": "office"})
    assert page.context["invalid"]
    assert "figures" not in page.context


def test_the_schema_documents_the_regional_figures(analyst):
    schema = api_client(analyst).get("/api/schema/", {"format": "json"}).json()
    over_time = schema["paths"]["/api/v1/stats/regional/over-time/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in over_time["parameters"]}
    assert {"member", "commodity", "concealment_method", "period", "split"} <= set(parameters)
    assert "state" not in parameters
    assert "member" in parameters["split"]["schema"]["enum"]
    assert "regional analysts" in over_time["description"]
    national = schema["paths"]["/api/v1/stats/over-time/"]["get"]
    assert "office" in {p["name"]: p for p in national["parameters"]}["split"]["schema"]["enum"]


def _more_records(members, n):
    for i in range(n):
        _record(
            members["WS"], f"2024-0{1 + i % 9}-1{i % 10}T02:00", ["cocaine", "drugs"],
            ["FJ", "AU", "WS"], "road", "routine_control", "undeclared",
        )  # fmt: skip


def test_the_page_and_endpoints_read_a_fixed_number_of_queries(
    records, members, analyst, django_assert_num_queries
):
    page_client, client = signed_in_client(analyst), api_client(analyst)
    pinned = {
        # Session with its user, notifications; the member filter's and the split's members;
        # the filters' code lists; the five aggregates; the detection labels.
        "page": 12,
        # The token with its user; the filters' code lists and member (once: the figures
        # count over the FilterSet the strict backend validated); the aggregate; the labels.
        "over-time": 5,
        "routes": 4,
        "source-countries": 4,
        "route-countries": 4,
        "detection-methods": 5,
    }
    for more in (0, 30):
        _more_records(members, more)
        filters = {"member": members["WS"].pk, "split": "member"}
        with django_assert_num_queries(pinned["page"]):
            assert page_client.get("/analysis/regional/", filters).status_code == 200
        for figure in FIGURES:
            with django_assert_num_queries(pinned[figure]):
                answer = client.get(
                    f"/api/v1/stats/regional/{figure}/",
                    {"member": members["WS"].pk, "commodity": "drugs"},
                )
                assert answer.status_code == 200
