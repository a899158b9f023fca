"""Offline on a phone: the check-in opens without a connection, answers given there are
kept on the device and sent in order when it is back, and an answer given since on
another device (a laptop, online) is the one that stays on both."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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


def wait_for_worker(page):
    """Until the service worker controls the page. It installs on the first visit;
    should that fail (a request of its install refused under load), every page
    registers it again, so the next visit is tried before giving up."""
    controlled = "() => navigator.serviceWorker.controller !== null"
    try:
        page.wait_for_function(controlled, timeout=10000)
    except PlaywrightTimeout:
        page.reload()
        try:
            page.wait_for_function(controlled, timeout=20000)
        except PlaywrightTimeout as error:
            state = page.evaluate(
                "navigator.serviceWorker.getRegistration().then(r => r ? [r.installing && "
                "r.installing.state, r.waiting && r.waiting.state, r.active && r.active.state] : 'none')"
            )
            raise AssertionError(f"no service worker in charge of {page.url}: {state}") from error


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
    wait_for_worker(page)
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
        '() => document.querySelector(\'input[name="hot-flashes-severity"][value="1"]\').checked'
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
    assert page.locator(".status .kept").all_inner_texts() == ["Sent and saved."] * 2
    row = SymptomLog.objects.get(patient=patient, date=today, symptom__slug="joint-pain")
    assert (row.severity, row.interference) == (1, 2)  # the laptop's later severity stays
    flashes = SymptomLog.objects.get(patient=patient, date=today, symptom__slug="hot-flashes")
    assert flashes.severity == 1, (flashes.severity, flashes.answered_at, row.answered_at)
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
    page.wait_for_function("() => caches.keys().then(names => !names.includes('ripple-pages'))")
    phone.set_offline(True)
    page.goto(f"{live_server.url}/today/")
    assert "You're offline" in page.inner_text("h1")
    assert "Joint pain" not in page.content()
    assert not errors, errors
    phone.close()
    laptop.close()


def test_on_a_shared_device_kept_answers_stay_their_owners(browser, live_server):
    """Answers kept for one user are never shown to, counted for or sent as another
    who logs in on the same device; they go to their owner's diary at the next login."""
    from django.contrib.sessions.models import Session

    nadia, omar = make_patient("nadia"), make_patient("omar")
    today = nadia.today()
    device, page = logged_in(browser, live_server, "nadia", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/today/")
    wait_for_worker(page)
    page.reload()
    device.set_offline(True)
    answer(page, "joint-pain", "severity", "3")
    page.locator("#status-joint-pain .kept").wait_for()
    Session.objects.all().delete()  # her session ends while the answer waits
    device.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("text=could not be sent: log in again").wait_for()
    kept_one = (
        f"() => ({KEPT_COUNT}).then(count => count === 1)"  # polled: a retry may be under way
    )
    page.wait_for_function(kept_one)

    page.goto(f"{live_server.url}/accounts/login/")  # Omar, on the same phone
    page.fill("#id_username", "omar")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/day/**")
    page.wait_for_timeout(500)  # time for the worker to answer the page's messages
    assert not page.is_checked('input[name="joint-pain-severity"][value="3"]')
    assert page.is_hidden("#connection")  # nothing said about someone else's answers
    assert not SymptomLog.objects.filter(patient=omar).exists()
    page.wait_for_function(kept_one)
    page.click("text=Log out")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "nadia")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.locator("text=Sent 1 answer kept on this device").wait_for()
    assert (
        SymptomLog.objects.get(patient=nadia, date=today, symptom__slug="joint-pain").severity == 3
    )
    assert not SymptomLog.objects.filter(patient=omar).exists()
    device.close()


def test_the_device_keeps_only_the_last_two_weeks_of_pages(browser, live_server):
    import datetime as dt

    patient = make_patient("nadia")
    device, page = logged_in(browser, live_server, "nadia", viewport={"width": 390, "height": 844})
    wait_for_worker(page)
    today = patient.today()
    days = [today - dt.timedelta(days=n) for n in range(16, -1, -1)]  # oldest first
    for day in days:
        assert page.goto(f"{live_server.url}/day/{day}/").status == 200
    kept = page.evaluate(
        "() => caches.open('ripple-pages').then(c => c.keys()).then(k => k.map(r => r.url))"
    )
    assert len(kept) == 14
    assert kept[-1].endswith(f"/day/{today}/") and not any(f"/day/{days[0]}/" in u for u in kept)
    device.close()
