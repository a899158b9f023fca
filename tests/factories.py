"""Tiny helpers that make test data. No factory library: plain functions."""

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker import roles
from tracker.models import CareAccess, Consent, Drug, Patient, Symptom, Therapy, User
from tracker.privacy import notice as privacy_notice

PASSWORD = "a-long-test-password-42"


def make_user(username="alice", *, role=roles.PATIENT, **kwargs) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


def make_app_device(user) -> TOTPDevice:
    """An authenticator app, set up and confirmed."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def app_code(device: TOTPDevice, *, later: int = 0) -> str:
    """The code the app shows now; later=1 for the next one (a code works once, so a
    second login within the same 30 seconds needs it: the server accepts one step of
    clock drift either way)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + later)
    return f"{code:0{device.digits}d}"


def login_verified(client, user) -> TOTPDevice:
    """force_login, then past the second step as a real login goes (with an app set
    up for the user if they have none): the session names the device that verified
    it, as django_otp.login stores it."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or make_app_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def make_patient(
    username="alice", *, onboarded=True, time_zone="UTC", started_on=None, **kwargs
) -> Patient:
    user = make_user(username, **kwargs)
    patient = Patient.objects.create(
        user=user,
        time_zone=time_zone,
        onboarded_at=timezone.now() if onboarded else None,
    )
    patient.tracked_symptoms.set(Symptom.objects.defaults())
    Consent.objects.create(user=user, version=privacy_notice.VERSION)
    if onboarded:
        Therapy.objects.create(
            patient=patient,
            drug=Drug.ANASTROZOLE,
            started_on=started_on or dt.date.today() - dt.timedelta(days=60),
        )
    return patient


def symptom(slug: str) -> Symptom:
    return Symptom.objects.get(slug=slug)


def log(patient, date, slug: str, **changes):
    """Answers for one symptom on one day, through the app's one writer: frequency=2,
    severity=None (clear), opt_out="declined", sites=["site_knees"], …"""
    from tracker.models import SITES, sites_mask
    from tracker.recording import record_answers

    if SITES in changes and not isinstance(changes[SITES], int):
        changes[SITES] = sites_mask(changes[SITES])
    return record_answers(patient=patient, date=date, symptom=symptom(slug), changes=changes).log


def log_day(patient, date, **fields):
    """The day's own answers (dose, missed_reason, considering_stopping, note)."""
    from tracker.recording import record_day

    return record_day(patient=patient, date=date, fields=fields)


def give_access(patient, clinician):
    """The patient invites the clinician, who accepts: the access it makes."""
    _, code = CareAccess.invite(patient=patient)
    return CareAccess.accept(code=code, clinician=clinician)


def sign_up(client, username: str):
    """Sign up through the page, as a newcomer does (the privacy notice agreed to)."""
    from django.urls import reverse

    data = {"username": username, "email": "", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("signup"), {**data, "privacy": "on"})


def an_object_of(model):
    """One object of the model, to open its own pages: most are made by migrations."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    from education.models import Topic, TopicVersion
    from tracker.tasks import rescore_symptom

    visit = {"user_agent": "a browser", "ip_address": "127.0.0.1", "username": "someone"}
    visit |= {"http_accept": "*/*", "path_info": "/accounts/login/"}
    makers = {
        AccessAttempt: lambda: AccessAttempt.objects.create(
            **visit, get_data="", post_data="", failures_since_start=1
        ),
        AccessLog: lambda: AccessLog.objects.create(**visit),
        AccessFailureLog: lambda: AccessFailureLog.objects.create(**visit),
        DBTaskResult: lambda: DBTaskResult.objects.get(
            pk=rescore_symptom.enqueue(symptom("fatigue").pk).id
        ),
        User: lambda: make_patient("dana").user,
        TOTPDevice: lambda: make_app_device(make_user("devi", role=roles.CLINICIAN)),
        StaticDevice: lambda: StaticDevice.objects.create(
            user=make_user("stan", role=roles.CLINICIAN), name="Recovery codes"
        ),
        # A draft, the one kind of version that can be deleted.
        TopicVersion: lambda: Topic.objects.get(slug="fatigue").published_version.copy_as_draft(
            by=None
        ),
    }
    return makers[model]() if model in makers else model.objects.order_by("pk").first()
