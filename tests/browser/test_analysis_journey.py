"""An analyst opens the dashboard, filters by a commodity, clicks a bar of the chart and
lands on the matching records; saves those filters as a risk indicator; another officer, in
another browser, submits a matching record and one that does not match; a real Celery
worker checks them; the analyst sees the one alert and follows it to the record. Real
Chromium, real server, real worker on the real Redis."""

import os
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from indicators.models import Alert, Hit, Indicator, IndicatorCheck
from indicators.tasks import check_seizure
from ncen.models import Role, TaskRun
from ncen.tasks import email_notification

from ..celery_worker import finished, running_worker, send_to, wait_until
from ..factories import UserFactory, code, make_seizure
from .pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _nav(page: Page, name: str):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile(name))


def _checked(seizure, timeout: float = 60) -> TaskRun:
    """The worker's finished check of ``seizure``."""
    run = wait_until(
        lambda: TaskRun.objects.filter(
            name=check_seizure.name, arguments__seizure_id=seizure.pk
        ).first(),
        timeout=timeout,
        what=f"the check of {seizure.reference} to be queued",
    )
    return finished(run, timeout=timeout)


def _seizure(officer, when: datetime, commodity: str, unit: str = "kg"):
    return make_seizure(
        by=officer,
        occurred_at=when,
        items=[
            {
                "commodity": code("commodity", commodity),
                "quantity": Decimal("1"),
                "unit": code("unit", unit),
            }
        ],
    )


def test_a_bar_of_the_dashboard_becomes_an_indicator_that_alerts_of_a_matching_record(
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
    # Cocaine: three in November, one in December; methamphetamine and cannabis once each
    # in November; cigarettes (not drugs) in November too.
    for day in (3, 12, 20):
        _seizure(fj_officer, datetime(2025, 11, day, 2, tzinfo=UTC), "cocaine")
    _seizure(fj_officer, datetime(2025, 12, 8, 2, tzinfo=UTC), "cocaine")
    _seizure(fj_officer, datetime(2025, 11, 15, 2, tzinfo=UTC), "methamphetamine")
    _seizure(fj_officer, datetime(2025, 11, 16, 2, tzinfo=UTC), "cannabis_herbal")
    _seizure(fj_officer, datetime(2025, 11, 17, 2, tzinfo=UTC), "cigarettes", unit="sticks")
    analyst_context, officer_context = browser.new_context(), browser.new_context()
    analyst, officer = analyst_context.new_page(), officer_context.new_page()
    url = live_server.url

    # The analyst narrows the dashboard to drugs and clicks November's cocaine bar.
    sign_in(analyst, url, fj_officer)
    _nav(analyst, "Analysis").click()
    expect(analyst.get_by_role("heading", name="Seizures over time")).to_be_visible()
    analyst.get_by_label("Commodity").select_option(label="Drugs")
    analyst.get_by_role("button", name="Filter").click()
    # Split by commodity within Drugs: one series per drug (the most seized first), one
    # bar per month; the cigarettes are left out.
    expect(analyst.locator("#over-time-table thead th")).to_have_text(
        ["Period", "Cocaine", "Cannabis, herbal", "Methamphetamine and other ATS"]
    )
    analyst.wait_for_function("window.ncenDashboard && window.ncenDashboard.overTime")
    # Cocaine is the first series; November is the first month.
    x, y = analyst.evaluate(
        """() => {
            const bar = window.ncenDashboard.overTime.getDatasetMeta(0).data[0];
            return [bar.x, (bar.y + bar.base) / 2];
        }"""
    )
    analyst.locator("#over-time-chart").click(position={"x": x, "y": y})

    # The bar's records: cocaine in November.
    analyst.wait_for_url("**/seizures/?**")
    assert f"commodity={code('commodity', 'cocaine').pk}" in analyst.url
    assert "occurred_from=2025-11-01" in analyst.url
    assert "occurred_to=2025-11-30" in analyst.url
    expect(analyst.get_by_role("status")).to_have_text("3 seizures match.")
    expect(analyst.locator("table.seizure-list tbody tr")).to_have_count(3)

    # Those filters become an indicator.
    analyst.get_by_role("link", name="Save as indicator").click()
    expect(analyst.get_by_label("Commodity")).to_have_value(str(code("commodity", "cocaine").pk))
    analyst.get_by_label("Name").fill("Cocaine in November")
    analyst.get_by_label("Rationale").fill("Couriers from South America through Sydney.")
    expect(analyst.get_by_label(re.compile(r"\(fj\.officer\)"))).to_be_checked()
    analyst.get_by_role("button", name="Save as indicator").click()
    expect(analyst.get_by_role("status").first).to_contain_text("watches new records")
    main = analyst.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Cocaine in November")
    expect(main.locator("dl.criteria")).to_contain_text(re.compile(r"Commodity\s*Cocaine"))
    indicator = Indicator.objects.get()
    # A colleague's cocaine seizure of November matches; the one of December does not.
    matching = _seizure(colleague, datetime(2025, 11, 25, 2, tzinfo=UTC), "cocaine")
    other = _seizure(colleague, datetime(2025, 12, 9, 2, tzinfo=UTC), "cocaine")

    with running_worker(queue):
        # Another officer, in another browser, submits both records.
        sign_in(officer, url, colleague)
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
    expect(_nav(analyst, "Notifications")).to_contain_text(re.compile(r"\b1\b"))
    _nav(analyst, "Alerts").click()
    alerts = analyst.get_by_role("table", name=re.compile("matched a risk indicator"))
    expect(alerts.get_by_role("row")).to_have_count(2)  # the heading and one alert
    expect(alerts).to_contain_text("Cocaine in November")
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
