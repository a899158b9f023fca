"""A clinician's first login on a phone: set up an authenticator app from the key on
the page, keep the recovery codes, and give a code at the next login."""

from base64 import b32decode

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp

from tests.browser.helpers import log_in
from tests.factories import make_user
from tracker import roles

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_clinicians_first_login_sets_up_an_app_and_the_next_asks_for_its_code(
    browser, live_server, artifacts
):
    make_user("drlee", role=roles.CLINICIAN, first_name="Grace", last_name="Lee")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    log_in(page, live_server.url, "drlee")
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.locator(".qr svg").is_visible()
    assert page.locator("#id_code").get_attribute("inputmode") == "numeric"
    assert page.locator("#id_code").get_attribute("autocomplete") == "one-time-code"
    assert Axe().run(page).violations_count == 0
    page.screenshot(path=str(artifacts / "two-factor-setup-390.png"), full_page=True)
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # What an app does with the key typed by hand.
    key = b32decode(page.inner_text(".secret code").replace(" ", ""))
    page.fill("#id_code", "000000" if totp(key) != 0 else "111111")
    with page.expect_navigation():
        page.get_by_role("button", name="Check the code").tap()
    assert "That code didn't match" in page.inner_text("main")
    assert page.input_value("#id_code") in {"000000", "111111"}  # kept, to correct
    page.wait_for_timeout(1100)  # a wrong code makes the next one wait a second
    page.fill("#id_code", f"{totp(key):06d}")
    page.get_by_role("button", name="Check the code").tap()
    page.wait_for_url("**/accounts/two-factor/codes/**")
    codes = page.locator(".recovery-codes li")
    assert codes.count() == 10
    assert Axe().run(page).violations_count == 0
    page.screenshot(path=str(artifacts / "two-factor-codes-390.png"), full_page=True)
    page.get_by_role("link", name="I've kept them safe: continue").tap()
    page.wait_for_url("**/clinician/")

    page.get_by_role("button", name="Log out").tap()
    page.wait_for_url("**/accounts/login/")
    log_in(page, live_server.url, "drlee")
    page.wait_for_url("**/accounts/two-factor/?**")
    assert Axe().run(page).violations_count == 0
    page.screenshot(path=str(artifacts / "two-factor-verify-390.png"), full_page=True)
    # The code just used works once: the app's next one is accepted too.
    page.fill("#id_code", f"{totp(key, drift=1):06d}")
    page.get_by_role("button", name="Continue").tap()
    page.wait_for_url("**/clinician/")
    # The wrong code's page came with a 422, on purpose; nothing else went wrong.
    assert [error for error in errors if "422" not in error] == []
    context.close()
