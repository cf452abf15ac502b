"""An officer imports seizures from the template: a file with an error, then the corrected
file, the import followed on its progress bar, and the imported drafts. Real Chromium
against the live server, and a real Celery worker."""

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from seizures.models import Seizure
from seizures.tasks import import_seizures

from ..celery_worker import running_worker, send_to
from ..seizures.import_files import GOOD_ROWS, with_bad_row
from .pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _filled(template: Path, rows: list[dict], target: Path) -> str:
    """The downloaded template with ``rows`` written under its header."""
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(name, "") for name in header])
    workbook.save(target)
    return str(target)


def test_officer_imports_a_spreadsheet(live_server, page: Page, fj_officer, tmp_path, monkeypatch):
    queue = f"test-{os.getpid()}-import-journey"
    send_to(import_seizures, queue, monkeypatch)
    sign_in(page, live_server.url, fj_officer)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Seizures").click()
    page.get_by_role("link", name="Import from a spreadsheet").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the template (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    template = tmp_path / download.suggested_filename
    download.save_as(template)

    # A file with one bad row: the row and the column are shown, nothing is offered.
    page.get_by_label("Spreadsheet").set_input_files(
        _filled(template, with_bad_row(GOOD_ROWS), tmp_path / "march.xlsx")
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("The file has 1 problem")
    problem = page.locator("table.import-errors tbody tr")
    expect(problem).to_have_count(1)
    expect(problem.locator("td").nth(0)).to_have_text("4")
    expect(problem.locator("td").nth(1)).to_have_text("Unit")
    expect(problem.locator("td").nth(2)).to_contain_text("Cigarettes is counted in")
    expect(page.get_by_role("button", name="Import 3 seizures")).to_have_count(0)

    # The corrected file.
    page.get_by_label("Spreadsheet").set_input_files(
        _filled(template, GOOD_ROWS, tmp_path / "march-corrected.xlsx")
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("4 rows make 3 seizures")
    page.get_by_role("button", name="Import 3 seizures").click()

    # Queued until a worker takes it: the page shows the progress bar and follows it.
    expect(page.get_by_label("Progress")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Queued")
    assert not Seizure.objects.exists()
    with running_worker(queue):
        expect(page.get_by_role("status")).to_contain_text(
            "3 seizures were imported as your drafts", timeout=60_000
        )
    references = list(Seizure.objects.order_by("reference").values_list("reference", flat=True))
    assert len(references) == 3
    for reference in references:
        expect(page.get_by_role("link", name=reference)).to_be_visible()
    page.get_by_role("link", name="Open them in the seizure list").click()
    expect(page.get_by_role("status")).to_contain_text("3 seizures match")
    for reference in references:
        expect(page.get_by_role("link", name=reference)).to_be_visible()
    page.get_by_role("link", name=references[0]).click()
    expect(page.get_by_role("main")).to_contain_text("Methamphetamine")
    expect(page.get_by_role("main")).to_contain_text("Draft")
