"""List pages and endpoints run a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ncen import audit

from ..conftest import api_client, signed_in_client
from ..factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _add_users(administration, count):
    for _ in range(count):
        UserFactory(
            administration=administration, office=OfficeFactory(administration=administration)
        )


def _add_audit(actor, count):
    for n in range(count):
        audit.record(action="user_updated", actor=actor, object_type="t", object_id=n)


# Each page counts the unread notifications of its navigation bar in one query.
@pytest.mark.parametrize(
    ("path", "pinned", "add"),
    [
        ("/users/", 6, _add_users),
        ("/audit/", 5, _add_audit),
    ],
)
def test_list_pages_are_pinned(fj_admin, path, pinned, add):
    client = signed_in_client(fj_admin)
    target = fj_admin.administration if add is _add_users else fj_admin
    add(target, 3)
    assert _queries(client, path) == pinned
    add(target, 30)
    assert _queries(client, path) == pinned


@pytest.mark.parametrize(
    ("path", "pinned", "add"),
    [
        ("/api/v1/users/", 3, _add_users),
        ("/api/v1/audit/", 3, _add_audit),
    ],
)
def test_list_endpoints_are_pinned(fj_admin, path, pinned, add):
    client = api_client(fj_admin)
    target = fj_admin.administration if add is _add_users else fj_admin
    add(target, 3)
    assert _queries(client, path) == pinned
    add(target, 30)
    assert _queries(client, path) == pinned


def test_the_users_page_reads_nothing_through_a_server_side_cursor(fj_admin):
    """The office filter's options are fetched with their query: through a cursor
    (QuerySet.iterator()), declaring, fetching and closing it were three round trips."""
    _add_users(fj_admin.administration, 3)
    with CaptureQueriesContext(connection) as captured:
        html = signed_in_client(fj_admin).get("/users/").content.decode()
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if sql.startswith("DECLARE")]
    assert [sql for sql in statements if 'FROM "ncen_office"' in sql]
    assert f">{fj_admin.office.name}</option>" in html
