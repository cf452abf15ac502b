"""The seizure list page and its exports run a fixed number of queries, whatever the number
of seizures (below one export chunk of 2,000)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..conftest import signed_in_client
from ..factories import code, make_seizure

pytestmark = pytest.mark.django_db


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


def _add_seizures(user, count):
    for n in range(count):
        make_seizure(
            by=user,
            transit_countries=["NZ"] if n % 2 else [],
            concealment_method=code("concealment_method", "on_body"),
        )


@pytest.mark.parametrize(
    ("path", "pinned"),
    [
        ("/seizures/", 7),  # 6, and the navigation's unread notifications
        ("/seizures/?route_country=NZ&ordering=reference", 7),
        ("/seizures/export.csv", 3),
        ("/seizures/export.xlsx", 3),
    ],
)
def test_seizure_list_and_exports_are_pinned(fj_officer, path, pinned):
    client = signed_in_client(fj_officer)
    _add_seizures(fj_officer, 3)
    assert _queries(client, path) == pinned
    _add_seizures(fj_officer, 27)  # 30 in all
    assert _queries(client, path) == pinned


def test_the_list_page_reads_nothing_through_a_server_side_cursor(fj_officer):
    """The office filter's options are fetched with their query: through a cursor
    (QuerySet.iterator()), declaring, fetching and closing it were three round trips."""
    client = signed_in_client(fj_officer)
    _add_seizures(fj_officer, 3)
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/seizures/").content.decode()
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if sql.startswith("DECLARE")]
    assert [sql for sql in statements if 'FROM "ncen_office"' in sql]
    assert f">{fj_officer.office.name}</option>" in html


def test_detail_page_is_pinned(fj_officer):
    """Session with its user and their administration, the seizure, then one query each
    for its items, offences, attachments, the persons and businesses its payload reads,
    history and the persons panel's links, however many of each, and the navigation's
    unread notifications."""
    from seizures import services

    client = signed_in_client(fj_officer)
    seizure = make_seizure(by=fj_officer)
    assert _queries(client, f"/seizures/{seizure.pk}/") == 9
    for version in (1, 2, 3):
        services.seizure_update(
            by=fj_officer,
            seizure=seizure,
            expected_version=version,
            values={"narrative": f"Version {version + 1}"},
            items=[
                {
                    "commodity": code("commodity", "cocaine"),
                    "quantity": n,
                    "unit": code("unit", "kg"),
                }
                for n in (1, 2, 3)
            ],
        )
    assert _queries(client, f"/seizures/{seizure.pk}/") == 9
