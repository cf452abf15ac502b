"""What the browser journeys share."""

from playwright.sync_api import Page, expect

from ..conftest import current_code
from ..factories import PASSWORD


def sign_in(page: Page, url: str, user) -> None:
    """Sign ``user`` in on the page, with the second factor where the user needs it, and
    wait for the welcome page."""
    page.goto(f"{url}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if user.needs_second_factor:
        page.get_by_label("Code from your authenticator app").fill(current_code(user))
        page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
