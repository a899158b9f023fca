"""The check-in without JavaScript, and an accessibility audit of every patient page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD, log, make_patient
from tracker.models import DayLog, SymptomLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/day/**")


def answered(patient, slug):
    """The stored answers of one symptom today, by column (those left empty aside)."""
    log = SymptomLog.objects.get(patient=patient, symptom__slug=slug)
    return {column: value for column, value in log.answers().items() if value is not None}


def test_the_check_in_works_as_a_plain_form_with_javascript_off(browser, live_server, artifacts):
    patient = make_patient("nojs")
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, "nojs")

    page.click("label[for=id_joint-pain-frequency_2]")
    page.click("label[for=id_joint-pain-severity_3]")
    page.click("label[for=id_joint-pain-sites_5]")
    page.fill("#id_joint-pain-stiffness_minutes", "45")
    page.click("label[for=id_muscle-aches-frequency_0]")
    # Branching is pure CSS, so it works without JavaScript too.
    assert not page.is_visible("#id_muscle-aches-severity_0")
    page.click("label[for=id_day-dose_1]")
    assert page.is_visible("label[for=id_day-missed_reason_1]")
    page.click("label[for=id_day-missed_reason_1]")
    page.fill("#id_day-note", "No scripts today.")
    page.click("button:has-text('Save this day')")
    page.wait_for_load_state()
    assert "Saved your answers" in page.inner_text(".messages")

    page.reload()
    assert page.is_checked("#id_joint-pain-severity_3") and page.is_checked(
        "#id_joint-pain-sites_5"
    )
    assert page.input_value("#id_joint-pain-stiffness_minutes") == "45"
    assert page.input_value("#id_day-note") == "No scripts today."
    assert answered(patient, "muscle-aches") == {"frequency": 0, "severity": 0, "interference": 0}
    log = DayLog.objects.get(patient=patient)
    assert (log.dose, log.missed_reason) == ("missed", "forgot")

    # A bad number comes back with its message, and keeps what was typed.
    page.fill("#id_joint-pain-stiffness_minutes", "5000")
    page.fill("#id_day-note", "Typed again.")
    with page.expect_navigation():
        page.click("button:has-text('Save this day')")
    assert "Please enter a number up to 1440" in page.inner_text("#symptom-joint-pain")
    assert page.input_value("#id_day-note") == "Typed again."
    page.screenshot(path=str(artifacts / "checkin-nojs-error-390.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_patient_pages_pass_an_accessibility_audit(browser, live_server, artifacts, width):
    patient = make_patient("audit")
    # Today with a folded card and an explanation beside it, and the quick answers.
    log(patient, patient.today(), "vaginal-dryness", severity=2)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    axe = Axe()

    for path in ["/", "/accounts/signup/", "/accounts/login/", "/clinician/join/"]:
        page.goto(f"{live_server.url}{path}")
        assert axe.run(page).violations_count == 0, (path, axe.run(page).generate_report())

    log_in(page, live_server, "audit")
    for path in [
        "/today/",
        "/history/",
        "/settings/",
        "/settings/reminders/",
        "/settings/medicine/new/",
        "/accounts/password_change/",
        "/report/",
        "/sharing/",
        "/sharing/new/",
        "/care-team/",
    ]:
        page.goto(f"{live_server.url}{path}")
        results = axe.run(page)
        assert results.violations_count == 0, (path, results.generate_report())
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(artifacts / f"{name}-{width}.png"), full_page=True)
    assert errors == []
    context.close()


def test_counts_take_taps_and_a_lost_session_is_reported_beside_the_answer(browser, live_server):
    patient = make_patient("steps")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "steps")

    plus = page.get_by_role(
        "button", name="One more: How many mild hot flashes? (warm, no sweating)"
    )
    plus.tap()
    plus.tap()
    page.wait_for_function(
        "() => document.querySelector('#id_hot-flashes-episodes_mild').value === '2'"
    )
    page.locator("#status-hot-flashes .saved").wait_for()
    page.wait_for_load_state("networkidle")
    assert answered(patient, "hot-flashes") == {"episodes_mild": 2}

    context.clear_cookies(name="sessionid")  # the session ends; the page stays open
    page.tap("label[for=id_fatigue-severity_2]")
    page.locator("#status-fatigue .not-saved").wait_for()
    assert "logged out" in page.inner_text("#status-fatigue")
    assert page.is_checked("#id_fatigue-severity_2")  # the choice stays on screen
    assert not SymptomLog.objects.filter(patient=patient, symptom__slug="fatigue").exists()
    context.close()


def test_morning_stiffness_takes_one_tap_for_a_usual_value(browser, live_server):
    patient = make_patient("stiff")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "stiff")
    page.get_by_role(
        "button", name="30 minutes: How many minutes were you stiff after getting up?"
    ).tap()
    saved = page.locator("#symptom-joint-pain .question-number label .saved-here")
    saved.wait_for()
    assert saved.is_visible()
    assert page.input_value("#id_joint-pain-stiffness_minutes") == "30"
    assert answered(patient, "joint-pain") == {"stiffness_minutes": 30}
    context.close()
