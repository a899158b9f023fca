"""Red flags in a real browser: low mood at the top of the scale puts the crisis line
on a phone's screen, and a clinician marks a flag seen, which the patient then sees."""

import pytest

from tests.browser.helpers import log_in
from tests.factories import (
    app_code,
    give_access,
    make_app_device,
    make_patient,
    make_user,
)
from tracker import roles
from tracker.models import RaisedFlag

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_top_low_mood_shows_the_crisis_line_and_a_clinician_marks_the_flag_seen(
    browser, live_server, artifacts
):
    patient = make_patient("mia", first_name="Mia", last_name="Stone")
    clinician = make_user("drlee", role=roles.CLINICIAN,
                          first_name="Grace", last_name="Lee")  # fmt: skip
    give_access(patient, clinician)
    device = make_app_device(clinician)

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    log_in(page, live_server.url, "mia")
    page.goto(f"{live_server.url}/today/")
    for attribute in ("frequency", "severity", "interference"):
        page.click(f'label[for="id_low-mood-{attribute}_4"]')
        page.wait_for_function("() => document.querySelectorAll('.htmx-request').length === 0")
    crisis = page.locator("#day-summary .crisis")
    crisis.wait_for()
    crisis.scroll_into_view_if_needed()
    assert "If you have thoughts of harming yourself, get help now" in crisis.inner_text()
    assert "your local emergency number" in crisis.inner_text()
    summary = page.inner_text("#day-summary")
    assert "Nobody is alerted by what is logged in Ripple" in summary
    assert "emergency in itself" not in summary
    page.screenshot(path=str(artifacts / "safety-crisis-390.png"))

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    clinic = desk.new_page()
    log_in(clinic, live_server.url, "drlee")
    clinic.wait_for_url("**/accounts/two-factor/**")  # a clinician's second step
    clinic.fill("#id_code", app_code(device))
    clinic.get_by_role("button", name="Continue").click()
    clinic.wait_for_url("**/clinician/")
    row = clinic.locator("tr", has_text="Mia Stone")
    assert "1 flag" in row.inner_text()
    row.get_by_role("button", name="Mark seen").click()
    clinic.wait_for_url("**/clinician/")
    assert "Marked seen" in clinic.inner_text("main")
    assert "None open" in clinic.locator("tr", has_text="Mia Stone").inner_text()
    clinic.screenshot(path=str(artifacts / "safety-panel-1280.png"), full_page=True)
    assert RaisedFlag.objects.get(patient=patient).seen_by == clinician

    page.goto(f"{live_server.url}/trends/")
    assert "Seen by Grace Lee on" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "safety-trends-seen-390.png"), full_page=True)
