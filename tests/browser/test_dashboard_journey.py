"""An analyst opens the dashboard, filters by a commodity, clicks a bar of the chart and
lands on the matching records. Real Chromium against the live server."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from ..factories import PASSWORD, code, make_seizure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seizure(officer, when: datetime, commodity: str, unit: str = "kg") -> None:
    make_seizure(
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


def test_analyst_filters_the_dashboard_and_opens_the_records_behind_a_bar(
    live_server, page: Page, fj_officer
):
    # Cocaine: three in November, one in December; methamphetamine and cannabis once each
    # in November; cigarettes (not drugs) in November too.
    for day in (3, 12, 20):
        _seizure(fj_officer, datetime(2025, 11, day, 2, tzinfo=UTC), "cocaine")
    _seizure(fj_officer, datetime(2025, 12, 8, 2, tzinfo=UTC), "cocaine")
    _seizure(fj_officer, datetime(2025, 11, 15, 2, tzinfo=UTC), "methamphetamine")
    _seizure(fj_officer, datetime(2025, 11, 16, 2, tzinfo=UTC), "cannabis_herbal")
    _seizure(fj_officer, datetime(2025, 11, 17, 2, tzinfo=UTC), "cigarettes", unit="sticks")

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("fj.officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Analysis").click()
    expect(page.get_by_role("heading", name="Seizures over time")).to_be_visible()
    page.get_by_label("Commodity").select_option(label="Drugs")
    page.get_by_role("button", name="Filter").click()

    # Split by commodity within Drugs: one series per drug (the most seized first), one
    # bar per month; the cigarettes are left out.
    table = page.locator("#over-time-table")
    expect(table.locator("thead th")).to_have_text(
        ["Period", "Cocaine", "Cannabis, herbal", "Methamphetamine and other ATS"]
    )
    page.wait_for_function("window.ncenDashboard && window.ncenDashboard.overTime")
    # Cocaine is the first series; November is the first month.
    x, y = page.evaluate(
        """() => {
            const bar = window.ncenDashboard.overTime.getDatasetMeta(0).data[0];
            return [bar.x, (bar.y + bar.base) / 2];
        }"""
    )
    page.locator("#over-time-chart").click(position={"x": x, "y": y})

    page.wait_for_url("**/seizures/?**")
    assert f"commodity={code('commodity', 'cocaine').pk}" in page.url
    assert "occurred_from=2025-11-01" in page.url
    assert "occurred_to=2025-11-30" in page.url
    expect(page.get_by_role("status")).to_have_text("3 seizures match.")
    expect(page.locator("table.seizure-list tbody tr")).to_have_count(3)
    expect(page.get_by_label("Commodity")).to_have_value(str(code("commodity", "cocaine").pk))
