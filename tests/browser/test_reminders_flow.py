"""Reminders in a real browser on a phone: a mistake is explained with nothing typed
lost, the reminder is saved, and the page's own script registers the service worker
that would show notifications (headless Chromium has no push service to go further)."""

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tests.factories import PASSWORD, make_patient
from tracker.models import Reminder

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def push_keys(settings):
    from tracker.reminders import push

    key = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    settings.VAPID_PRIVATE_KEY = push.b64url(key.to_bytes(32, "big"))
    push.vapid.cache_clear()
    yield
    push.vapid.cache_clear()


def test_a_patient_sets_a_reminder_on_a_phone(browser, live_server, artifacts, push_keys):
    patient = make_patient("ruth")
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, permissions=["notifications"]
    )
    page = phone.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "ruth")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/settings/")
    page.click("text=Change reminders")

    page.check("#id_by_email")
    page.fill("#id_at", "07:30")
    page.check("#id_quiet_6")  # Sunday
    page.click("text=Save reminders")
    assert "Add the email address to send your reminders to." in page.inner_text("main")
    assert page.input_value("#id_at") == "07:30"
    assert page.is_checked("#id_quiet_6") and page.is_checked("#id_by_email")

    page.fill("#id_email", "ruth@example.org")
    page.click("text=Save reminders")
    assert "Your reminder comes at 07:30" in page.inner_text("main")
    reminder = Reminder.objects.get(patient=patient)
    assert (reminder.by_email, reminder.quiet_weekdays) == (True, [6])

    errors.clear()  # the refused form came back as a 422, which Chromium logs
    push = page.locator("#push-form")
    push.wait_for(state="visible")  # the script ran: this browser can take notifications
    page.click("text=Send reminders to this device")
    page.wait_for_function(
        "() => !document.getElementById('push-status').textContent.includes('One moment')"
    )
    registered = page.evaluate(
        "async () => Boolean(await navigator.serviceWorker.getRegistration('/'))"
    )
    assert registered, (page.inner_text("#push-status"), errors)
    page.screenshot(path=str(artifacts / "reminders-390.png"), full_page=True)
    # Headless Chromium has no push service and says so; nothing else may go wrong.
    assert [e for e in errors if "incognito" not in e] == []
    status = page.inner_text("#push-status")
    assert status.startswith(("Done", "That didn't work, and nothing changed"))
