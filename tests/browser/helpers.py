"""Shared steps for the browser tests."""

from tests.conftest import PASSWORD


def log_in(page, base_url, user):
    """Sign in to the Wagtail admin through its login form, as a person would."""
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
