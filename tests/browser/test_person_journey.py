"""An officer adds a suspect to a case: types the name misspelled, sees the person already
on record proposed with the reasons, links them; the person's page lists both cases, and
the link chart draws them. Real Chromium against the live server."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from persons import services

from ..factories import make_person, make_seizure
from .pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_links_an_existing_suspect_found_by_a_misspelled_name(
    live_server, page: Page, fj_officer
):
    earlier, today = make_seizure(by=fj_officer), make_seizure(by=fj_officer)
    courier = make_person(
        by=fj_officer,
        full_name="Josefa Ravulo",
        birth_date=date(1988, 3, 14),
        documents=[{"kind": "passport", "number": "FJ448812"}],
    )
    make_person(by=fj_officer, full_name="Litia Naivalu")
    services.link_add(by=fj_officer, seizure=earlier, person=courier, role="courier")

    sign_in(page, live_server.url, fj_officer)

    page.goto(f"{live_server.url}/seizures/{today.pk}/")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Name", exact=True).press_sequentially("josefa ravullo", delay=20)
    page.get_by_label("Date of birth").fill("1988-03-14")

    candidate = page.locator("#candidates li.candidate").first
    expect(candidate).to_contain_text("Josefa Ravulo")
    expect(candidate).to_contain_text("% similar")
    expect(candidate).to_contain_text("same date of birth")
    expect(page.locator("#candidates")).not_to_contain_text("Litia Naivalu")

    page.get_by_label("Role in the case").select_option(label="Passenger")
    candidate.get_by_role("button", name="Link").click()
    expect(page.get_by_role("status")).to_contain_text("Josefa Ravulo is linked to")
    panel = page.locator("section", has=page.get_by_role("heading", name="Related cases"))
    expect(panel).to_contain_text(earlier.reference)

    page.get_by_role("main").get_by_role("link", name="Josefa Ravulo").first.click()
    cases = page.locator("table.cases")
    expect(cases).to_contain_text(earlier.reference)
    expect(cases).to_contain_text(today.reference)
    expect(cases).to_contain_text("Passenger")

    page.get_by_role("link", name="Link chart").click()
    expect(page.locator("#chart canvas").first).to_be_visible()
    assert page.evaluate("window.ncenChart.nodes().length") == 3
    links = page.locator("ul.chart-links")
    expect(links).to_contain_text(f"Josefa Ravulo · Courier · {earlier.reference}")
    expect(links).to_contain_text(f"Josefa Ravulo · Passenger · {today.reference}")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Save as image").click()
    assert download_info.value.suggested_filename == f"chart-person-{courier.pk}.png"
