"""A new patient signs up, onboards, and logs a whole first day with the keyboard alone:
the daily questions, and the weekly ones, asked on the first day too."""

import pytest

from tracker.models import DayLog, Patient, SymptomLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-test-password-42"


def tab_to(page, selector, limit=400):
    """Press Tab until the focus is on `selector`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose(page, name, index):
    """Pick the index-th answer of a radio group from the keyboard."""
    tab_to(page, f'input[name="{name}"]')
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowRight")


def type_into(page, field_id, text):
    tab_to(page, f"#{field_id}")
    page.keyboard.type(text)


def tick(page, field_id):
    tab_to(page, f"#{field_id}")
    page.keyboard.press("Space")


# In page order: (symptom, attribute, choice index).
CHOICES = [
    ("joint-pain", "frequency", 3),
    ("joint-pain", "severity", 2),
    ("joint-pain", "interference", 1),
    ("joint-pain", "worst_pain", 6),
    ("muscle-aches", "frequency", 0),
    ("hot-flashes", "frequency", 2),
    ("hot-flashes", "severity", 2),
    ("night-sweats", "frequency", 1),
    ("night-sweats", "severity", 1),
    ("vaginal-dryness", "severity", 1),
    ("painful-sex", "severity", 5),  # not sexually active
    ("low-sexual-interest", "severity", 6),  # prefer not to answer
    ("trouble-sleeping", "severity", 2),
    ("trouble-sleeping", "interference", 1),
    ("fatigue", "severity", 1),
    ("fatigue", "interference", 0),
    ("anxiety", "frequency", 0),
    ("low-mood", "frequency", 0),
    ("numbness-tingling", "severity", 0),
    ("limb-swelling", "frequency", 0),
]


def test_a_new_patient_logs_a_whole_day_by_keyboard_and_finds_it_kept(
    browser, live_server, artifacts
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, timezone_id="Europe/Paris"
    )
    page = context.new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("#id_username", "rosa")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_privacy")
    page.click("main button[type=submit]")

    page.wait_for_url("**/welcome/")
    assert page.input_value("#id_time_zone") == "Europe/Paris"  # guessed from the browser
    page.check("#id_therapy-drug_0")
    page.fill("#id_therapy-started_on", "2026-09-01")
    page.check("#id_prior_tamoxifen_1")
    page.click("main button[type=submit]")
    page.wait_for_url("**/day/**")

    # Keyboard only from here.
    for slug, attribute, index in CHOICES[:4]:
        choose(page, f"{slug}-{attribute}", index)
    tick(page, "id_joint-pain-sites_0")
    tick(page, "id_joint-pain-sites_5")
    type_into(page, "id_joint-pain-stiffness_minutes", "20")
    choose(page, "muscle-aches-frequency", 0)
    for slug, attribute, index in CHOICES[5:7]:
        choose(page, f"{slug}-{attribute}", index)
    type_into(page, "id_hot-flashes-episodes_mild", "2")
    type_into(page, "id_hot-flashes-episodes_moderate", "1")
    type_into(page, "id_hot-flashes-episodes_severe", "0")
    # Night sweats is asked weekly: its scales only, not last night's awakenings.
    for slug, attribute, index in CHOICES[7:9]:
        choose(page, f"{slug}-{attribute}", index)
    assert page.locator("#id_night-sweats-night_awakenings").count() == 0
    for slug, attribute, index in CHOICES[9:]:
        choose(page, f"{slug}-{attribute}", index)
    choose(page, "day-dose", 0)
    choose(page, "day-considering_stopping", 1)
    type_into(page, "id_day-note", "Logged with the keyboard.")
    page.keyboard.press("Tab")  # leaving the note saves it too

    page.wait_for_function("() => document.querySelectorAll('.htmx-request').length === 0")
    page.wait_for_load_state("networkidle")
    page.locator("#status-day .saved").wait_for()
    page.screenshot(path=str(artifacts / "checkin-keyboard-390.png"), full_page=True)

    page.reload()
    for slug, attribute, index in CHOICES:
        assert page.is_checked(f"#id_{slug}-{attribute}_{index}"), (slug, attribute, index)
    assert page.is_checked("#id_joint-pain-sites_0") and page.is_checked("#id_joint-pain-sites_5")
    assert not page.is_checked("#id_joint-pain-sites_1")
    assert page.input_value("#id_joint-pain-stiffness_minutes") == "20"
    assert page.input_value("#id_hot-flashes-episodes_mild") == "2"
    assert page.input_value("#id_day-note") == "Logged with the keyboard."
    assert page.is_checked("#id_day-dose_0") and page.is_checked("#id_day-considering_stopping_1")
    # Branching: muscle aches answered "never" hides and zeroes the rest.
    assert not page.is_visible("#id_muscle-aches-severity_0")
    assert "Your day in brief" in page.inner_text("#day-summary")

    patient = Patient.objects.get(user__username="rosa")
    assert patient.time_zone == "Europe/Paris"
    stored = {
        log.symptom.slug: log
        for log in SymptomLog.objects.filter(patient=patient).select_related("symptom")
    }
    assert (stored["joint-pain"].worst_pain, stored["joint-pain"].opt_out) == (6, "")
    assert (stored["muscle-aches"].interference, stored["muscle-aches"].opt_out) == (0, "")
    assert (stored["painful-sex"].severity, stored["painful-sex"].opt_out) == (None, "not_active")
    assert (stored["low-sexual-interest"].severity, stored["low-sexual-interest"].opt_out) == (
        None,
        "declined",
    )
    assert DayLog.objects.get(patient=patient).note == "Logged with the keyboard."
    # The first day asks the weekly questions too, about the past 7 days.
    assert (stored["joint-pain"].recall_days, stored["fatigue"].recall_days) == (1, 7)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "checkin-1280.png"), full_page=True)
    assert errors == []
    context.close()
