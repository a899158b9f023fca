"""Daily reminders: sent at the patient's own time, across daylight-saving changes,
only on days not yet logged, at most once a day, stopped in one click; run by the
queue's worker. The clock is frozen by handing each round its own `now`."""

import datetime as dt
import io
import re
from email.policy import SMTP

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.factories import log_day, make_patient
from tracker.models import Reminder
from tracker.reminders.sending import patient_from_token, send_due, stop_token
from tracker.tasks import REMINDER_ROUND, schedule_reminders, send_reminders

UTC = dt.UTC


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def reminded(username="ann", *, time_zone="Europe/London", when=dt.time(19, 0), **kwargs):
    patient = make_patient(username, time_zone=time_zone)
    patient.user.email = f"{username}@example.org"
    patient.user.save()
    return Reminder.objects.create(patient=patient, by_email=True, at=when, **kwargs)


@pytest.mark.django_db
def test_a_reminder_goes_at_the_patients_local_time_before_and_after_a_spring_change():
    reminded()  # London: GMT until 29 March 2026, then BST (UTC+1)
    assert send_due(at(2026, 3, 28, 18, 59)) == 0
    assert send_due(at(2026, 3, 28, 19, 0)) == 1
    # After the change, 19:00 in London is 18:00 UTC.
    assert send_due(at(2026, 3, 30, 17, 59)) == 0
    assert send_due(at(2026, 3, 30, 18, 0)) == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_reminder_follows_an_autumn_change_too():
    reminded(time_zone="America/New_York")  # EDT (UTC-4) until 1 November 2026, then EST
    assert send_due(at(2026, 10, 31, 22, 59)) == 0
    assert send_due(at(2026, 10, 31, 23, 0)) == 1
    assert send_due(at(2026, 11, 2, 23, 59)) == 0
    assert send_due(at(2026, 11, 3, 0, 0)) == 1  # 19:00 EST on 2 November


@pytest.mark.django_db
def test_a_time_that_the_spring_change_skips_is_kept_at_the_first_minute_after_it():
    # In New York, 02:30 did not exist on 8 March 2026: clocks went from 02:00 to 03:00.
    reminded(time_zone="America/New_York", when=dt.time(2, 30))
    assert send_due(at(2026, 3, 8, 6, 59)) == 0  # 01:59 EST
    assert send_due(at(2026, 3, 8, 7, 0)) == 1  # 03:00 EDT


@pytest.mark.django_db
def test_no_reminder_comes_on_a_day_already_logged():
    reminder = reminded()
    log_day(reminder.patient, dt.date(2026, 6, 1), dose="taken")
    assert send_due(at(2026, 6, 1, 18, 30)) == 0  # 19:30 BST
    assert mail.outbox == []
    assert send_due(at(2026, 6, 2, 18, 30)) == 1  # the next day is not logged


@pytest.mark.django_db
def test_a_reminder_goes_at_most_once_a_day():
    reminded()
    assert send_due(at(2026, 6, 1, 18, 0)) == 1
    assert send_due(at(2026, 6, 1, 18, 5)) == 0
    assert send_due(at(2026, 6, 1, 22, 55)) == 0
    assert send_due(at(2026, 6, 2, 18, 0)) == 1


@pytest.mark.django_db
def test_no_reminder_comes_on_a_quiet_day_or_when_switched_off():
    reminded("ann", quiet_days=1 << 5)  # Saturdays
    off = make_patient("bea", time_zone="Europe/London")
    off.user.email = "bea@example.org"
    off.user.save()
    Reminder.objects.create(patient=off, by_email=False)
    assert send_due(at(2026, 6, 6, 18, 30)) == 0  # Saturday 6 June
    assert send_due(at(2026, 6, 7, 18, 30)) == 1  # Sunday: Ann only
    assert mail.outbox[0].to == ["ann@example.org"]


@pytest.mark.django_db
def test_two_workers_never_send_the_same_reminder():
    reminder = reminded()
    assert reminder.claim(dt.date(2026, 6, 1))
    other = Reminder.objects.get(pk=reminder.pk)
    assert not other.claim(dt.date(2026, 6, 1))


@pytest.mark.django_db
def test_the_email_says_nothing_of_health_and_carries_a_one_click_stop(client):
    reminder = reminded()
    send_due(at(2026, 6, 1, 18, 30))
    email = mail.outbox[0]
    # The link's token is signed with the second it was made: read it from the email.
    stop = re.search(r"/reminders/stop/[^/\s]+/", email.body).group(0)
    assert patient_from_token(stop.split("/")[-2]) == reminder.patient
    assert "/today/" in email.body
    assert email.extra_headers["List-Unsubscribe"].endswith(f"{stop}>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As sent: the address stays readable to mail programs, not encoded words.
    sent = email.message(policy=SMTP).as_string()
    assert f"List-Unsubscribe: <http://127.0.0.1:8000{stop}>" in sent and "=?utf-8?" not in sent
    for word in ["pain", "symptom", "cancer", "letrozole", "anastrozole"]:
        assert word not in email.body.lower()

    page = client.get(stop)  # one click, no login
    assert page.status_code == 200
    assert "stopped" in page.text
    reminder.refresh_from_db()
    assert not reminder.by_email

    client.post(stop, {"action": "resume"})  # a mail scanner opened it: undo
    reminder.refresh_from_db()
    assert reminder.by_email
    client.post(stop)  # a mail program's own one-click button (RFC 8058)
    reminder.refresh_from_db()
    assert not reminder.by_email


@pytest.mark.django_db
def test_a_made_up_stop_link_is_refused(client):
    reminder = reminded()
    token = stop_token(reminder.patient)
    response = client.get(reverse("tracker:reminders-stop", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.by_email


def test_a_patient_switches_reminders_on_and_keeps_what_they_typed_when_the_email_is_missing(
    patient_client, patient
):
    url = reverse("tracker:reminders")
    data = {"by_email": "on", "email": "", "at": "07:45", "quiet": ["5", "6"]}
    response = patient_client.post(url, data)
    assert response.status_code == 422
    assert "Add the email address to send your reminders to." in response.text
    assert 'value="07:45"' in response.text
    assert not Reminder.objects.filter(patient=patient).exists()

    response = patient_client.post(url, {**data, "email": "alice@example.org"})
    assert response.status_code == 302
    reminder = Reminder.objects.get(patient=patient)
    assert (reminder.by_email, reminder.at, reminder.quiet_weekdays) == (
        True,
        dt.time(7, 45),
        [5, 6],
    )
    patient.user.refresh_from_db()
    assert patient.user.email == "alice@example.org"
    settings_page = patient_client.get(reverse("tracker:settings")).text
    assert "An email at 07:45" in settings_page


def test_a_time_that_is_not_a_time_gets_a_kind_message(patient_client):
    response = patient_client.post(reverse("tracker:reminders"), {"at": "half past seven"})
    assert response.status_code == 422
    assert "Enter a time such as 19:00." in response.text
    assert 'value="half past seven"' in response.text


def test_reminder_settings_need_a_login(client):
    response = client.get(reverse("tracker:reminders"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
def test_the_worker_sends_what_is_due_and_queues_the_next_round(run_tasks, monkeypatch):
    reminded(time_zone="UTC", when=dt.time(0, 0))
    assert schedule_reminders()
    assert not schedule_reminders()  # one round waits already: `make run` twice adds none
    run_tasks()
    assert len(mail.outbox) == 1
    rounds = DBTaskResult.objects.filter(task_path=send_reminders.module_path)
    assert rounds.filter(status="SUCCESSFUL").count() == 1
    waiting = rounds.get(status="READY")
    assert waiting.run_after - waiting.enqueued_at == pytest.approx(
        REMINDER_ROUND, abs=dt.timedelta(seconds=5)
    )


@pytest.mark.django_db
def test_without_a_queue_that_can_wait_the_command_sends_what_is_due_for_cron(settings):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    reminded(time_zone="UTC", when=dt.time(0, 0))
    call_command("schedule_reminders", stdout=(out := io.StringIO()))
    assert "Sent 1 reminder due now." in out.getvalue()
    assert len(mail.outbox) == 1
    assert not DBTaskResult.objects.exists()
