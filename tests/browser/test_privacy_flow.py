"""A patient signs up agreeing to the privacy notice, keeps a diary, downloads all of
it, then deletes the account in Chromium: nothing of it is left in any table."""

import pytest

from tests.factories import PASSWORD, make_user
from tests.tracker.test_privacy import rows_of
from tracker import roles
from tracker.models import CareAccess, Patient

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
NOTE = "Stairs-MARKER-were-hard-today"


def test_a_patient_signs_up_keeps_a_diary_and_deletes_it_all(browser, live_server, artifacts):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}/accounts/signup/")
    page.click("text=Privacy notice: what Ripple keeps, and who sees it")
    assert page.is_visible("text=Who can see it")
    page.fill("#id_username", "inesq7")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.locator("text=Please read the privacy notice and tick the box").wait_for()
    assert page.input_value("#id_username") == "inesq7"  # nothing typed is lost
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_privacy")
    page.click("main button[type=submit]")
    page.wait_for_url("**/welcome/")
    page.check("#id_therapy-drug_0")
    page.fill("#id_therapy-started_on", "2026-09-01")
    page.click("main button[type=submit]")
    page.wait_for_url("**/day/**")

    page.check("#id_fatigue-severity_2")
    page.locator("#status-fatigue .saved").wait_for()
    page.fill("#id_day-note", NOTE)
    page.keyboard.press("Tab")
    page.locator("#status-day .saved").wait_for()
    patient = Patient.objects.get(user__username="inesq7")
    doctor = make_user("drlee", role=roles.CLINICIAN)
    _, code = CareAccess.invite(patient=patient)
    CareAccess.accept(code=code, clinician=doctor)

    page.goto(f"{live_server.url}/settings/")
    page.click("text=Delete my account")
    page.wait_for_url("**/settings/delete-account/")
    page.screenshot(path=str(artifacts / "delete-account-390.png"), full_page=True)
    page.fill("#id_password", "not my password")
    page.click("text=Delete my account and everything in it")
    page.locator("text=nothing was deleted").wait_for()
    page.fill("#id_password", PASSWORD)
    page.click("text=Delete my account and everything in it")
    page.wait_for_url("**/goodbye/")
    assert page.is_visible("text=Your account is deleted")

    assert rows_of(patient.user_id, patient.pk, "inesq7") == []
    assert not Patient.objects.exists() and not CareAccess.objects.exists()
    page.goto(f"{live_server.url}/today/")
    page.wait_for_url("**/accounts/login/**")
    # The two refusals above answer 422 on purpose; nothing else went wrong.
    assert [e for e in errors if "status of 422" not in e] == []
