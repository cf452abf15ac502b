"""The dashboard's figures equal PostgreSQL's own aggregates, written here in SQL, for the
same filters; other administrations' records are never counted."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from seizures.models import Seizure

from ..conftest import api_client
from ..factories import code

pytestmark = pytest.mark.django_db


def _sql(query: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _get(client, path: str, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    return response.json()


def _records_count(client, link: str) -> int:
    """How many seizures the list behind a figure's link holds (through the seizures API,
    which takes the same filters)."""
    return _get(client, "/api/v1/seizures/", **parse_qs(urlsplit(link).query))["count"]


@pytest.mark.parametrize("split", ["transport_mode", "office", "detection_method"])
@pytest.mark.parametrize("period", ["week", "month", "year"])
def test_over_time_equals_sql_group_by(records, fj_officer, period, split):
    client = api_client(fj_officer)
    drugs = code("commodity", "drugs")
    figures = _get(
        client, "/api/v1/stats/over-time/", period=period, split=split, commodity=drugs.pk
    )
    got = {
        (period_["start"], line["key"]): line["counts"][n]
        for line in figures["series"]
        for n, period_ in enumerate(figures["periods"])
        if line["counts"][n]
    }
    expected = _sql(
        f"""
        SELECT date_trunc(%s, occurred_at AT TIME ZONE 'Pacific/Fiji')::date, {split}_id, count(*)
        FROM seizures_seizure
        WHERE administration_id = %s AND commodity_ids @> ARRAY[%s]::bigint[]
        GROUP BY 1, 2
        """,  # noqa: S608 - the split is one of the parametrised column names
        [period, fj_officer.administration_id, drugs.pk],
    )
    assert got == {(start.isoformat(), key): count for start, key, count in expected}
    assert sum(got.values()) == 5


def test_commodity_split_shows_groups_then_the_filtered_groups_children(records, fj_officer):
    client = api_client(fj_officer)
    groups = _get(client, "/api/v1/stats/over-time/", period="year", split="commodity")
    expected = _sql(
        "SELECT date_trunc('year', occurred_at AT TIME ZONE 'Pacific/Fiji')::date, c.id, "
        "count(*) FROM seizures_seizure s, unnest(s.commodity_ids) AS c(id), seizures_code k "
        "WHERE k.id = c.id AND k.parent_id IS NULL AND s.administration_id = %s GROUP BY 1, 2",
        [fj_officer.administration_id],
    )
    got = {
        (period["start"], line["key"]): line["counts"][n]
        for line in groups["series"]
        for n, period in enumerate(groups["periods"])
        if line["counts"][n]
    }
    assert got == {(start.isoformat(), key): count for start, key, count in expected}
    drugs, tobacco = code("commodity", "drugs"), code("commodity", "tobacco")
    assert got[("2025-01-01", drugs.pk)] == 3
    assert got[("2025-01-01", tobacco.pk)] == 2

    within = _get(
        client, "/api/v1/stats/over-time/", period="month", split="commodity", commodity=drugs.pk
    )
    labels = {line["label"] for line in within["series"]}
    assert labels == {"Cocaine", "Methamphetamine and other ATS", "Cannabis, herbal"}


def test_periods_are_in_the_administrations_time_zone(records, fj_officer):
    figures = _get(
        api_client(fj_officer), "/api/v1/stats/over-time/", period="month", split="transport_mode"
    )
    starts = [period["start"] for period in figures["periods"]]
    assert starts == ["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"]
    january = starts.index("2026-01-01")
    assert all(line["counts"][january] == 0 for line in figures["series"])


@pytest.mark.parametrize(
    "filters",
    [{}, {"commodity": "cocaine"}, {"route_country": "PE"}],
    ids=["unfiltered", "by commodity", "by route country"],
)
def test_every_figure_links_to_exactly_its_records(records, fj_officer, filters):
    client = api_client(fj_officer)
    if "commodity" in filters:
        filters = {"commodity": code("commodity", filters["commodity"]).pk}
    over_time = _get(client, "/api/v1/stats/over-time/", split="transport_mode", **filters)
    figures = {
        "over-time": [
            (line["counts"][n], link)
            for line in over_time["series"]
            for n, link in enumerate(line["records"])
            if link
        ]
    }
    for name in ("routes", "source-countries", "route-countries", "detection-methods"):
        figures[name] = [
            (row["count"], row["records"])
            for row in _get(client, f"/api/v1/stats/{name}/", **filters)
            if row["records"]
        ]
    # Each figure gives links; unfiltered, more than ten of them, the bar the test set
    # before it took filters.
    assert all(figures.values()), {name: len(links) for name, links in figures.items()}
    links = [link for figure in figures.values() for link in figure]
    assert len(links) > (10 if not filters else 6)
    for count, link in links:
        assert link.startswith("/seizures/?")
        assert _records_count(client, link) == count, link


def test_a_country_on_the_map_links_to_its_records_within_the_route_country_filtered_by(
    records, fj_officer
):
    """Under a route country filter, a country's link keeps it and adds its own: Fiji on
    the routes through Peru is three seizures, not Fiji's five."""
    countries = _get(api_client(fj_officer), "/api/v1/stats/route-countries/", route_country="PE")
    fiji = next(row for row in countries if row["country"] == "FJ")
    assert fiji["count"] == 3
    assert parse_qs(urlsplit(fiji["records"]).query)["route_country"] == ["FJ", "PE"]


def test_routes_sources_countries_and_detection_equal_sql(records, fj_officer):
    client = api_client(fj_officer)
    administration = fj_officer.administration_id
    routes = _get(client, "/api/v1/stats/routes/")
    assert [(r["origin"], r["destination"], r["count"]) for r in routes] == _sql(
        "SELECT origin_country, destination_country, count(*) FROM seizures_seizure "
        "WHERE administration_id = %s AND origin_country <> '' AND destination_country <> '' "
        "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
        [administration],
    )
    assert routes[0]["origin_name"] == "Peru"

    sources = _get(client, "/api/v1/stats/source-countries/")
    assert [(r["country"], r["count"]) for r in sources] == _sql(
        "SELECT origin_country, count(*) FROM seizures_seizure WHERE administration_id = %s "
        "AND origin_country <> '' GROUP BY 1 ORDER BY 2 DESC, 1",
        [administration],
    )

    countries = _get(client, "/api/v1/stats/route-countries/")
    assert {(r["country"], r["count"]) for r in countries} == set(
        _sql(
            "SELECT c, count(*) FROM seizures_seizure, unnest(route_countries) AS c "
            "WHERE administration_id = %s GROUP BY 1",
            [administration],
        )
    )

    detection = _get(client, "/api/v1/stats/detection-methods/")
    expected = dict(
        _sql(
            "SELECT detection_method_id, count(*) FROM seizures_seizure "
            "WHERE administration_id = %s GROUP BY 1",
            [administration],
        )
    )
    assert {r["key"]: r["count"] for r in detection} == expected
    assert sum(r["share"] for r in detection) == pytest.approx(100, abs=0.2)
    unrecorded = next(r for r in detection if r["key"] is None)
    assert (unrecorded["label"], unrecorded["records"]) == ("Not recorded", None)


def test_other_administrations_records_are_never_counted(records, fj_officer, ws_officer):
    samoa = _get(api_client(ws_officer), "/api/v1/stats/over-time/", split="office")
    assert sum(sum(line["counts"]) for line in samoa["series"]) == 3
    fiji = _get(api_client(fj_officer), "/api/v1/stats/detection-methods/")
    assert sum(row["count"] for row in fiji) == 6
    assert Seizure.objects.count() == 9


@pytest.mark.parametrize(
    "query",
    [
        {"colour": "red"},
        {"period": "month"},  # only the chart over time takes a period
        {"commodity": "999999"},
        {"occurred_from": "yesterday"},
    ],
)
def test_unknown_parameters_and_bad_values_are_refused(records, fj_officer, query):
    response = api_client(fj_officer).get("/api/v1/stats/routes/", query)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_over_time_refuses_an_unknown_period_or_split(records, fj_officer):
    client = api_client(fj_officer)
    for query in ({"period": "day"}, {"split": "narrative"}):
        response = client.get("/api/v1/stats/over-time/", query)
        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == list(query)


def test_signed_out_callers_get_nothing(records, client):
    assert client.get("/api/v1/stats/routes/").status_code in (401, 403)
    response = client.get("/analysis/")
    assert response.status_code == 302


def test_the_schema_lists_the_statistics_with_their_filters(fj_officer):
    schema = api_client(fj_officer).get("/api/schema/?format=json").json()
    over_time = schema["paths"]["/api/v1/stats/over-time/"]["get"]
    names = {parameter["name"] for parameter in over_time["parameters"]}
    assert {"period", "split", "commodity", "occurred_from", "route_country"} <= names
    for name in ("routes", "source-countries", "route-countries", "detection-methods"):
        assert "commodity" in {
            parameter["name"]
            for parameter in schema["paths"][f"/api/v1/stats/{name}/"]["get"]["parameters"]
        }
