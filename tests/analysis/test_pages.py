"""The dashboard page: tables with links without a script, the same figures as the API,
the navigation, and a fixed number of queries whatever the number of records."""

import json
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..conftest import api_client, signed_in_client
from ..factories import code, make_seizure

pytestmark = pytest.mark.django_db


def test_the_page_embeds_the_apis_figures_and_links_them_in_tables(records, fj_officer):
    client = signed_in_client(fj_officer)
    drugs = code("commodity", "drugs").pk
    response = client.get("/analysis/", {"commodity": drugs, "split": "transport_mode"})
    assert response.status_code == 200
    page = response.content.decode()
    script = page.split('<script id="dashboard-data" type="application/json">')[1]
    embedded = json.loads(script.split("</script>")[0])
    api = api_client(fj_officer)
    assert (
        embedded["over_time"]
        == api.get(
            "/api/v1/stats/over-time/", {"commodity": drugs, "split": "transport_mode"}
        ).json()
    )
    assert embedded["routes"] == api.get("/api/v1/stats/routes/", {"commodity": drugs}).json()
    for row in embedded["routes"] + embedded["source_countries"]:
        assert f'href="{row["records"].replace("&", "&amp;")}"' in page
    assert 'href="/analysis/" aria-current="page">Analysis</a>' in page
    # The map shades Peru, on a route, and links it to its records.
    assert f'href="/seizures/?commodity={drugs}&amp;route_country=PE"' in page


def test_the_filters_are_the_searchs_without_its_sort_order(fj_officer):
    response = signed_in_client(fj_officer).get("/analysis/")
    form = response.context["filterset"].form
    assert "commodity" in form.fields
    assert "ordering" not in form.fields
    assert 'name="ordering"' not in response.content.decode()
    # A link from the search with its sort order still counts the same records.
    sorted_too = signed_in_client(fj_officer).get("/analysis/", {"ordering": "-occurred_at"})
    assert sorted_too.context["figures"] == response.context["figures"]


def test_a_bad_filter_value_shows_no_figures_and_says_so(records, fj_officer):
    response = signed_in_client(fj_officer).get("/analysis/", {"occurred_from": "soon"})
    assert response.status_code == 200
    assert "figures" not in response.context
    assert "cannot be used" in response.content.decode()


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _add(officer, count: int) -> None:
    for n in range(count):
        make_seizure(
            by=officer,
            occurred_at=datetime(2024, 1 + n % 12, 1 + n % 27, 3, tzinfo=UTC),
            origin_country=["PE", "CO", "US", "CN"][n % 4],
            detection_method=code("detection_method", ["intelligence", "detector_dog"][n % 2]),
        )


# Session with its user, the navigation's unread notifications, the form's offices and its
# four code lists (one query); then the codes of the split, one query per figure and the
# detection labels.
@pytest.mark.parametrize(
    ("query", "pinned"),
    [("", 11), ("?split=office&period=week", 11), ("?commodity=COMMODITY", 12)],
)
def test_the_page_is_pinned(fj_officer, query, pinned):
    client = signed_in_client(fj_officer)
    path = "/analysis/" + query.replace("COMMODITY", str(code("commodity", "drugs").pk))
    _add(fj_officer, 2)
    assert _queries(client, path) == pinned
    _add(fj_officer, 20)
    assert _queries(client, path) == pinned


@pytest.mark.parametrize(
    ("path", "pinned"),
    [
        ("/api/v1/stats/over-time/?split=commodity", 3),
        ("/api/v1/stats/over-time/?split=office&period=year", 3),
        ("/api/v1/stats/routes/", 2),
        ("/api/v1/stats/source-countries/", 2),
        ("/api/v1/stats/route-countries/", 2),
        ("/api/v1/stats/detection-methods/", 3),
    ],
)
def test_the_endpoints_are_pinned(fj_officer, path, pinned):
    client = api_client(fj_officer)
    _add(fj_officer, 2)
    assert _queries(client, path) == pinned
    _add(fj_officer, 20)
    assert _queries(client, path) == pinned
