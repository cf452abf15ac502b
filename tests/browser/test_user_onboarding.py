"""The administrator signs in with the second factor, invites an officer, and the officer
sets a password from the e-mailed link and signs in. Real Chromium, real server."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from ..conftest import current_code
from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_creates_an_officer_who_then_signs_in(
    live_server, page: Page, fj_admin, suva
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    page.get_by_label("Username").fill("fj.admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_label("Code from your authenticator app").fill(current_code(fj_admin))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Invite a user").click()
    page.get_by_label("Username").fill("litia")
    page.get_by_label("Given name").fill("Litia")
    page.get_by_label("Family name").fill("Naivalu")
    page.get_by_label("E-mail").fill("litia@example.org")
    page.get_by_label("Role").select_option("officer")
    page.get_by_label("Office").select_option(label="Suva Port")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status")).to_contain_text("litia was created")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/"))

    link = re.search(r"https?://\S+/password/set/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_label("New password:", exact=True).fill("kava and taro 2026")
    page.get_by_label("New password confirmation").fill("kava and taro 2026")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is set")

    page.get_by_label("Username").fill("litia")
    page.get_by_label("Password").fill("kava and taro 2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Litia Naivalu")
    expect(page.get_by_role("main")).to_contain_text("Intelligence officer · Fiji Revenue")
    # An officer has no user management in the navigation.
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Users")
    ).to_have_count(0)
