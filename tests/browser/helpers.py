"""Steps many browser tests take."""

from tests.factories import PASSWORD


def log_in(page, url, username):
    """Through the login form, with the test password; the page then loads on."""
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
