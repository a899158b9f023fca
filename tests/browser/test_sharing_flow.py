"""A share link from the patient's phone to a clinician's browser, and closed again."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD, make_patient
from tracker import demo
from tracker.models import AccessLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_link_opens_in_a_fresh_browser_and_stops_working_once_revoked(
    browser, live_server, artifacts
):
    patient = make_patient("sharer", first_name="Robin", last_name="Ash")
    demo.build(patient, today=patient.today())
    phone = browser.new_context(viewport={"width": 390, "height": 900})
    page = phone.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sharer")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/day/**")

    page.goto(f"{live_server.url}/report/")
    page.get_by_role("link", name="Share with a link").click()
    page.get_by_label("Name it (optional)").fill("Dr Lee, March")
    page.get_by_role("button", name="Make the link").click()
    page.get_by_role("heading", name="Your link is ready").wait_for()
    assert page.locator(".qr svg").count() == 1
    url = page.input_value("#share-url")
    assert Axe().run(page).violations_count == 0
    page.screenshot(path=str(artifacts / "share-link-390.png"), full_page=True)

    # The clinician's browser: no account, no cookies of the patient's.
    clinic = browser.new_context(viewport={"width": 1280, "height": 900})
    reader = clinic.new_page()
    reader.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    reader.goto(url)
    assert "Robin Ash" in reader.inner_text("#report-title")
    reader.locator("section.overview svg").first.wait_for()  # drawn on the server
    reader.locator(".chart").first.scroll_into_view_if_needed()  # charts draw when seen
    reader.locator(".chart svg.main-svg").first.wait_for()
    assert AccessLog.objects.filter(patient=patient, what="report").count() == 1
    reader.screenshot(path=str(artifacts / "shared-report-1280.png"), full_page=True)

    # The patient sees the opening, then closes the link.
    page.reload()
    assert "Nobody has opened it yet" not in page.content()
    page.get_by_role("button", name="Close this link now").click()
    page.get_by_text("That link is closed").wait_for()

    response = reader.reload()
    assert response.status == 404
    assert reader.get_by_role("heading", name="This link is no longer valid").is_visible()
    assert "Robin" not in reader.content()
    # The browser reports the 404 itself as a console error; nothing else may appear.
    assert [e for e in errors if "404" not in e] == []
    phone.close()
    clinic.close()
