"""Offline on a phone: the check-in opens without a connection, answers given there are
kept on the device and sent in order when it is back, and an answer given since on
another device (a laptop, online) is the one that stays on both."""

import pytest

from tests.factories import PASSWORD, make_patient
from tracker.models import SymptomLog

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def logged_in(browser, live_server, username, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    return context, page


# The answers waiting in Workbox's queue (its IndexedDB store).
KEPT_COUNT = """new Promise((resolve) => {
  const open = indexedDB.open("workbox-background-sync");
  open.onsuccess = () => {
    const count = open.result.transaction("requests").objectStore("requests").count();
    count.onsuccess = () => resolve(count.result);
  };
})"""


def answer(page, slug, attribute, value):
    """Tap an answer and wait for its card's word on it (saved, or kept)."""
    page.locator(f'label:has(input[name="{slug}-{attribute}"][value="{value}"])').click()


def test_answers_given_offline_are_kept_and_sent_without_overwriting_newer_ones(
    browser, live_server, artifacts
):
    patient = make_patient("nadia")
    today = patient.today()
    phone, page = logged_in(
        browser, live_server, "nadia", viewport={"width": 390, "height": 844}, has_touch=True
    )
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/today/")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()  # the page opened before the worker took charge is kept now too

    phone.set_offline(True)
    page.reload()  # no connection: the worker serves the page it kept
    assert "Joint pain" in page.inner_text("main")
    page.locator("#connection").wait_for(state="visible")
    assert "You're offline" in page.inner_text("#connection")

    page.click("text=Nothing to report today")  # a whole-page post: it needs the server
    assert "this button needs a connection" in page.inner_text("#connection")

    answer(page, "joint-pain", "severity", "3")  # at 9:00 on the phone…
    page.locator("#status-joint-pain .kept").wait_for()
    answer(page, "joint-pain", "interference", "2")
    answer(page, "hot-flashes", "severity", "3")
    answer(page, "hot-flashes", "severity", "1")  # changed her mind: sent in order, 1 stays
    page.locator("text=4 answers kept on this device").wait_for()
    page.locator("#symptom-joint-pain").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "offline-kept.png")
    assert not SymptomLog.objects.filter(patient=patient).exists()

    page.reload()  # still offline: the kept page, with the kept answers shown as chosen
    page.locator("text=4 answers kept on this device").wait_for()
    page.wait_for_function(
        'document.querySelector(\'input[name="hot-flashes-severity"][value="1"]\').checked'
    )
    assert page.is_checked('input[name="joint-pain-severity"][value="3"]')
    assert page.is_checked('input[name="joint-pain-interference"][value="2"]')

    laptop, desk = logged_in(browser, live_server, "nadia", viewport={"width": 1280, "height": 900})
    desk.goto(f"{live_server.url}/today/")
    answer(desk, "joint-pain", "severity", "1")  # …and at 9:05 on the laptop
    desk.locator("#status-joint-pain >> text=Saved").wait_for()

    phone.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("text=Sent 4 answers kept on this device").wait_for()
    row = SymptomLog.objects.get(patient=patient, date=today, symptom__slug="joint-pain")
    assert (row.severity, row.interference) == (1, 2)  # the laptop's later severity stays
    flashes = SymptomLog.objects.get(patient=patient, date=today, symptom__slug="hot-flashes")
    assert flashes.severity == 1
    assert SymptomLog.objects.filter(patient=patient).count() == 2
    page.evaluate("window.dispatchEvent(new Event('online'))")  # again: nothing left to send
    assert page.evaluate(KEPT_COUNT) == 0
    assert SymptomLog.objects.get(pk=row.pk).answered_at == row.answered_at  # saved once

    for screen in (page, desk):
        screen.reload()
        assert screen.is_checked('input[name="joint-pain-severity"][value="1"]')
        assert screen.is_checked('input[name="joint-pain-interference"][value="2"]')

    # Logging out leaves no diary page on the device: offline, today is not there.
    page.click("text=Log out")
    page.wait_for_function("caches.keys().then(names => !names.includes('ripple-pages'))")
    phone.set_offline(True)
    page.goto(f"{live_server.url}/today/")
    assert "You're offline" in page.inner_text("h1")
    assert "Joint pain" not in page.content()
    assert not errors, errors
    phone.close()
    laptop.close()
