"""The second step at login (an authenticator app, or a recovery code) and the idle
timeout: required of staff and clinicians, a choice for patients."""

import datetime as dt
import time
from html import unescape

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import (
    PASSWORD,
    app_code,
    login_verified,
    make_app_device,
    make_user,
)
from tracker import roles
from tracker.accounts.two_factor import LAST_SEEN_KEY

pytestmark = pytest.mark.django_db

PANEL = reverse("tracker:clinician-panel")
VERIFY = reverse("two-factor-verify")
SETUP = reverse("two-factor-setup")


def log_in(client, username):
    """Through the login form, as a person does."""
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def text(response) -> str:
    return unescape(response.text)


def wrong(code: str) -> str:
    """A 6-digit code that is not this one."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def set_up_app(client, user, *, next_url=PANEL):
    """Through the setup page: the app's first code, then the recovery codes page."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(f"{SETUP}?next={next_url}", {"code": app_code(device)})
    assert response.status_code == 302
    return device, client.get(response.url)


def idle_for(client, minutes):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - minutes * 60
    session.save()


# Who is asked


def test_a_clinician_without_an_app_is_sent_to_set_one_up(client, clinician):
    log_in(client, "drlee")
    response = client.get(PANEL, follow=True)
    assert response.redirect_chain == [
        (f"{VERIFY}?next={PANEL}", 302),
        (f"{SETUP}?next=%2Fclinician%2F", 302),
    ]
    page = response.text
    assert "<svg" in page and "QR code to scan with your authenticator app" in page
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    assert response.context["secret"].replace(" ", "") in page.replace(" ", "")
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    assert response["Cache-Control"] == "private, no-store"
    # Reloading keeps the secret the app has scanned.
    client.get(SETUP)
    assert TOTPDevice.objects.get(user=clinician, confirmed=False) == device


@pytest.mark.parametrize(
    "staff",
    [
        {"role": roles.CONTENT_EDITOR, "is_staff": True},
        {"role": roles.CLINICAL_REVIEWER, "is_staff": True},
        {"role": roles.ADMIN, "is_staff": True},
        {"role": roles.PATIENT, "is_staff": True, "is_superuser": True},
    ],
)
def test_editors_reviewers_and_admins_must_give_it_for_every_page_and_the_admin(client, staff):
    user = make_user("ed", **staff)
    client.force_login(user)
    for url in [reverse("admin:index"), reverse("education:library"), "/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(VERIFY), url
    login_verified(client, user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_logging_out_and_the_app_shell_need_no_second_step(client, clinician):
    client.force_login(clinician)
    assert client.get(reverse("tracker:manifest")).status_code == 200
    assert client.post(reverse("logout")).url == reverse("login")
    assert SESSION_KEY not in client.session


def test_a_patient_is_not_asked_unless_they_turned_it_on(client, patient):
    log_in(client, "alice")
    assert client.get(reverse("tracker:today"), follow=True).status_code == 200
    assert client.get(VERIFY).url == "/"  # nothing to give


def test_htmx_is_sent_to_the_whole_page(client, clinician):
    client.force_login(clinician)
    response = client.get(PANEL, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == f"{VERIFY}?next={PANEL}"
    # Not a 200: a save the service worker kept offline must count as not sent.
    assert response.status_code == 401


def test_someone_made_staff_is_asked_in_the_session_they_already_have(patient_client, patient):
    assert patient_client.get(reverse("tracker:today"), follow=True).status_code == 200
    type(patient.user).objects.filter(pk=patient.user.pk).update(is_staff=True)
    assert patient_client.get(reverse("tracker:settings")).url.startswith(VERIFY)


# Setting it up


def test_a_wrong_code_keeps_the_form_and_says_so(client, clinician):
    client.force_login(clinician)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=clinician)
    response = client.post(SETUP, {"code": wrong(app_code(device))})
    assert response.status_code == 422
    assert "That code didn't match" in text(response)
    assert response.context["secret"]  # the QR code and secret are still there
    response = client.post(SETUP, {"code": "12a456"})
    assert "digits only" in response.text and 'value="12a456"' in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(PANEL).status_code == 302


def test_the_right_code_verifies_and_shows_ten_recovery_codes_once(client, clinician):
    client.force_login(clinician)
    device, page = set_up_app(client, clinician)
    device.refresh_from_db()
    assert device.confirmed
    codes = set(StaticToken.objects.filter(device__user=clinician).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in page.text for code in codes)
    assert "Keep them somewhere safe" in page.text
    assert f'href="{PANEL}"' in page.text
    assert page["Cache-Control"] == "private, no-store"
    again = client.get(reverse("two-factor-codes")).text
    assert "can't be shown again" in unescape(again) and not any(code in again for code in codes)
    assert client.get(PANEL).status_code == 200


def test_someone_with_an_app_cannot_set_up_another_instead_of_giving_its_code(client, clinician):
    make_app_device(clinician)
    client.force_login(clinician)
    assert client.get(SETUP).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=clinician).count() == 1


# Giving it at login


def test_the_next_login_asks_for_a_code_and_returns_to_the_page(client, clinician):
    device = make_app_device(clinician)
    client.get(PANEL)
    log_in(client, "drlee")
    response = client.get(PANEL)
    assert response.url == f"{VERIFY}?next={PANEL}"
    page = client.get(response.url)
    assert "type the code it shows for Ripple" in page.text
    response = client.post(response.url, {"code": app_code(device)})
    assert response.url == PANEL
    assert client.get(PANEL).status_code == 200


def test_a_code_from_the_app_works_once(client, clinician):
    device = make_app_device(clinician)
    code = app_code(device)
    client.force_login(clinician)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    other = Client()
    other.force_login(clinician)
    assert other.post(VERIFY, {"code": code}).status_code == 422


def test_a_recovery_code_works_once(client, clinician):
    client.force_login(clinician)
    set_up_app(client, clinician)
    code = StaticToken.objects.filter(device__user=clinician).first().token
    client.post(reverse("logout"))
    log_in(client, "drlee")
    response = client.post(f"{VERIFY}?next={PANEL}", {"recovery_code": f" {code.upper()} "})
    assert response.url == PANEL
    assert "you have 9 left. If your phone is lost, ask an administrator" in client.get(PANEL).text
    client.post(reverse("logout"))
    log_in(client, "drlee")
    response = client.post(VERIFY, {"recovery_code": code})
    assert response.status_code == 422
    assert "used before" in response.text
    assert '<details class="card narrow recovery" open>' in response.text


def test_wrong_codes_are_throttled_and_the_page_says_when_to_try_again(client, clinician):
    device = make_app_device(clinician)
    client.force_login(clinician)
    assert "didn't match" in text(client.post(VERIFY, {"code": wrong(app_code(device))}))
    # Right away, even the right code waits: 1, 2, 4, 8, 16… seconds after each miss.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
    )
    response = client.post(VERIFY, {"code": app_code(device)})
    assert response.status_code == 422
    assert "Please try again in 16 seconds." in response.text
    assert client.get(PANEL).status_code == 302
    # Once the wait is over, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=17)
    )
    assert client.post(VERIFY, {"code": app_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_recovery_codes_are_throttled_too(client, clinician):
    client.force_login(clinician)
    set_up_app(client, clinician)
    client.post(reverse("logout"))
    log_in(client, "drlee")
    client.post(VERIFY, {"recovery_code": "nottheone"})
    response = client.post(VERIFY, {"recovery_code": "nottheone"})
    assert "Please try again in" in response.text


def test_an_admin_resets_a_lost_phone_in_the_admin_without_seeing_its_secret(client, clinician):
    device = make_app_device(clinician)
    login_verified(client, make_user("root", role=roles.ADMIN, is_staff=True, is_superuser=True))
    change = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    assert device.key not in client.get(change).text
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    # The clinician's next login sets up a new app.
    other = Client()
    other.force_login(clinician)
    assert other.get(VERIFY).url.startswith(SETUP)


def test_the_verify_page_returns_only_to_pages_of_this_site(client, clinician):
    device = make_app_device(clinician)
    client.force_login(clinician)
    response = client.post(f"{VERIFY}?next=https://elsewhere.example/", {"code": app_code(device)})
    assert response.url == "/"


# Patients


def test_a_patient_turns_it_on_from_settings_and_is_asked_at_the_next_login(
    patient_client, patient
):
    settings_url = reverse("tracker:settings")
    page = patient_client.get(settings_url).text
    assert "Off. Ripple can also ask for a code" in page
    assert f"{SETUP}?next={settings_url}" in page
    device, codes_page = set_up_app(patient_client, patient.user, next_url=settings_url)
    assert f'href="{settings_url}"' in codes_page.text
    assert "On. After your password" in patient_client.get(settings_url).text
    assert patient_client.get(reverse("tracker:today"), follow=True).status_code == 200

    phone = Client()
    log_in(phone, "alice")
    assert phone.get(reverse("tracker:today")).url.startswith(VERIFY)
    phone.post(VERIFY, {"code": app_code(device, later=1)})
    assert phone.get(reverse("tracker:today"), follow=True).status_code == 200


def test_a_patient_turns_it_off_with_their_password(patient_client, patient):
    make_app_device(patient.user)
    login_verified(patient_client, patient.user)
    off = reverse("two-factor-off")
    response = patient_client.post(off, {"password": "not-it"})
    assert response.status_code == 422 and "That password doesn't match" in text(response)
    assert TOTPDevice.objects.filter(user=patient.user).exists()
    response = patient_client.post(off, {"password": PASSWORD}, follow=True)
    assert "The second step is off" in response.text
    assert not TOTPDevice.objects.filter(user=patient.user).exists()

    client = Client()
    log_in(client, "alice")
    assert client.get(reverse("tracker:today"), follow=True).status_code == 200


def test_turning_it_on_or_off_ends_the_accounts_other_sessions(patient_client, patient):
    """Turned on because someone else may be signed in: that session must not carry
    on without the code. Turned off: the other sessions must not be left asking for a
    code no app can give."""
    elsewhere = Client()
    log_in(elsewhere, "alice")
    settings_url = reverse("tracker:settings")
    device, _ = set_up_app(patient_client, patient.user, next_url=settings_url)
    assert patient_client.get(settings_url).status_code == 200  # this one goes on
    assert elsewhere.get(settings_url).url.startswith(reverse("login"))

    log_in(elsewhere, "alice")
    elsewhere.post(VERIFY, {"code": app_code(device, later=1)})
    assert elsewhere.get(settings_url).status_code == 200
    patient_client.post(reverse("two-factor-off"), {"password": PASSWORD})
    assert patient_client.get(settings_url).status_code == 200
    assert elsewhere.get(settings_url).url.startswith(reverse("login"))


def test_a_secret_shown_in_one_session_is_not_the_one_another_confirms(client, clinician):
    """Someone with a clinician's password, before the clinician set up their app, reads
    the setup secret: the clinician's own setup makes a new one, and the old one is gone."""
    intruder = Client()
    log_in(intruder, "drlee")
    intruder.get(SETUP)
    seen = TOTPDevice.objects.get(user=clinician, confirmed=False)
    log_in(client, "drlee")
    device, _ = set_up_app(client, clinician)
    assert device.pk != seen.pk
    assert not TOTPDevice.objects.filter(pk=seen.pk).exists()
    assert list(TOTPDevice.objects.filter(user=clinician)) == [device]


def test_turning_it_off_touches_only_ones_own_account(patient, other_patient):
    alices = make_app_device(patient.user)
    client = Client()
    client.force_login(other_patient.user)
    client.post(reverse("two-factor-off"), {"password": PASSWORD})
    assert TOTPDevice.objects.filter(pk=alices.pk).exists()


def test_staff_and_clinicians_cannot_turn_it_off(clinician_client):
    assert clinician_client.get(reverse("two-factor-off")).status_code == 404


def test_a_patients_pages_ask_nothing_more_of_the_database(patient_client, patient):
    """The choice is read at login and kept in the session."""
    url = reverse("tracker:history")
    patient_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        patient_client.get(url)
    assert not [q for q in queries.captured_queries if "otp_" in q["sql"]]


# The idle timeout


def test_an_idle_clinician_is_signed_out_after_31_minutes(clinician_client):
    idle_for(clinician_client, 31)
    response = clinician_client.get(PANEL)
    assert response.url == f"{reverse('login')}?next={PANEL}"
    assert SESSION_KEY not in clinician_client.session
    page = clinician_client.get(response.url).text
    assert "You were signed out after 30 minutes without activity" in page


def test_a_clinician_active_29_minutes_ago_stays_signed_in(clinician_client):
    idle_for(clinician_client, 29)
    assert clinician_client.get(PANEL).status_code == 200


def test_an_idle_htmx_request_sends_the_whole_page_to_login(clinician_client):
    idle_for(clinician_client, 31)
    response = clinician_client.get(
        PANEL, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/clinician/"}
    )
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/clinician/"


def test_an_idle_patient_keeps_their_session(patient_client):
    idle_for(patient_client, 120)
    assert patient_client.get(reverse("tracker:history")).status_code == 200


def test_activity_is_written_to_the_session_at_most_once_a_minute(clinician_client):
    idle_for(clinician_client, 0.5)
    before = clinician_client.session[LAST_SEEN_KEY]
    clinician_client.get(PANEL)
    assert clinician_client.session[LAST_SEEN_KEY] == before
    idle_for(clinician_client, 2)
    clinician_client.get(PANEL)
    assert clinician_client.session[LAST_SEEN_KEY] >= time.time() - 5


def test_the_idle_time_is_a_setting(clinician_client, settings):
    settings.IDLE_TIMEOUT_MINUTES = 5
    idle_for(clinician_client, 6)
    response = clinician_client.get(PANEL, follow=True)
    assert "signed out after 5 minutes without activity" in response.text
