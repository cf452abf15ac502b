"""Lists count at most a capped number of matches, say when there are more, and the API
offers a cursor feed that reads every match without counting."""

import zoneinfo
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from ncen.paginator import CappedPaginator
from seizures import selectors
from seizures.filters import SeizureFilterSet
from seizures.models import Seizure

from ..conftest import api_client, signed_in_client
from ..factories import make_seizure

pytestmark = pytest.mark.django_db

FEED = "/api/v1/seizures/feed/"


@pytest.fixture
def five_seizures(fj_officer) -> list[Seizure]:
    """Newest first: 5 to 1 March 2026, at noon in Fiji."""
    return [
        make_seizure(by=fj_officer, occurred_at=datetime(2026, 3, day, tzinfo=UTC))
        for day in range(5, 0, -1)
    ]


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)


def test_the_paginator_counts_up_to_its_cap(five_seizures, cap_of_three):
    paginator = CappedPaginator(Seizure.objects.order_by("pk"), 2)
    assert (paginator.count, paginator.count_is_exact, paginator.num_pages) == (3, False, 2)
    paginator = CappedPaginator(Seizure.objects.filter(pk__in=[s.pk for s in five_seizures[:3]]), 2)
    assert (paginator.count, paginator.count_is_exact) == (3, True)


def test_the_api_says_when_its_count_is_a_lower_bound(fj_officer, five_seizures, cap_of_three):
    client = api_client(fj_officer)
    body = client.get("/api/v1/seizures/", {"page_size": 2}).json()
    assert (body["count"], body["count_is_exact"]) == (3, False)
    assert client.get("/api/v1/seizures/", {"page_size": 2, "page": 3}).status_code == 404
    body = client.get("/api/v1/seizures/", {"occurred_to": "2026-03-01"}).json()
    assert (body["count"], body["count_is_exact"]) == (1, True)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"occurred_from": "2026-03-03"},
        {"occurred_to": "2026-03-01"},
        {"route_country": "NZ"},
        {"destination_country": "NZ", "ordering": "reference"},
        {"route_country": "TO"},
    ],
)
def test_the_api_counts_what_its_rows_match(fj_officer, five_seizures, cap_of_three, query):
    """The list counts the seizures' own query, which joins nothing, and reads the page as
    plain rows: the count and the page are those of the rows' query."""
    for day in (2, 4):
        make_seizure(
            by=fj_officer,
            occurred_at=datetime(2026, 3, day, 6, tzinfo=UTC),
            destination_country="NZ",
        )
    with timezone.override(zoneinfo.ZoneInfo(fj_officer.administration.time_zone)):
        rows = SeizureFilterSet(
            query, queryset=selectors.seizure_list_rows(user=fj_officer), request_user=fj_officer
        ).qs
        reference = CappedPaginator(rows, 2)
        first_page = [row["id"] for row in reference.page(1)] if reference.count else []
    body = api_client(fj_officer).get("/api/v1/seizures/", {"page_size": 2, **query}).json()
    assert (body["count"], body["count_is_exact"]) == (reference.count, reference.count_is_exact)
    assert [result["id"] for result in body["results"]] == first_page


def test_the_list_page_says_more_match_than_it_shows(fj_officer, five_seizures, cap_of_three):
    page = signed_in_client(fj_officer).get("/seizures/").content.decode()
    assert "More than 3 seizures match: the list shows the first 3." in page
    assert "5 seizures match" not in page


def test_the_feed_walks_every_match_newest_first(fj_officer, five_seizures, cap_of_three):
    client = api_client(fj_officer)
    seen, url, params = [], FEED, {"page_size": 2}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        seen += [row["reference"] for row in body["results"]]
        url, params = body["next"], None
    assert seen == [seizure.reference for seizure in five_seizures]


def test_the_feed_takes_the_lists_filters(fj_officer, five_seizures):
    body = api_client(fj_officer).get(FEED, {"occurred_to": "2026-03-01"}).json()
    assert [row["reference"] for row in body["results"]] == [five_seizures[-1].reference]


@pytest.mark.parametrize("parameter", ["ordering", "colour"])
def test_the_feed_refuses_an_order_or_an_unknown_parameter(fj_officer, parameter):
    response = api_client(fj_officer).get(FEED, {parameter: "reference"})
    assert response.status_code == 400
    assert parameter in str(response.json())


def test_the_feed_shows_only_the_users_administration(ws_officer, five_seizures):
    assert api_client(ws_officer).get(FEED).json()["results"] == []
