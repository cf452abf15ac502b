"""An officer records a seizure in two steps, finds it, exports it and reads it back.
Real Chromium against the live server."""

import csv
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from seizures.models import Seizure

from .pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _photo(tmp_path) -> str:
    path = tmp_path / "lining.jpg"
    Image.new("RGB", (640, 480), (120, 90, 60)).save(path, format="JPEG")
    return str(path)


def _pick(page: Page, label: str, text: str) -> None:
    """Use the searchable picker as an officer would: type into its filter box."""
    page.get_by_role("searchbox", name=f"Filter: {label}").fill(text)


def test_officer_records_completes_finds_exports_and_reads_a_seizure(
    live_server, page: Page, fj_officer, tmp_path
):
    sign_in(page, live_server.url, fj_officer)

    # 1. The simplified form.
    page.get_by_role("link", name="Record a seizure").first.click()
    page.get_by_label("Date and time").fill("2026-03-14T09:30")
    page.get_by_label("Office").select_option(label="Suva Port")
    _pick(page, "Commodity", "metham")
    page.get_by_label("Quantity").fill("1.2")
    page.get_by_label("Unit").select_option(label="Kilograms")
    page.get_by_label("Detection method").select_option(label="Detector dog")
    page.get_by_label("Transport mode").select_option(label="Air passenger")
    _pick(page, "Country of origin", "mexi")
    _pick(page, "Country of departure", "united states")
    _pick(page, "Country of destination", "fiji")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("is saved as a draft")
    seizure = Seizure.objects.get()
    assert seizure.route == ["MX", "US", "FJ"]

    # 2. The full form: a second item, a transit country, a narrative, an offence.
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="Add an item").click()
    new_item = page.locator("[data-rows=items] [data-row]").nth(1)
    new_item.get_by_role("searchbox").fill("undeclared currency")
    new_item.get_by_label("Quantity").fill("18000")
    new_item.get_by_label("Unit").select_option(label="Amount of currency")
    new_item.get_by_label("Currency").fill("USD")
    new_item.get_by_label("Estimated value").fill("18000")
    _pick(page, "Transit country 1", "new zealand")
    page.get_by_label("Flight number").fill("FJ811")
    page.get_by_label("Narrative and modus operandi").fill(
        "Courier carried crystalline powder in a shampoo bottle; cash in the jacket lining."
    )
    page.get_by_role("button", name="Add an offence").click()
    page.get_by_label("Legal provision").fill("Customs Act 1986, s. 135")
    page.get_by_label("Offence type").select_option(label="Smuggling")
    page.locator("[data-rows=offences]").get_by_label("Status").select_option(
        label="Under investigation"
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("version 2")

    # ... and a photo.
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Kind").select_option("photo")
    page.get_by_label("File").set_input_files(_photo(tmp_path))
    page.get_by_label("Caption").fill("Shampoo bottle")
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("status")).to_contain_text("The file is attached")

    # 3. Found by free text and by filters.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Seizures").click()
    page.get_by_label("Text").fill("shampoo")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name=seizure.reference)).to_be_visible()
    page.get_by_label("Text").fill("")
    page.get_by_label("Route country").select_option("NZ")
    page.get_by_label("Commodity").select_option(label="Drugs")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name=seizure.reference)).to_be_visible()

    # 4. The filtered list exported.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("CSV")).click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert seizure.reference in rows[1]

    # 5. The detail page, with everything.
    page.get_by_role("link", name=seizure.reference).click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Methamphetamine")
    expect(main).to_contain_text("18,000")
    expect(main).to_contain_text("Customs Act 1986, s. 135")
    expect(main).to_contain_text("shampoo bottle")
    expect(main.get_by_role("img", name="Shampoo bottle")).to_be_visible()
