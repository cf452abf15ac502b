"""Lists and endpoints of nominal records run a fixed number of queries, whatever the number
of records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from persons import services

from ..conftest import api_client, signed_in_client
from ..factories import make_person, make_seizure

pytestmark = pytest.mark.django_db


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200, response.content
    return len(captured)


def _add(user, count, start):
    for n in range(start, start + count):
        person = make_person(
            by=user,
            full_name=f"Josefa Ravulo {n}",
            phones=[f"+679 990 {n:04d}"],
            documents=[{"kind": "passport", "number": f"FJ{n:06d}"}],
        )
        services.business_create(by=user, values={"name": f"Lautoka Freight {n}"})
        conveyance = services.conveyance_create(
            by=user, values={"kind": "container", "identifier": f"MSCU{n:07d}"}
        )
        seizure = make_seizure(by=user)
        services.link_add(by=user, seizure=seizure, person=person, role="courier")
        services.link_add(by=user, seizure=seizure, conveyance=conveyance, role="other")


@pytest.mark.parametrize(
    ("path", "pinned"),
    [
        ("/persons/", 5),
        ("/persons/?q=ravulo&document=FJ000001", 5),
        ("/businesses/", 4),
        ("/conveyances/", 4),
    ],
)
def test_list_pages_are_pinned(fj_officer, path, pinned):
    client = signed_in_client(fj_officer)
    _add(fj_officer, 3, 0)
    assert _queries(client, path) == pinned
    _add(fj_officer, 12, 3)
    assert _queries(client, path) == pinned


@pytest.mark.parametrize(
    ("path", "pinned"),
    [
        ("/api/v1/persons/", 4),
        ("/api/v1/businesses/", 3),
        ("/api/v1/conveyances/", 3),
        ("/api/v1/links/", 3),
        # Token, documents, then the names in a savepoint that sets the trigram threshold
        # and reads the typed words (savepoint, settings, distinct names by trigrams and by
        # words in one query, rollback to the savepoint so that the settings go with it,
        # release), the persons bearing them, the candidates and their documents. The
        # endpoint itself runs outside a transaction: there the names take BEGIN, settings,
        # query, ROLLBACK, as many statements as a COMMIT did (9 in all, as before).
        ("/api/v1/persons/match/?q=josefa+ravulo&document=FJ000001", 10),
        ("/api/v1/businesses/match/?q=lautoka+freight", 6),
    ],
)
def test_endpoints_are_pinned(fj_officer, path, pinned):
    client = api_client(fj_officer)
    _add(fj_officer, 3, 0)
    assert _queries(client, path) == pinned
    _add(fj_officer, 12, 3)
    assert _queries(client, path) == pinned


def test_the_seizure_panel_is_pinned_however_many_links(fj_officer):
    client = signed_in_client(fj_officer)
    seizure = make_seizure(by=fj_officer)

    def link(count, start):
        for n in range(start, start + count):
            person = make_person(
                by=fj_officer,
                full_name=f"Mele Vea {n}",
                phones=[f"679 880 {n:04d}"],
                documents=[{"kind": "passport", "number": f"TO{n:05d}"}],
            )
            services.link_add(by=fj_officer, seizure=seizure, person=person, role="courier")

    link(2, 0)
    pinned = _queries(client, f"/seizures/{seizure.pk}/")
    link(8, 2)
    assert _queries(client, f"/seizures/{seizure.pk}/") == pinned


def test_the_person_page_is_pinned_however_many_cases(fj_officer):
    """Session with its user, the person and their documents; six statements for the audit entry of
    the reading (savepoint, chain lock, jsonb round trip, chain head, insert, release); then
    one query each for their links, others sharing a document, others sharing a phone, those
    others' links, the cases, the received regional records sharing a document or phone
    (one query, 17 before they were listed) and the merges that may be undone; and the
    navigation's unread notifications."""
    client = signed_in_client(fj_officer)
    person = make_person(by=fj_officer, phones=["679 990 0001"])

    def cases(count):
        for _ in range(count):
            services.link_add(
                by=fj_officer, seizure=make_seizure(by=fj_officer), person=person, role="courier"
            )
            namesake = make_person(by=fj_officer, phones=["+679 990 0001"])
            services.link_add(
                by=fj_officer, seizure=make_seizure(by=fj_officer), person=namesake, role="driver"
            )

    cases(1)
    assert _queries(client, f"/persons/{person.pk}/") == 16
    cases(5)
    assert _queries(client, f"/persons/{person.pk}/") == 16


def test_the_duplicates_queue_is_pinned(fj_supervisor):
    from persons.tasks import find_duplicates

    client = signed_in_client(fj_supervisor)

    def twins(count, start):
        for n in range(start, start + count):
            number = {"kind": "passport", "number": f"FJ{n:06d}"}
            make_person(by=fj_supervisor, full_name=f"Josefa Ravulo {n}", documents=[number])
            make_person(by=fj_supervisor, full_name=f"Josefa Ravula {n}", documents=[number])
        find_duplicates.apply()

    twins(2, 0)
    # 8 of its own, then the navigation's unread notifications and review queue count
    assert _queries(client, "/persons/duplicates/") == 10
    twins(6, 2)
    assert _queries(client, "/persons/duplicates/") == 10


def test_the_business_duplicates_queue_is_pinned(fj_supervisor):
    from persons.tasks import find_duplicates

    client = signed_in_client(fj_supervisor)

    def twins(count, start):
        for n in range(start, start + count):
            for name in (f"Lautoka Freight {n} Ltd", f"Lautoka Freight {n} Limited"):
                services.business_create(
                    by=fj_supervisor, values={"name": name, "registration_number": f"FJ{n:06d}"}
                )
        find_duplicates.apply()

    twins(2, 0)
    # 6 of its own, then the navigation's unread notifications and review queue count
    assert _queries(client, "/businesses/duplicates/") == 8
    twins(6, 2)
    assert _queries(client, "/businesses/duplicates/") == 8
