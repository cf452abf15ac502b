"""The link chart: two hops around a person or a case, within the user's administration."""

import json
import re

import pytest

from ncen.models import AuditEntry
from persons import services
from persons.selectors import link_graph

from ..conftest import signed_in_client
from ..factories import make_person, make_seizure

pytestmark = pytest.mark.django_db


@pytest.fixture
def ring(fj_officer):
    """A courier in two cases; in the second, an organiser and their company."""
    first, second = make_seizure(by=fj_officer), make_seizure(by=fj_officer)
    courier = make_person(by=fj_officer, full_name="Josefa Ravulo")
    organiser = make_person(by=fj_officer, full_name="Litia Naivalu")
    company = services.business_create(by=fj_officer, values={"name": "Lautoka Freight"})
    services.link_add(by=fj_officer, seizure=first, person=courier, role="courier")
    services.link_add(by=fj_officer, seizure=second, person=courier, role="courier")
    services.link_add(by=fj_officer, seizure=second, person=organiser, role="organiser")
    services.link_add(by=fj_officer, seizure=second, business=company, role="consignee")
    return first, second, courier, organiser, company


def test_around_a_person_the_chart_holds_their_cases_and_who_else_is_in_them(fj_officer, ring):
    first, second, courier, organiser, company = ring
    graph = link_graph(user=fj_officer, centre=courier)
    ids = {node["id"] for node in graph["nodes"]}
    assert ids == {
        f"person-{courier.pk}",
        f"seizure-{first.pk}",
        f"seizure-{second.pk}",
        f"person-{organiser.pk}",
        f"business-{company.pk}",
    }
    assert len(graph["edges"]) == 4


def test_around_a_case_the_chart_reaches_its_records_other_cases(fj_officer, ring):
    first, second, courier, _organiser, _company = ring
    graph = link_graph(user=fj_officer, centre=first)
    ids = {node["id"] for node in graph["nodes"]}
    assert ids == {f"seizure-{first.pk}", f"person-{courier.pk}", f"seizure-{second.pk}"}


def test_the_chart_page_carries_the_graph_and_is_audited(fj_officer, ring):
    courier = ring[2]
    page = signed_in_client(fj_officer).get(f"/chart/person/{courier.pk}/").content.decode()
    data = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page)
    assert json.loads(data.group(1))["centre"] == f"person-{courier.pk}"
    assert "Litia Naivalu · Organiser" in page
    assert AuditEntry.objects.filter(action="person_viewed", object_id=str(courier.pk)).exists()


def test_another_administration_gets_404(ws_officer, ring):
    client = signed_in_client(ws_officer)
    assert client.get(f"/chart/person/{ring[2].pk}/").status_code == 404
    assert client.get(f"/chart/seizure/{ring[0].pk}/").status_code == 404
    assert client.get(f"/chart/unknown/{ring[0].pk}/").status_code == 404
