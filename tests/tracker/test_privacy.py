"""Privacy as a patient expects it: a notice agreed to at sign-up (and again when it
changes), everything downloadable, and an account deleted with all it holds."""

import datetime as dt
import io
import json
import zipfile

import pytest
from axes.models import AccessAttempt
from axes.models import AccessLog as LoginLog
from django.apps import apps
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, log, log_day, login_verified, make_patient, make_user
from tracker import roles
from tracker.models import (
    Archive,
    CareAccess,
    Consent,
    Patient,
    ReportSection,
    ShareLink,
    TimelineEvent,
    User,
)
from tracker.privacy import notice

pytestmark = pytest.mark.django_db
MARKER = "Knees-ZEBRA-on-the-stairs"
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_signing_up_asks_to_agree_to_the_privacy_notice(client):
    data = {"username": "nora", "password1": PASSWORD, "password2": PASSWORD}
    refused = client.post(reverse("signup"), data)
    assert refused.status_code == 422
    assert "tick the box" in refused.text
    assert 'value="nora"' in refused.text
    assert "What Ripple keeps" in refused.text  # the notice is on the page
    assert client.post(reverse("signup"), {**data, "privacy": "on"}).status_code == 302
    assert Consent.objects.get(user__username="nora").version == notice.VERSION


def test_a_changed_notice_is_asked_again_before_anything_else(patient_client, patient, monkeypatch):
    monkeypatch.setattr(notice, "VERSION", "2099-01-01")
    page = patient_client.get(reverse("tracker:trends"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("tracker:privacy-consent"))
    save = reverse("tracker:checkin-symptom", args=[patient.today(), "fatigue"])
    assert patient_client.post(save, {"fatigue-severity": "1"}, **HTMX).status_code == 403
    # Leaving is always possible without agreeing.
    assert patient_client.get(reverse("tracker:account-delete")).status_code == 200
    assert patient_client.get(reverse("tracker:archive")).status_code == 200
    consent = reverse("tracker:privacy-consent")
    not_ticked = patient_client.post(consent, {"next": "/trends/"})
    assert not_ticked.status_code == 422
    agreed = patient_client.post(consent, {"agree": "on", "next": "/trends/"})
    assert agreed["Location"] == "/trends/"
    assert patient_client.get(reverse("tracker:trends")).status_code == 200
    assert Consent.objects.filter(user=patient.user, version="2099-01-01").exists()


def test_agreeing_never_sends_anyone_to_another_site(patient_client, patient, monkeypatch):
    monkeypatch.setattr(notice, "VERSION", "2099-01-01")
    response = patient_client.post(
        reverse("tracker:privacy-consent"), {"agree": "on", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_the_privacy_notice_is_open_to_everyone(client):
    response = client.get(reverse("tracker:privacy"))
    assert response.status_code == 200
    assert "Who can see it" in response.text


# --- Deleting an account -------------------------------------------------------------


def a_full_account(patient):
    today = patient.today()
    log(patient, today, "joint-pain", severity=2)
    log_day(patient, today, dose="taken", note=MARKER)
    TimelineEvent.objects.create(
        patient=patient, kind="bone_scan", title="Bone density", starts_on=today, notes=MARKER
    )
    link, token = ShareLink.make(
        patient=patient, sections=list(ReportSection.values),
        starts_on=today - dt.timedelta(days=7), ends_on=today,
    )  # fmt: skip
    clinician = make_user("drlee", role=roles.CLINICIAN, email="lee@clinic.example")
    _, code = CareAccess.invite(patient=patient)
    CareAccess.accept(code=code, clinician=clinician)
    Client(REMOTE_ADDR="203.0.113.4").post(
        reverse("login"), {"username": patient.user.username, "password": "wrong"}
    )
    return token, clinician


def rows_of(user_pk, patient_pk, username) -> list[str]:
    """Every row left anywhere that points at the account or names it."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not field.concrete:
                continue
            target = getattr(field, "related_model", None)
            if target is User and model.objects.filter(**{field.name: user_pk}).exists():
                found.append(f"{model._meta.label}.{field.name}")
            if target is Patient and model.objects.filter(**{field.name: patient_pk}).exists():
                found.append(f"{model._meta.label}.{field.name}")
            if field.get_internal_type() in ("CharField", "TextField"):
                for text in (MARKER, username):
                    if model.objects.filter(**{f"{field.name}__contains": text}).exists():
                        found.append(f"{model._meta.label}.{field.name} holds {text}")
    return found


def test_deleting_an_account_needs_the_password_and_then_removes_everything(
    patient_client, patient
):
    token, clinician = a_full_account(patient)
    url = reverse("tracker:account-delete")
    page = patient_client.get(url)
    assert "What is kept, and why" in page.text
    wrong = patient_client.post(url, {"password": "not it"})
    assert wrong.status_code == 422
    assert "nothing was deleted" in wrong.text
    assert Patient.objects.filter(pk=patient.pk).exists()

    user_pk, patient_pk, username = patient.user.pk, patient.pk, patient.user.username
    assert rows_of(user_pk, patient_pk, username)  # the check can see the account
    done = patient_client.post(url, {"password": PASSWORD}, follow=True)
    assert done.status_code == 200
    assert "Your account is deleted" in done.text
    assert "_auth_user_id" not in patient_client.session
    assert rows_of(user_pk, patient_pk, username) == []
    assert not AccessAttempt.objects.exists() and not LoginLog.objects.filter(username=username)
    # The link and the clinician's access ended with it.
    assert Client().get(reverse("tracker:shared-report", args=[token])).status_code == 404
    doctor = Client()
    login_verified(doctor, clinician)
    response = doctor.get(reverse("tracker:clinician-dashboard", args=[patient_pk]))
    assert response.status_code == 404


def test_only_a_patient_deletes_their_own_account(clinician_client):
    assert clinician_client.get(reverse("tracker:account-delete")).status_code == 404


# --- Download all my data ------------------------------------------------------------


def test_the_archive_is_made_in_the_background_and_holds_everything(
    patient_client, patient, run_tasks, django_capture_on_commit_callbacks
):
    a_full_account(patient)
    page = reverse("tracker:archive")
    assert "Make my archive" in patient_client.get(page).text
    with django_capture_on_commit_callbacks(execute=True):
        assert patient_client.post(reverse("tracker:archive-new")).status_code == 302
    waiting = patient_client.get(page, **HTMX)
    assert 'hx-trigger="every 2s"' in waiting.text and "being made" in waiting.text
    run_tasks()
    ready = patient_client.get(page, **HTMX)
    assert "is ready" in ready.text and "every 2s" not in ready.text
    archive = Archive.objects.get(patient=patient)
    download = patient_client.get(reverse("tracker:archive-download", args=[archive.pk]))
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    files = zipfile.ZipFile(io.BytesIO(download.content))
    assert set(files.namelist()) == {
        "README.txt", "ripple-data.json", "diary.csv", "diary.fhir.json"
    }  # fmt: skip
    data = json.loads(files.read("ripple-data.json"))
    for table in ("tracker.DayLog", "tracker.SymptomLog", "tracker.Therapy", "tracker.ShareLink",
                  "tracker.CareAccess", "tracker.Consent", "tracker.Patient", "tracker.User"):  # fmt: skip
        assert table in data, table
    assert MARKER in json.dumps(data["tracker.DayLog"])
    # Every table holding a row of this patient's is in it, however it was added.
    holding = {
        model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and getattr(field, "related_model", None) is Patient
        and model is not Archive and model.objects.filter(**{field.name: patient}).exists()
    }  # fmt: skip
    assert len(holding) >= 8 and holding <= set(data)
    text = files.read("ripple-data.json").decode()
    assert "token_hash" not in text and "password" not in text
    assert MARKER in files.read("diary.csv").decode()
    assert json.loads(files.read("diary.fhir.json"))["resourceType"] == "Bundle"


def test_one_archive_is_made_at_a_time_and_three_a_day(
    patient_client, patient, run_tasks, django_capture_on_commit_callbacks
):
    new = reverse("tracker:archive-new")

    def ask():
        with django_capture_on_commit_callbacks(execute=True):
            return patient_client.post(new, follow=True)

    ask()
    ask()
    assert Archive.objects.count() == 1
    run_tasks()
    ask()
    run_tasks()
    ask()
    run_tasks()
    page = ask()
    assert Archive.objects.count() == 3
    assert "3 archives today" in page.text


def test_another_patient_can_neither_see_nor_download_an_archive(patient, other_patient, run_tasks):
    archive = Archive.objects.create(patient=patient, status="ready", content=b"PK")
    other = Client()
    other.force_login(other_patient.user)
    response = other.get(reverse("tracker:archive-download", args=[archive.pk]))
    assert response.status_code == 404
    assert "is ready" not in other.get(reverse("tracker:archive")).text


def test_an_account_deleted_while_its_archive_waits_leaves_the_worker_nothing_to_do(
    patient, run_tasks
):
    from tracker.privacy.tasks import make_archive

    archive = Archive.objects.create(patient=patient)
    make_archive.enqueue(archive.pk)
    patient.user.delete()
    run_tasks()
    assert not Archive.objects.exists()


def test_make_patient_has_agreed():
    patient = make_patient("zoe")
    assert Consent.objects.filter(user=patient.user, version=notice.VERSION).exists()


# --- Kept only for a while ------------------------------------------------------------


def test_the_daily_pruning_drops_addresses_and_login_records_after_the_retention_period(
    patient, settings, run_tasks
):
    from django.utils import timezone

    from tracker.models import AccessLog
    from tracker.privacy.tasks import prune_records
    from tracker.tasks import schedule_once

    settings.RETENTION_DAYS = 365
    now = timezone.now()
    old, recent = now - dt.timedelta(days=366), now - dt.timedelta(days=300)
    for at in (old, recent):
        AccessLog.objects.create(patient=patient, at=at, who="Dr Lee", what="report",
                                 ip="203.0.113.4", browser="Firefox")  # fmt: skip
        attempt = AccessAttempt.objects.create(
            username="alice", ip_address="203.0.113.4", user_agent=f"{at}", failures_since_start=1
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=at)  # not "now"
    Archive.objects.create(patient=patient, created_at=now - dt.timedelta(days=2))
    Archive.objects.create(patient=patient)
    assert schedule_once(prune_records)
    run_tasks()
    kept = AccessLog.objects.order_by("at")
    assert [(entry.ip, entry.browser) for entry in kept] == [(None, ""), ("203.0.113.4", "Firefox")]
    assert kept[0].who == "Dr Lee"  # who viewed what stays for the patient to read
    assert list(AccessAttempt.objects.values_list("attempt_time", flat=True)) == [recent]
    assert Archive.objects.count() == 1
    # It queued the next day's round.
    assert not schedule_once(prune_records)


def test_the_archive_holds_no_second_factor_secret_nor_what_the_account_did_elsewhere(
    patient, run_tasks
):
    from tests.factories import make_app_device
    from tracker.privacy.tasks import make_archive

    device = make_app_device(patient.user)
    archive = Archive.objects.create(patient=patient)
    make_archive.enqueue(archive.pk)
    run_tasks()
    archive.refresh_from_db()
    text = zipfile.ZipFile(io.BytesIO(bytes(archive.content))).read("ripple-data.json").decode()
    assert device.key not in text and "otp_totp" not in text


def test_an_archive_whose_queue_is_unreachable_or_whose_worker_died_fails_kindly(
    patient_client, patient, monkeypatch, django_capture_on_commit_callbacks
):
    from types import SimpleNamespace

    from django.utils import timezone

    from tracker.privacy import views

    def unreachable(*args, **kwargs):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(views, "make_archive", SimpleNamespace(enqueue=unreachable))
    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(reverse("tracker:archive-new"))
    assert Archive.objects.get().status == "failed"
    page = patient_client.get(reverse("tracker:archive")).text
    assert "could not be made" in page and "every 2s" not in page

    Archive.objects.all().delete()
    Archive.objects.create(patient=patient, created_at=timezone.now() - dt.timedelta(minutes=20))
    assert "could not be made" in patient_client.get(reverse("tracker:archive")).text


def test_the_password_asked_before_deleting_cannot_be_guessed_from_an_open_session(
    patient_client, patient
):
    url = reverse("tracker:account-delete")
    for _ in range(5):
        assert "nothing was deleted" in patient_client.post(url, {"password": "guess"}).text
    refused = patient_client.post(url, {"password": PASSWORD})
    assert "next 15 minutes" in refused.text
    assert Patient.objects.filter(pk=patient.pk).exists()
