"""The indicator and alert pages: saving from the search, refusals on the form, who sees and
changes what, and query counts that do not grow with the records."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import services
from indicators.models import Indicator
from indicators.selectors import alert_list

from ..conftest import signed_in_client
from ..factories import code, make_seizure
from .conftest import make_indicator

pytestmark = pytest.mark.django_db


def test_the_seizure_list_offers_its_filters_as_an_indicator(fj_officer, fj_admin):
    cocaine = code("commodity", "cocaine").pk
    page = signed_in_client(fj_officer).get(f"/seizures/?commodity={cocaine}&ordering=reference")
    assert f'href="/indicators/new/?commodity={cocaine}&amp;ordering=reference"' in (
        page.content.decode()
    )
    # Without filters, or for a role that does not create indicators, no such link.
    assert b"Save as indicator" not in signed_in_client(fj_officer).get("/seizures/").content
    admin_page = signed_in_client(fj_admin).get(f"/seizures/?commodity={cocaine}")
    assert b"Save as indicator" not in admin_page.content


def test_saving_from_the_search(fj_officer, fj_supervisor):
    client = signed_in_client(fj_officer)
    cocaine = code("commodity", "cocaine").pk
    form = client.get(f"/indicators/new/?commodity={cocaine}&ordering=reference&page=2")
    assert form.status_code == 200
    body = form.content.decode()
    assert f'<option value="{cocaine}" selected>' in body
    assert "not a filter" not in body  # the list's order and page are left out quietly
    response = client.post(
        "/indicators/new/",
        {
            "name": "Cocaine",
            "rationale": "Watch it.",
            "recipients": [fj_officer.pk, fj_supervisor.pk],
            "criteria-commodity": cocaine,
        },
    )
    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/indicators/{indicator.pk}/"
    assert indicator.criteria == {"commodity": str(cocaine)}
    assert set(indicator.recipients.all()) == {fj_officer, fj_supervisor}


def test_saving_from_a_search_through_several_route_countries_keeps_them_all(fj_officer):
    client = signed_in_client(fj_officer)
    search = client.get("/seizures/?route_country=NZ&route_country=PE").content.decode()
    assert 'href="/indicators/new/?route_country=NZ&amp;route_country=PE"' in search
    form = client.get("/indicators/new/?route_country=NZ&route_country=PE").content.decode()
    assert (
        re.findall(r'<select name="criteria-route_country"', form)
        == ['<select name="criteria-route_country"'] * 2
    )
    assert '<option value="NZ" selected>' in form
    assert '<option value="PE" selected>' in form
    response = client.post(
        "/indicators/new/",
        {
            "name": "Through Auckland from Peru",
            "rationale": "Watch it.",
            "recipients": [fj_officer.pk],
            "criteria-route_country": ["NZ", "PE"],
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.criteria == {"route_country": ["NZ", "PE"]}
    listed = client.get("/indicators/").content.decode()
    assert "New Zealand and Peru" in listed


def test_bad_criteria_are_said_on_the_form_and_what_was_typed_is_kept(fj_officer):
    client = signed_in_client(fj_officer)
    opened = client.get("/indicators/new/?colour=red")
    assert "colour: not a filter of seizures." in opened.content.decode()
    response = client.post(
        "/indicators/new/",
        {
            "name": "Dated",
            "rationale": "Keep this text.",
            "recipients": [fj_officer.pk],
            "criteria-occurred_from": "not a date",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "From: Enter a valid date." in body
    assert "Keep this text." in body
    assert not Indicator.objects.exists()
    empty = client.post(
        "/indicators/new/", {"name": "All", "rationale": "x", "recipients": [fj_officer.pk]}
    )
    assert "Choose at least one filter" in empty.content.decode()


def test_another_administrations_indicator_is_not_found(fj_officer, ws_officer):
    indicator = make_indicator(by=fj_officer)
    client = signed_in_client(ws_officer)
    for path in (f"/indicators/{indicator.pk}/", f"/indicators/{indicator.pk}/edit/"):
        assert client.get(path).status_code == 404
    assert indicator.name not in client.get("/indicators/").content.decode()


def test_a_colleague_sees_it_but_only_owner_and_supervisors_edit(fj_officer, fj_supervisor):
    from ..factories import UserFactory

    colleague = UserFactory(
        username="fj.colleague", administration=fj_officer.administration, role="officer"
    )
    indicator = make_indicator(by=fj_officer)
    client = signed_in_client(colleague)
    assert client.get(f"/indicators/{indicator.pk}/").status_code == 200
    assert client.get(f"/indicators/{indicator.pk}/edit/").status_code == 403
    refused = client.post(f"/indicators/{indicator.pk}/edit/", {"name": "Mine now"})
    assert refused.status_code == 403
    supervisor = signed_in_client(fj_supervisor)
    response = supervisor.post(
        f"/indicators/{indicator.pk}/edit/",
        {
            "name": indicator.name,
            "rationale": indicator.rationale,
            "recipients": [fj_officer.pk],
            "criteria-commodity": indicator.criteria["commodity"],
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert not indicator.is_active  # the unticked box deactivates it


def test_the_detail_page_shows_the_criteria_in_words_and_the_hit_rate(fj_officer):
    indicator = make_indicator(by=fj_officer)
    hit, miss = (
        make_seizure(by=fj_officer),
        make_seizure(by=fj_officer, transport_mode=code("transport_mode", "sea_cargo")),
    )
    for seizure in (hit, miss):
        services.indicators_check(seizure_id=seizure.pk, actor_id=fj_officer.pk)
    body = signed_in_client(fj_officer).get(f"/indicators/{indicator.pk}/").content.decode()
    assert "<dt>Commodity</dt> <dd>Cocaine</dd>" in body
    assert "<dt>Transport</dt> <dd>Air passenger</dd>" in body
    assert "Hit rate 50.0 %: 1 of 2 records checked matched." in body
    assert f'href="/seizures/{hit.pk}/">{hit.reference}</a>' in body
    assert miss.reference not in body


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        assert response.status_code == 200
    return len(captured)


def _hits(user, count):
    for _ in range(count):
        seizure = make_seizure(by=user)
        services.indicators_check(seizure_id=seizure.pk, actor_id=user.pk)


@pytest.mark.parametrize(
    ("path", "pinned"),
    [
        # Session with its user, the capped count and the page, and the navigation's unread
        # notifications; the indicators' recipients, and the codes their criteria name.
        ("/indicators/", 6),
        ("/alerts/", 4),
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(fj_officer, fj_supervisor, path, pinned):
    client = signed_in_client(fj_officer)
    make_indicator(by=fj_officer, recipients=[fj_officer, fj_supervisor])
    _hits(fj_officer, 1)
    assert _queries(client, path) == pinned
    for n in range(3):
        make_indicator(by=fj_officer, name=f"More {n}", recipients=[fj_officer, fj_supervisor])
    _hits(fj_officer, 4)
    assert _queries(client, path) == pinned


def test_the_detail_page_runs_a_fixed_number_of_queries(fj_officer):
    indicator = make_indicator(by=fj_officer)
    client = signed_in_client(fj_officer)
    _hits(fj_officer, 1)
    assert _queries(client, f"/indicators/{indicator.pk}/") == DETAIL_QUERIES
    _hits(fj_officer, 5)
    assert _queries(client, f"/indicators/{indicator.pk}/") == DETAIL_QUERIES


# The indicator's page, pinned: the same with one hit or six.
DETAIL_QUERIES = 8


def test_alerts_are_marked_read_one_or_all(fj_officer):
    make_indicator(by=fj_officer)
    _hits(fj_officer, 2)
    client = signed_in_client(fj_officer)
    first = alert_list(user=fj_officer).first()
    assert client.post("/alerts/read/", {"alert": first.pk}).status_code == 302
    assert alert_list(user=fj_officer).filter(notification__read_at__isnull=True).count() == 1
    client.post("/alerts/read/", {"alert": "x"})  # not an id: nothing marked
    assert alert_list(user=fj_officer).filter(notification__read_at__isnull=True).count() == 1
    client.post("/alerts/read/")
    assert not alert_list(user=fj_officer).filter(notification__read_at__isnull=True).exists()
