"""The periodic bulletin: its figures equal the database's own aggregates, written here in
SQL, for the same period and filters, in the context the template receives and in the PDF;
what every page carries; nothing of another administration, outside the period or nominal;
and bad parameters refused with the reason."""

# ruff: noqa: S608 - the SQL below is the test's own, the values passed as parameters

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import formats, timezone, translation

from ncen.audit import Action
from ncen.models import AuditEntry
from reports import bulletin, services
from reports.bulletin import Bulletin
from reports.models import Report

from ..conftest import api_client, signed_in_client
from ..factories import OfficeFactory, code, make_person, make_seizure
from .conftest import A4, embedded_fonts, page_sizes, page_texts, read_pdf

pytestmark = pytest.mark.django_db

PERIOD = {"occurred_from": "2025-01-01", "occurred_to": "2025-06-30"}
# Read by Bulletin.context, whatever the period holds.
BULLETIN_QUERIES = 12


def _item(commodity: str, quantity: str, unit: str, value: str | None = None, currency=""):
    return {
        "commodity": code("commodity", commodity),
        "quantity": Decimal(quantity),
        "unit": code("unit", unit),
        "estimated_value": Decimal(value) if value else None,
        "currency": currency,
        "description": "Hidden by Sione Taufa in the spare tyre",
    }


def _offence():
    return {
        "legal_provision": "Customs Act 1986, s. 137",
        "offence_type": code("offence_type", "smuggling"),
        "status": code("offence_status", "under_investigation"),
    }


@pytest.fixture
def records(fj_officer, ws_officer):
    """Fiji's seizures in the first half of 2025 and around it, and Samoa's in it."""
    nadi = OfficeFactory(administration=fj_officer.administration, name="Nadi Airport")
    plan = [
        # When (UTC), items, office, transport, origin, destination, offences.
        (
            "2025-01-10T02:00",
            [_item("cocaine", "2.5", "kg", "250000", "FJD")],
            None,
            "air_passenger",
            "PE",
            "FJ",
            1,
        ),
        (
            "2025-01-20T02:00",
            [
                _item("cocaine", "1.25", "kg", "90000", "FJD"),
                _item("cigarettes", "2000", "sticks", "1500", "FJD"),
            ],
            nadi,
            "sea_cargo",
            "PE",
            "FJ",
            2,
        ),
        (
            "2025-03-05T02:00",
            [_item("methamphetamine", "0.5", "kg", "60000", "USD")],
            nadi,
            "postal",
            "US",
            "FJ",
            0,
        ),
        (
            "2025-03-06T02:00",
            [_item("undeclared_currency", "25000", "currency", "25000", "AUD")],
            None,
            "air_passenger",
            "AU",
            "FJ",
            0,
        ),
        (
            "2025-03-07T02:00",
            [_item("undeclared_currency", "8000", "currency", "8000", "USD")],
            None,
            "air_passenger",
            "US",
            "FJ",
            0,
        ),
        (
            "2025-05-30T02:00",
            [_item("cigarettes", "400", "sticks")],
            None,
            "sea_cargo",
            "CN",
            "",
            0,
        ),
        # 30 June 13:00 UTC is 1 July in Fiji: after the period.
        (
            "2025-06-30T13:00",
            [_item("cocaine", "9", "kg", "900000", "FJD")],
            None,
            "air_passenger",
            "PE",
            "FJ",
            0,
        ),
        # 31 December 2024 12:30 UTC is 1 January 2025 in Fiji: in the period.
        (
            "2024-12-31T12:30",
            [_item("cannabis_herbal", "3", "kg", "3000", "FJD")],
            nadi,
            "yacht_small_craft",
            "TO",
            "FJ",
            0,
        ),
        (
            "2024-12-01T02:00",
            [_item("cocaine", "40", "kg", "4000000", "FJD")],
            None,
            "air_passenger",
            "PE",
            "FJ",
            0,
        ),
    ]
    for when, items, office, transport, origin, destination, offences in plan:
        make_seizure(
            by=fj_officer,
            items=items,
            offences=[_offence() for _ in range(offences)],
            occurred_at=datetime.fromisoformat(when).replace(tzinfo=UTC),
            office=office or fj_officer.office,
            transport_mode=code("transport_mode", transport),
            origin_country=origin,
            destination_country=destination,
            narrative="Sione Taufa, passport P1234567, carried it.",
        )
    for _ in range(2):
        make_seizure(
            by=ws_officer,
            items=[_item("cocaine", "100", "kg", "99000000", "FJD")],
            offences=[_offence()],
            office=OfficeFactory(administration=ws_officer.administration),
            occurred_at=datetime(2025, 2, 10, 2, tzinfo=UTC),
        )


# --- The database's own aggregates ----------------------------------------------------

SEIZURES = "FROM seizures_seizure AS s"
WHERE = """
    WHERE s.administration_id = %(administration)s
      AND s.occurred_at >= %(start)s::date::timestamp AT TIME ZONE 'Pacific/Fiji'
      AND s.occurred_at < (%(end)s::date + 1)::timestamp AT TIME ZONE 'Pacific/Fiji'
      AND (%(commodity)s::bigint IS NULL OR s.commodity_ids @> ARRAY[%(commodity)s::bigint])
      AND (%(transport)s::bigint IS NULL OR s.transport_mode_id = %(transport)s)
"""


def _sql(query: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def database_figures(user, *, commodity=None, transport=None) -> dict:
    params = {
        "administration": user.administration_id,
        "start": PERIOD["occurred_from"],
        "end": PERIOD["occurred_to"],
        "commodity": commodity,
        "transport": transport,
    }
    matching = f"{SEIZURES} {WHERE}"
    ids = f"SELECT s.id {matching}"
    return {
        "seizures": _sql(f"SELECT count(*) {matching}", params)[0][0],
        "items": _sql(f"SELECT count(*) FROM seizures_item WHERE seizure_id IN ({ids})", params)[0][
            0
        ],
        "offences": _sql(
            f"SELECT count(*) FROM seizures_offence WHERE seizure_id IN ({ids})", params
        )[0][0],
        "values": {
            currency: (items, total)
            for currency, items, total in _sql(
                f"""SELECT currency, count(estimated_value), sum(estimated_value)
                FROM seizures_item WHERE seizure_id IN ({ids}) AND estimated_value IS NOT NULL
                GROUP BY 1""",
                params,
            )
        },
        "months": dict(
            _sql(
                f"""SELECT date_trunc('month', s.occurred_at AT TIME ZONE 'Pacific/Fiji')::date,
                count(*) {matching} GROUP BY 1""",
                params,
            )
        ),
        "commodities": dict(
            _sql(
                f"""SELECT c.label, count(*) {SEIZURES}, unnest(s.commodity_ids) AS u(id)
                JOIN seizures_code AS c ON c.id = u.id {WHERE} GROUP BY 1""",
                params,
            )
        ),
        "quantities": {
            (label, unit): quantity
            for label, unit, quantity in _sql(
                f"""SELECT coalesce(g.label, c.label), CASE WHEN u.code = 'currency'
                THEN i.currency ELSE lower(u.label) END, sum(i.quantity)
                FROM seizures_item AS i JOIN seizures_code AS c ON c.id = i.commodity_id
                LEFT JOIN seizures_code AS g ON g.id = c.parent_id
                JOIN seizures_code AS u ON u.id = i.unit_id
                WHERE i.seizure_id IN ({ids}) GROUP BY 1, 2""",
                params,
            )
        },
        "offices": dict(
            _sql(
                f"""SELECT o.name, count(*) {SEIZURES}
                JOIN ncen_office AS o ON o.id = s.office_id {WHERE} GROUP BY 1""",
                params,
            )
        ),
        "routes": {
            (origin, destination): count
            for origin, destination, count in _sql(
                f"""SELECT s.origin_country, s.destination_country, count(*) {matching}
                AND s.origin_country <> '' AND s.destination_country <> '' GROUP BY 1, 2""",
                params,
            )
        },
        # The seizure of each group whose items of the group are worth the most in FJD.
        "notable": {
            group: (reference, value)
            for group, reference, value, rank in _sql(
                f"""SELECT g, reference, v, rank() OVER (PARTITION BY g ORDER BY v DESC) FROM (
                    SELECT coalesce(gc.label, c.label) AS g, s.reference, sum(i.estimated_value) v
                    FROM seizures_item AS i JOIN seizures_seizure AS s ON s.id = i.seizure_id
                    JOIN seizures_code AS c ON c.id = i.commodity_id
                    LEFT JOIN seizures_code AS gc ON gc.id = c.parent_id
                    WHERE i.seizure_id IN ({ids}) AND i.currency = 'FJD'
                    GROUP BY 1, 2) AS t""",
                params,
            )
            if rank == 1
        },
    }


def _bulletin_context(user, filters: dict) -> dict:
    with translation.override("en"), timezone.override(user.administration.time_zone):
        return Bulletin(user=user, filters=filters).context()


def _made(user, filters: dict) -> Report:
    report = services.report_request(
        by=user, kind=Report.Kind.BULLETIN, filters=filters, language="en"
    )
    with translation.override("en"), timezone.override(user.administration.time_zone):
        services.report_generate(report=report, progress=lambda _done: None)
    report.refresh_from_db()
    return report


def _flat(report: Report) -> str:
    return " ".join("\n".join(page_texts(report)).split())


def _number(value) -> str:
    with translation.override("en"):
        return formats.number_format(value, force_grouping=True)


@pytest.mark.parametrize("filtered", [False, True], ids=["period only", "drugs by air"])
def test_the_bulletin_s_figures_are_the_database_s_own(records, fj_officer, filtered):
    filters = dict(PERIOD)
    expected_kwargs = {}
    if filtered:
        drugs, air = code("commodity", "drugs").pk, code("transport_mode", "air_passenger").pk
        filters.update(commodity=str(drugs), transport_mode=str(air))
        expected_kwargs = {"commodity": drugs, "transport": air}
    expected = database_figures(fj_officer, **expected_kwargs)
    context = _bulletin_context(fj_officer, filters)

    totals = context["totals"]
    assert (totals.seizures, totals.items, totals.offences) == (
        expected["seizures"],
        expected["items"],
        expected["offences"],
    )
    assert {v.currency: (v.items, v.total) for v in totals.values} == expected["values"]
    months = {start: count for start, _label, count in context["over_time"]}
    assert list(months) == [date(2025, month, 1) for month in range(1, 7)]
    assert {start: n for start, n in months.items() if n} == expected["months"]
    counted = {str(row.code): row.seizures for row in context["commodities"]}
    counted |= {str(c.code): c.seizures for row in context["commodities"] for c in row.children}
    assert counted == expected["commodities"]
    quantities = {
        (str(row.code), unit): quantity
        for row in context["commodities"]
        for unit, quantity in row.quantities
    }
    assert quantities == expected["quantities"]
    assert dict(context["offices"]) == expected["offices"]
    routes = {(r["origin"], r["destination"]): r["count"] for r in context["routes"]}
    assert routes == expected["routes"]
    notable = {str(c["group"]): (c["seizure"].reference, c["value"]) for c in context["notable"]}
    assert notable == expected["notable"]

    flat = _flat(_made(fj_officer, filters))
    for label, figure in (
        ("Seizures", expected["seizures"]),
        ("Items seized", expected["items"]),
        ("Offences", expected["offences"]),
    ):
        assert f"{label} {_number(figure)}" in flat
    for currency, (items, total) in expected["values"].items():
        valued = f"({items} item{'s' if items > 1 else ''} valued)"
        assert f"Estimated value in {currency} {valued} {_number(total)} {currency}" in flat
    for _start, label, count in context["over_time"]:
        assert f"{label} {count}" in flat
    for office, count in expected["offices"].items():
        assert f"{office} {count}" in flat
    for reference, value in expected["notable"].values():
        assert reference in flat
        assert f"{_number(value)} FJD" in flat


def test_the_dashboard_counts_what_the_bulletin_counts(records, fj_officer):
    """The same filters on the dashboard's API give the bulletin's figures."""
    expected = database_figures(fj_officer)
    api = api_client(fj_officer)
    over_time = api.get("/api/v1/stats/over-time/", {**PERIOD, "split": "office"}).json()
    months = {
        date.fromisoformat(period["start"]): sum(line["counts"][n] for line in over_time["series"])
        for n, period in enumerate(over_time["periods"])
    }
    assert {start: n for start, n in months.items() if n} == expected["months"]
    routes = api.get("/api/v1/stats/routes/", PERIOD).json()
    assert {(r["origin"], r["destination"]): r["count"] for r in routes} == expected["routes"]
    context = _bulletin_context(fj_officer, PERIOD)
    assert [(r["origin"], r["destination"], r["count"]) for r in context["routes"]] == [
        (r["origin"], r["destination"], r["count"]) for r in routes
    ]


def test_every_page_carries_the_administration_handling_code_and_page_number(records, fj_officer):
    report = _made(fj_officer, PERIOD)
    texts = page_texts(report)
    assert len(texts) >= 2, "the bulletin should need more than one page"
    assert report.pages == len(texts)
    for number, text in enumerate(texts, start=1):
        assert "Fiji Revenue and Customs Service" in text
        assert "1 Jan 2025 to 30 Jun 2025" in text
        assert "Handling code: No onward sharing without permission" in text
        assert f"Page {number} of {len(texts)}" in text
    reader = read_pdf(report)
    assert page_sizes(reader) == {A4}
    fonts = embedded_fonts(reader)
    assert {name.split("+", 1)[1] for name in fonts} == {"nCEN-Sans", "nCEN-Sans-Bold"}
    assert all(fonts.values()), f"not embedded: {fonts}"


def test_the_bulletin_names_no_one_and_quotes_no_free_text(records, fj_officer, fj_supervisor):
    """Statistics: a supervisor's bulletin holds no nominal data either, and is not a
    nominal export."""
    seizure = make_seizure(
        by=fj_officer, occurred_at=datetime(2025, 2, 1, 2, tzinfo=UTC), vessel_name="Moana Star"
    )
    from persons import services as person_services

    person = make_person(by=fj_officer, full_name="Sione Taufa")
    person_services.link_add(by=fj_officer, seizure=seizure, role="courier", person=person)
    report = _made(fj_supervisor, PERIOD)
    flat = _flat(report)
    for nominal in ("Sione", "Taufa", "P1234567", "spare tyre", "Moana Star"):
        assert nominal not in flat
    assert not report.includes_nominal
    assert not AuditEntry.objects.filter(action=Action.NOMINAL_EXPORTED).exists()
    entry = AuditEntry.objects.get(action=Action.REPORT_GENERATED)
    assert (entry.object_type, entry.object_id) == ("reports.report", str(report.pk))
    assert entry.after["filters"] == PERIOD


def test_the_filters_are_said_in_words_and_printed_as_text(records, fj_officer):
    filters = {
        **PERIOD,
        "commodity": str(code("commodity", "drugs").pk),
        "route_country": "PE",
        "q": '</style><img src="file:///etc/hostname">',
    }
    report = _made(fj_officer, filters)
    flat = _flat(report)
    assert "Seizure bulletin: 1 Jan 2025 to 30 Jun 2025" in flat
    assert "Commodity Drugs" in flat
    assert "Route country Peru" in flat
    assert '“</style><img src="file:///etc/hostname">”' in flat
    assert not [image for page in read_pdf(report).pages for image in page.images]


def test_a_bulletin_through_several_route_countries_counts_routes_through_all(records, fj_officer):
    filters = {**PERIOD, "route_country": ["TO", "FJ"]}
    context = _bulletin_context(fj_officer, bulletin.clean_filters(user=fj_officer, data=filters))
    [[expected]] = _sql(
        f"SELECT count(*) {SEIZURES} {WHERE} AND s.route_countries @> %(route)s::varchar[]",
        {
            "administration": fj_officer.administration_id,
            "start": PERIOD["occurred_from"],
            "end": PERIOD["occurred_to"],
            "commodity": None,
            "transport": None,
            "route": ["TO", "FJ"],
        },
    )
    assert context["totals"].seizures == expected == 1
    assert ("Route country", "Tonga and Fiji") in context["filters"]


def test_another_administration_s_bulletin_is_404_everywhere(records, fj_officer, ws_officer):
    report = _made(fj_officer, PERIOD)
    client, api = signed_in_client(ws_officer), api_client(ws_officer)
    for suffix in ("", "status/", "download/"):
        assert client.get(f"/reports/{report.pk}/{suffix}").status_code == 404
    assert api.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert api.get(f"/api/v1/reports/{report.pk}/download/").status_code == 404
    # Samoa's own bulletin of the same period counts only Samoa's two seizures.
    assert _bulletin_context(ws_officer, PERIOD)["totals"].seizures == 2


def test_the_api_asks_for_a_bulletin_and_its_download_names_the_period(records, fj_officer):
    api = api_client(fj_officer)
    drugs = code("commodity", "drugs").pk
    response = api.post(
        "/api/v1/reports/", {"kind": "bulletin", **PERIOD, "commodity": drugs}, format="json"
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["filters"] == {**PERIOD, "commodity": str(drugs)}
    report = Report.objects.get()
    assert (report.kind, report.seizure, report.filters) == ("bulletin", None, body["filters"])
    assert report.run.arguments == {"report_id": str(report.pk), "language": "en"}
    with translation.override("en"), timezone.override(fj_officer.administration.time_zone):
        services.report_generate(report=report, progress=lambda _done: None)
    download = api.get(body["status_url"]).json()["download_url"]
    response = api.get(download)
    assert response.status_code == 200
    assert 'filename="bulletin-FJ-2025-01-01-2025-06-30.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"occurred_from", "occurred_to"}),
        ({"occurred_from": "2025-01-01"}, {"occurred_to"}),
        ({**PERIOD, "colour": "red"}, {"colour"}),
        ({**PERIOD, "ordering": "-occurred_at"}, {"ordering"}),
        ({**PERIOD, "seizure": 1}, {"seizure"}),
        ({**PERIOD, "commodity": 999999}, {"commodity"}),
        ({**PERIOD, "route_country": "XX"}, {"route_country"}),
        ({**PERIOD, "route_country": ["PE", "XX"]}, {"route_country"}),
        ({**PERIOD, "route_country": ["PE", ["FJ"]]}, {"route_country"}),
        ({**PERIOD, "office": [1, 2]}, {"office"}),
        ({"occurred_from": "2025-06-30", "occurred_to": "2025-01-01"}, {"occurred_to"}),
        ({"occurred_from": "2001-01-01", "occurred_to": "2025-01-01"}, {"occurred_to"}),
        ({"occurred_from": "soon", "occurred_to": "2025-01-01"}, {"occurred_from"}),
    ],
)
def test_the_api_refuses_a_bad_bulletin_and_says_why(fj_officer, payload, fields):
    response = api_client(fj_officer).post(
        "/api/v1/reports/", {"kind": "bulletin", **payload}, format="json"
    )
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]["fields"]) == fields
    assert not Report.objects.exists()


def test_the_api_gives_back_several_route_countries_as_a_list(fj_officer):
    api = api_client(fj_officer)
    filters = {**PERIOD, "route_country": ["TO", "FJ"]}
    response = api.post("/api/v1/reports/", {"kind": "bulletin", **filters}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["filters"] == filters
    assert api.get(response.json()["status_url"]).json()["filters"] == filters
    schema = api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert schema["ReportOutput"]["properties"]["filters"]["additionalProperties"]["oneOf"]


def test_another_administration_s_office_is_not_a_filter(fj_officer, ws_officer):
    apia = OfficeFactory(administration=ws_officer.administration)
    response = api_client(fj_officer).post(
        "/api/v1/reports/", {"kind": "bulletin", **PERIOD, "office": apia.pk}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"office"}


def test_the_dashboard_offers_a_bulletin_of_its_filters(records, fj_officer):
    client = signed_in_client(fj_officer)
    drugs = code("commodity", "drugs").pk
    page = client.get("/analysis/", {"commodity": drugs, **PERIOD}).content.decode()
    assert 'action="/reports/bulletin/"' in page
    assert f'<input type="hidden" name="commodity" value="{drugs}">' in page
    assert 'name="occurred_from" value="2025-01-01"' in page
    assert 'name="occurred_to" value="2025-06-30"' in page
    assert 'type="hidden" name="occurred_from"' not in page
    response = client.post("/reports/bulletin/", {"commodity": drugs, **PERIOD})
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/"
    assert report.filters == {"commodity": str(drugs), **PERIOD}
    detail = client.get(response["Location"]).content.decode()
    assert "Periodic bulletin" in detail
    assert "Seizures from 2025-01-01 until 2025-06-30." in detail


def test_the_dashboard_offers_a_bulletin_through_every_route_country_it_shows(records, fj_officer):
    client = signed_in_client(fj_officer)
    page = client.get("/analysis/", {"route_country": ["TO", "FJ"], **PERIOD}).content.decode()
    hidden = re.findall(r'<input type="hidden" name="route_country" value="(\w+)">', page)
    assert hidden == ["TO", "FJ"]
    client.post("/reports/bulletin/", {"route_country": hidden, **PERIOD})
    assert Report.objects.get().filters == {"route_country": ["TO", "FJ"], **PERIOD}


def test_without_dates_the_dashboard_proposes_the_last_whole_month(fj_officer):
    page = signed_in_client(fj_officer).get("/analysis/").content.decode()
    with timezone.override(fj_officer.administration.time_zone):
        today = timezone.localdate()
    end = today.replace(day=1) - timezone.timedelta(days=1)
    assert f'name="occurred_from" value="{end.replace(day=1).isoformat()}"' in page
    assert f'name="occurred_to" value="{end.isoformat()}"' in page


def test_a_refused_bulletin_page_keeps_every_value_and_says_why(fj_officer):
    client = signed_in_client(fj_officer)
    cocaine = code("commodity", "cocaine").pk
    response = client.post(
        "/reports/bulletin/",
        {
            "occurred_from": "2025-06-30",
            "occurred_to": "2025-01-01",
            "commodity": cocaine,
            "q": "spare tyre",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The period ends before it starts." in page
    assert 'value="2025-06-30"' in page
    assert 'value="spare tyre"' in page
    assert f'<option value="{cocaine}" selected>' in page
    assert not Report.objects.exists()
    # The form offered by a link keeps the dashboard's filters and proposes a month.
    page = client.get("/reports/bulletin/", {"commodity": cocaine}).content.decode()
    assert f'<option value="{cocaine}" selected>' in page
    assert 'name="occurred_from"' in page
    assert 'name="ordering"' not in page


def test_the_bulletin_reads_in_a_fixed_number_of_queries(
    records, fj_officer, django_assert_num_queries
):
    """However many seizures, offices, commodities, routes and notable cases the period
    holds, the bulletin's figures are read in the same queries."""
    with django_assert_num_queries(BULLETIN_QUERIES):
        _bulletin_context(fj_officer, PERIOD)
    suva = OfficeFactory(administration=fj_officer.administration, name="Suva Wharf")
    for commodity, unit, currency, value in (
        ("heroin_opioids", "kg", "FJD", "990000"),
        ("cannabis_resin", "kg", "USD", "12000"),
        ("cigarettes", "sticks", "AUD", "12000"),
        ("methamphetamine", "kg", "NZD", "12000"),
    ):
        make_seizure(
            by=fj_officer,
            occurred_at=datetime(2025, 4, 2, 2, tzinfo=UTC),
            office=suva,
            items=[_item(commodity, "3", unit, value, currency), _item("cocaine", "1", "kg")],
            offences=[_offence()],
            origin_country="NZ",
            destination_country="WS",
        )
    with django_assert_num_queries(BULLETIN_QUERIES):
        context = _bulletin_context(fj_officer, PERIOD)
    assert dict(context["offices"])["Suva Wharf"] == 4
    assert Decimal("990000") in {c["value"] for c in context["notable"]}
