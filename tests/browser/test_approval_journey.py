"""An officer submits a seizure; a supervisor, signed in with the second factor, previews
the payload from the queue and returns it with a comment; the officer fixes it and submits
again; the supervisor approves it with a sharing decision. Real Chromium, real server."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from ncen import tasks
from ncen.models import Notification
from seizures.models import Seizure

from ..celery_worker import sent_mail, wait_until, worker_for
from ..factories import make_seizure
from .pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _nav(page: Page, name: str):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile(name))


def _payload(page: Page, destination: str) -> dict:
    return json.loads(page.locator(f"pre[data-destination={destination}]").inner_text())


@pytest.fixture
def mail_worker(request, monkeypatch):
    """The worker that e-mails notifications once each step commits."""
    with worker_for(tasks.email_notification, request, monkeypatch) as queue:
        yield queue


def test_submit_return_resubmit_approve(
    live_server, browser, fj_officer, fj_supervisor, mail_worker
):
    seizure = make_seizure(
        by=fj_officer, narrative="The courier hid the powder in his suitcase lining."
    )
    officer_context, supervisor_context = browser.new_context(), browser.new_context()
    officer, supervisor = officer_context.new_page(), supervisor_context.new_page()

    # The officer submits the draft.
    sign_in(officer, live_server.url, fj_officer)
    officer.goto(f"{live_server.url}/seizures/{seizure.pk}/")
    officer.get_by_role("button", name="Submit for review").click()
    expect(officer.get_by_role("status")).to_contain_text("is submitted for review")

    # The supervisor finds it in the queue and previews what would leave the country.
    sign_in(supervisor, live_server.url, fj_supervisor)
    expect(_nav(supervisor, "Review queue")).to_contain_text("1")
    _nav(supervisor, "Review queue").click()
    supervisor.get_by_role("link", name=f"Preview and approve {seizure.reference}").click()
    supervisor.get_by_label("Regional exchange and global", exact=True).check()
    supervisor.get_by_role("button", name="Preview").click()
    regional, worldwide = _payload(supervisor, "regional"), _payload(supervisor, "global")
    assert regional["record"] == {
        "uuid": str(seizure.uuid),
        "reference": seizure.reference,
        "version": 1,
    }
    assert worldwide["destination"] == "global"
    assert "persons" not in worldwide
    assert "suitcase lining" not in supervisor.locator("pre.payload").first.inner_text()

    # ... and returns it from the queue with a comment.
    _nav(supervisor, "Review queue").click()
    supervisor.get_by_label(f"Comment {seizure.reference}").fill("Give the flight number, please.")
    supervisor.get_by_role("button", name=f"Return {seizure.reference}").click()
    expect(supervisor.get_by_role("status")).to_contain_text("is returned to its officer")
    expect(supervisor.get_by_role("main")).to_contain_text("Nothing is waiting for review")

    # The officer reads the comment, fixes the record and submits it again.
    officer.goto(f"{live_server.url}/")
    _nav(officer, "Returned to you").click()
    expect(officer.get_by_role("main")).to_contain_text("Give the flight number, please.")
    officer.get_by_role("link", name=seizure.reference).click()
    expect(officer.get_by_role("note")).to_contain_text("Give the flight number, please.")
    officer.get_by_role("link", name="Edit").click()
    officer.get_by_label("Flight number").fill("FJ910")
    officer.get_by_role("button", name="Save draft").click()
    expect(officer.get_by_role("status")).to_contain_text("version 2")
    officer.get_by_role("button", name="Submit for review").click()
    expect(officer.get_by_role("status")).to_contain_text("is submitted for review")

    # The supervisor approves it with a sharing decision.
    _nav(supervisor, "Review queue").click()
    supervisor.get_by_role("link", name=f"Preview and approve {seizure.reference}").click()
    supervisor.get_by_label("Regional exchange and global", exact=True).check()
    supervisor.get_by_label("Not to be used in court without permission").check()
    supervisor.get_by_label("Source reliability").select_option("A")
    supervisor.get_by_label("Information accuracy").select_option("2")
    supervisor.get_by_role("button", name="Preview").click()
    previewed = _payload(supervisor, "regional")
    assert previewed["seizure"]["conveyance"]["flight_number"] == "FJ910"
    assert previewed["sharing"]["handling_code"] == "not_for_court"
    supervisor.get_by_role("button", name="Approve").click()
    expect(supervisor.get_by_role("status")).to_contain_text("is approved (version 1)")

    main = supervisor.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Approved")
    expect(main.get_by_role("heading", name="Approved, version 1")).to_be_visible()
    expect(main).to_contain_text("Not to be used in court without permission")
    history = main.get_by_role("table", name=re.compile("Changes to this record"))
    expect(history).to_contain_text("Returned with comments")
    expect(history).to_contain_text("Approved (approved version 1)")
    seizure = Seizure.objects.get(pk=seizure.pk)
    assert (seizure.status, seizure.last_approval.number) == ("approved", 1)

    # The officer hears of it, in the app and by e-mail.
    officer.goto(f"{live_server.url}/notifications/")
    expect(officer.get_by_role("main")).to_contain_text(f"Approved: {seizure.reference}")
    sent = wait_until(
        lambda: len(mail := sent_mail(mail_worker)) == 4 and mail,
        timeout=60,
        what="four e-mails",
        state=lambda: [message["Subject"] for message in sent_mail(mail_worker)],
    )
    assert [(message["To"], message["Subject"]) for message in sent] == [
        (fj_supervisor.email, f"To review: seizure {seizure.reference}"),
        (fj_officer.email, f"Returned to you: seizure {seizure.reference}"),
        (fj_supervisor.email, f"To review: seizure {seizure.reference}"),
        (fj_officer.email, f"Approved: seizure {seizure.reference}"),
    ]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    officer_context.close()
    supervisor_context.close()
