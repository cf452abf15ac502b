"""An analyst filters the seizure list and saves the filters as a risk indicator; another
officer, in another browser, submits a matching record and one that does not match; a real
Celery worker checks them; the analyst sees the one alert and follows it to the record.
Real Chromium, real server, real worker on the real Redis."""

import os
import re
import time

import pytest
from playwright.sync_api import Page, expect

from indicators.models import Alert, Hit, Indicator, IndicatorCheck
from indicators.tasks import check_seizure
from ncen.models import Role, TaskRun
from ncen.tasks import email_notification

from ..celery_worker import running_worker, send_to
from ..factories import PASSWORD, UserFactory, code, make_seizure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, url: str, user) -> None:
    page.goto(f"{url}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def _nav(page: Page, name: str):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile(name))


def _checked(seizure, timeout: float = 60) -> TaskRun:
    """The worker's finished check of ``seizure``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = TaskRun.objects.filter(
            name=check_seizure.name, arguments__seizure_id=seizure.pk
        ).first()
        if run is not None and run.status in (TaskRun.Status.SUCCEEDED, TaskRun.Status.FAILED):
            return run
        time.sleep(0.2)
    raise AssertionError(f"{seizure.reference} was not checked in {timeout} s")


def test_saved_filters_alert_their_recipient_of_a_matching_record(
    live_server, browser, fj_officer, monkeypatch
):
    queue = f"test-{os.getpid()}-indicator-journey"
    send_to(check_seizure, queue, monkeypatch)
    send_to(email_notification, queue, monkeypatch)
    colleague = UserFactory(
        username="fj.officer2",
        administration=fj_officer.administration,
        role=Role.OFFICER,
        office=fj_officer.office,
    )
    matching = make_seizure(by=colleague)  # cocaine, air passenger
    other = make_seizure(by=colleague, transport_mode=code("transport_mode", "sea_cargo"))
    analyst_context, officer_context = browser.new_context(), browser.new_context()
    analyst, officer = analyst_context.new_page(), officer_context.new_page()
    url = live_server.url

    # The analyst filters the seizure list and saves the filters as an indicator.
    _sign_in(analyst, url, fj_officer)
    _nav(analyst, "Seizures").click()
    filters = analyst.get_by_role("form", name="Filter seizures")
    filters.get_by_label("Commodity").select_option(label="Cocaine")
    filters.get_by_label("Transport").select_option(label="Air passenger")
    filters.get_by_role("button", name="Filter").click()
    expect(analyst.get_by_role("status")).to_contain_text("1 seizure matches")
    analyst.get_by_role("link", name="Save as indicator").click()
    expect(analyst.get_by_label("Commodity")).to_have_value(str(code("commodity", "cocaine").pk))
    analyst.get_by_label("Name").fill("Cocaine by air passengers")
    analyst.get_by_label("Rationale").fill("Couriers from South America through Sydney.")
    expect(analyst.get_by_label(re.compile(r"\(fj\.officer\)"))).to_be_checked()
    analyst.get_by_role("button", name="Save as indicator").click()
    expect(analyst.get_by_role("status").first).to_contain_text("watches new records")
    main = analyst.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Cocaine by air passengers")
    criteria = main.locator("dl.criteria")
    expect(criteria).to_contain_text(re.compile(r"Commodity\s*Cocaine"))
    expect(criteria).to_contain_text(re.compile(r"Transport\s*Air passenger"))
    indicator = Indicator.objects.get()

    with running_worker(queue):
        # Another officer, in another browser, submits both records.
        _sign_in(officer, url, colleague)
        for seizure in (matching, other):
            officer.goto(f"{url}/seizures/{seizure.pk}/")
            officer.get_by_role("button", name="Submit for review").click()
            expect(officer.get_by_role("status")).to_contain_text("is submitted for review")
        runs = [_checked(matching), _checked(other)]
    assert [run.status for run in runs] == [TaskRun.Status.SUCCEEDED] * 2, runs
    assert runs[0].result["new_hits"] == [indicator.pk]
    assert runs[1].result["matched"] == []

    # The analyst sees one alert, for the matching record only, and follows it.
    analyst.goto(f"{url}/")
    expect(_nav(analyst, "Notifications")).to_contain_text("1")
    _nav(analyst, "Alerts").click()
    alerts = analyst.get_by_role("table", name=re.compile("matched a risk indicator"))
    expect(alerts.get_by_role("row")).to_have_count(2)  # the heading and one alert
    expect(alerts).to_contain_text("Cocaine by air passengers")
    expect(alerts).not_to_contain_text(other.reference)
    alerts.get_by_role("link", name=matching.reference).click()
    expect(analyst.get_by_role("heading", level=1)).to_contain_text(matching.reference)

    # The indicator's page counts both records checked and the one hit.
    analyst.goto(f"{url}/indicators/{indicator.pk}/")
    expect(analyst.locator(".hit-rate")).to_contain_text(
        "Hit rate 50.0 %: 1 of 2 records checked matched."
    )
    expect(analyst.get_by_role("main").get_by_role("link", name=matching.reference)).to_be_visible()
    assert list(Hit.objects.values_list("seizure_id", flat=True)) == [matching.pk]
    assert IndicatorCheck.objects.count() == 2
    assert list(Alert.objects.values_list("recipient__username", flat=True)) == ["fj.officer"]
