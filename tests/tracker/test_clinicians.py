"""Clinicians: a patient invites one with a one-time code, the clinician reads the
diary until the patient removes them, and every look is logged for the patient."""

import datetime as dt
import re
import threading

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    give_access,
    log,
    log_day,
    login_verified,
    make_patient,
    make_user,
    symptom,
)
from tracker import roles
from tracker.models import AccessLog, Baseline, CareAccess, DayLog, SymptomLog, User, digest
from tracker.recording import rescore
from tracker.sharing.panel import panel
from tracker.trends.dashboard import read_dashboard

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0) ClinicBrowser/2.0"
IP = "198.51.100.23"
CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")
NO_ENTRY = "That code doesn&#x27;t work"


@pytest.fixture
def patient(db):
    return make_patient("alice", first_name="Alice", last_name="Liddell")


def invite(client, email="") -> str:
    """The code the care-team page shows after making an invitation."""
    response = client.post(reverse("tracker:care-team"), {"email": email})
    assert response.status_code == 302
    match = CODE.search(client.get(reverse("tracker:care-team")).text)
    assert match, "the page shows no code"
    return match.group(0)


def accept(client, code):
    return client.post(reverse("tracker:clinician-accept"), {"code": code})


VIEWS = ["dashboard", "report", "csv", "fhir", "pdf"]


def view_url(patient, view: str) -> str:
    """Where a clinician sees one of the patient's VIEWS."""
    if view == "dashboard":
        return reverse("tracker:clinician-dashboard", args=[patient.pk])
    if view == "report":
        return reverse("tracker:clinician-report", args=[patient.pk])
    return reverse("tracker:clinician-report-export", args=[patient.pk, view])


def views_of(patient) -> list[str]:
    return [view_url(patient, view) for view in VIEWS]


@pytest.fixture
def fake_pdf(monkeypatch):
    # WeasyPrint and Chromium are slow; the PDF itself is tested elsewhere.
    monkeypatch.setattr(
        "tracker.reports.pdf.render_pdf", lambda report, **kwargs: b"%PDF-1.7 stand-in"
    )
    monkeypatch.setattr("tracker.reports.pdf_charts.BROWSER.warm", lambda: None)


# Inviting ------------------------------------------------------------------------


def test_a_patient_makes_an_invitation_code_and_sees_it_once(patient_client, patient):
    code = invite(patient_client)

    access = CareAccess.objects.get(patient=patient)
    assert access.code_hash == digest(code)
    assert access.clinician is None and access.accepted_at is None
    for model in apps.get_models():
        for row in model.objects.values():
            assert code not in repr(row), model
    again = patient_client.get(reverse("tracker:care-team")).text
    assert code not in again and "Your invitation code" not in again
    assert "Code given by hand" in again  # still listed, as an unused invitation
    assert mail.outbox == []


def test_an_invitation_by_email_sends_one_email_with_the_code_and_the_page_to_enter_it(
    patient_client, patient
):
    code = invite(patient_client, email="grace.lee@clinic.example")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["grace.lee@clinic.example"]
    # Nothing the patient typed, and nothing of their health: an address may be mistyped.
    assert "Alice" not in message.subject + message.body
    assert "aromatase" not in message.body and "cancer" not in message.body
    assert code in message.body
    assert "http://testserver/clinician/accept/" in message.body
    assert "grace.lee@clinic.example" in patient_client.get(reverse("tracker:care-team")).text


def test_an_email_that_cannot_be_sent_still_leaves_the_patient_with_the_code(patient, monkeypatch):
    def mail_server_down(**kwargs):
        raise OSError("Connection refused")

    monkeypatch.setattr("django.core.mail.send_mail", mail_server_down)
    client = Client(raise_request_exception=False)
    client.force_login(patient.user)

    response = client.post(
        reverse("tracker:care-team"), {"email": "grace.lee@clinic.example"}, follow=True
    )

    assert response.status_code == 200
    assert CODE.search(response.text)


def test_a_malformed_email_is_refused_with_a_message_and_no_invitation(patient_client):
    response = patient_client.post(reverse("tracker:care-team"), {"email": "not-an-email"})
    assert response.status_code == 422
    assert "Enter a valid email address" in response.text
    assert not CareAccess.objects.exists()
    assert mail.outbox == []


# Accepting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " ").lower(),
        lambda code: f"  {code}  ",
    ],
    ids=["as given", "lower case", "no hyphens", "spaces, lower case", "padded"],
)
def test_a_clinician_accepts_a_code_and_then_sees_the_patient_on_the_panel(
    patient_client, clinician_client, clinician, patient, typed
):
    code = invite(patient_client)

    response = accept(clinician_client, typed(code))

    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:clinician-panel")
    access = CareAccess.objects.current().get()
    assert (access.patient, access.clinician) == (patient, clinician)
    panel = clinician_client.get(reverse("tracker:clinician-panel")).text
    assert "Alice Liddell" in panel
    assert reverse("tracker:clinician-report", args=[patient.pk]) in panel
    assert clinician_client.get(view_url(patient, "dashboard")).status_code == 200
    assert "Grace Lee" in patient_client.get(reverse("tracker:care-team")).text


def test_a_code_works_only_once(patient_client, clinician_client, patient):
    code = invite(patient_client)
    accept(clinician_client, code)
    other = make_user("drwho", role=roles.CLINICIAN)
    other_client = Client()
    login_verified(other_client, other)

    response = accept(other_client, code)

    assert response.status_code == 422
    assert NO_ENTRY in response.text
    assert not CareAccess.objects.filter(clinician=other).exists()
    assert other_client.get(view_url(patient, "dashboard")).status_code == 404


def expire(access):
    CareAccess.objects.filter(pk=access.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )


@pytest.mark.parametrize("why", ["expired", "withdrawn", "mistyped"])
def test_a_code_that_no_longer_works_fails_kindly_and_grants_nothing(
    patient_client, clinician_client, patient, why
):
    code = invite(patient_client)
    access = CareAccess.objects.get()
    if why == "expired":
        expire(access)
    elif why == "withdrawn":
        response = patient_client.post(reverse("tracker:care-team-remove", args=[access.pk]))
        assert response.status_code == 302
        assert "withdrawn" in patient_client.get(response["Location"]).text
    else:
        code = code[:-1] + ("A" if code[-1] != "A" else "B")

    response = accept(clinician_client, code)

    assert response.status_code == 422
    assert NO_ENTRY in response.text and "your patient can make a new one" in response.text
    assert not CareAccess.objects.current().exists()
    assert clinician_client.get(view_url(patient, "dashboard")).status_code == 404
    assert "Alice" not in clinician_client.get(reverse("tracker:clinician-panel")).text


def test_an_empty_code_is_refused_with_a_message(clinician_client):
    response = accept(clinician_client, "")
    assert response.status_code == 422
    assert "This field is required" in response.text


def test_a_second_code_from_the_same_patient_keeps_one_access(
    patient_client, clinician_client, clinician, patient
):
    accept(clinician_client, invite(patient_client))

    response = accept(clinician_client, invite(patient_client))

    assert response.status_code == 302
    assert CareAccess.objects.current().filter(clinician=clinician).count() == 1
    assert not CareAccess.objects.pending().exists()


def test_an_invitation_not_yet_accepted_opens_nothing(patient, clinician_client):
    CareAccess.invite(patient=patient, email="drlee@clinic.example")
    for url in views_of(patient):
        assert clinician_client.get(url).status_code == 404


def test_a_patient_who_removed_a_clinician_can_invite_them_again(
    patient_client, clinician_client, clinician, patient
):
    access = give_access(patient, clinician)
    patient_client.post(reverse("tracker:care-team-remove", args=[access.pk]))

    assert accept(clinician_client, invite(patient_client)).status_code == 302
    assert clinician_client.get(view_url(patient, "dashboard")).status_code == 200


# Who may see what --------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_an_unlinked_clinician_gets_404_for_any_patient(
    clinician_client, clinician, patient, fake_pdf, view
):
    linked = make_patient("charlie")
    give_access(linked, clinician)
    assert clinician_client.get(view_url(linked, view)).status_code == 200

    assert clinician_client.get(view_url(patient, view)).status_code == 404
    assert not AccessLog.objects.filter(patient=patient).exists()


def test_a_clinician_gets_404_for_a_patient_that_does_not_exist(clinician_client):
    assert (
        clinician_client.get(reverse("tracker:clinician-report", args=[999999])).status_code == 404
    )


def test_an_unknown_export_format_is_404_even_for_a_linked_clinician(
    clinician_client, clinician, patient
):
    give_access(patient, clinician)
    url = reverse("tracker:clinician-report-export", args=[patient.pk, "xlsx"])
    assert clinician_client.get(url).status_code == 404
    assert not AccessLog.objects.exists()


def test_removing_a_clinician_takes_effect_at_once(
    patient_client, clinician_client, clinician, patient, fake_pdf
):
    access = give_access(patient, clinician)
    assert all(clinician_client.get(url).status_code == 200 for url in views_of(patient))

    response = patient_client.post(reverse("tracker:care-team-remove", args=[access.pk]))

    assert response.status_code == 302
    assert (
        "Grace Lee can no longer see your diary." in patient_client.get(response["Location"]).text
    )
    for url in views_of(patient):
        assert clinician_client.get(url).status_code == 404
    assert "Alice" not in clinician_client.get(reverse("tracker:clinician-panel")).text


def test_removing_is_a_post_only(patient_client, clinician, patient):
    access = give_access(patient, clinician)
    response = patient_client.get(reverse("tracker:care-team-remove", args=[access.pk]))
    assert response.status_code == 405
    assert CareAccess.objects.current().exists()


def test_another_patient_cannot_remove_my_clinician(client, clinician_client, clinician, patient):
    access = give_access(patient, clinician)
    client.force_login(make_patient("charlie").user)

    response = client.post(reverse("tracker:care-team-remove", args=[access.pk]))

    assert response.status_code == 404
    assert CareAccess.objects.current().get() == access
    assert clinician_client.get(view_url(patient, "dashboard")).status_code == 200
    assert "Grace Lee" not in client.get(reverse("tracker:care-team")).text


def test_the_care_team_pages_refuse_a_post_without_a_csrf_token(patient, clinician):
    access = give_access(patient, clinician)
    as_patient = Client(enforce_csrf_checks=True)
    as_patient.force_login(patient.user)
    as_clinician = Client(enforce_csrf_checks=True)
    login_verified(as_clinician, clinician)
    _, code = CareAccess.invite(patient=patient)

    assert as_patient.post(reverse("tracker:care-team"), {"email": ""}).status_code == 403
    assert as_patient.post(reverse("tracker:care-team-remove", args=[access.pk])).status_code == 403
    assert accept(as_clinician, code).status_code == 403
    assert CareAccess.objects.count() == 2
    assert CareAccess.objects.current().count() == 1 and CareAccess.objects.pending().count() == 1


@pytest.mark.parametrize(
    "name, args",
    [
        ("clinician-panel", []),
        ("clinician-accept", []),
        ("clinician-dashboard", ["pk"]),
        ("clinician-report", ["pk"]),
        ("clinician-report-export", ["pk", "csv"]),
    ],
)
def test_a_patient_gets_404_on_the_clinician_pages(patient_client, patient, name, args):
    url = reverse(f"tracker:{name}", args=[patient.pk if a == "pk" else a for a in args])
    assert patient_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name, args",
    [
        ("today", []),
        ("trends", []),
        ("history", []),
        ("report", []),
        ("report-export", ["csv"]),
        ("share-list", []),
        ("care-team", []),
    ],
)
def test_a_clinician_gets_404_on_the_patient_pages(
    clinician_client, clinician, patient, name, args
):
    give_access(patient, clinician)
    assert clinician_client.get(reverse(f"tracker:{name}", args=args)).status_code == 404


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_visitors_are_sent_to_log_in_from_the_clinician_pages(client, patient, view):
    response = client.get(view_url(patient, view))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The access log ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "view, what, shown",
    [
        ("dashboard", "dashboard", "the trends"),
        ("report", "report", "the report"),
        ("csv", "csv", "the daily values (CSV)"),
        ("fhir", "fhir", "the report as FHIR"),
        ("pdf", "pdf", "the report as PDF"),
    ],
)
def test_every_clinician_view_is_logged_for_the_patient_to_read(
    patient_client, clinician_client, clinician, patient, fake_pdf, ask_for_pdf, view, what, shown
):
    give_access(patient, clinician)
    if view == "pdf":  # made by the worker first; then the same address sends it
        ask_for_pdf(clinician_client, view_url(patient, view))
    before = timezone.now()

    response = clinician_client.get(
        view_url(patient, view), REMOTE_ADDR=IP, HTTP_USER_AGENT=BROWSER
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    entry = AccessLog.objects.get()
    assert (entry.patient, entry.clinician, entry.share_link) == (patient, clinician, None)
    assert (entry.who, entry.what, entry.ip, entry.browser) == ("Grace Lee", what, IP, BROWSER)
    assert before <= entry.at <= timezone.now()
    log = patient_client.get(reverse("tracker:care-team")).text
    log = log[log.index("Who has looked") :]
    assert "Grace Lee" in log and shown in log and IP in log


def test_the_patient_sees_the_browser_of_each_clinician_view(
    patient_client, clinician_client, clinician, patient
):
    give_access(patient, clinician)
    clinician_client.get(view_url(patient, "report"), REMOTE_ADDR=IP, HTTP_USER_AGENT=BROWSER)
    assert BROWSER in patient_client.get(reverse("tracker:care-team")).text


def test_the_log_keeps_the_clinicians_name_after_their_account_goes(
    clinician_client, clinician, patient
):
    give_access(patient, clinician)
    clinician_client.get(view_url(patient, "report"))
    clinician.delete()
    entry = AccessLog.objects.get()
    assert (entry.who, entry.clinician) == ("Grace Lee", None)


def test_the_patients_own_views_write_no_log(patient_client, patient, fake_pdf):
    DayLog.objects.create(patient=patient, date=patient.today(), dose="taken")
    for url in [
        reverse("tracker:report"),
        reverse("tracker:trends"),
        reverse("tracker:report-export", args=["csv"]),
        reverse("tracker:report-export", args=["fhir"]),
        reverse("tracker:report-export", args=["pdf"]),
        reverse("tracker:care-team"),
    ]:
        assert patient_client.get(url).status_code == 200, url
    assert not AccessLog.objects.exists()
    assert "Nobody has looked yet." in patient_client.get(reverse("tracker:care-team")).text


def test_accepting_writes_no_log_but_the_panel_logs_each_patient_it_shows(
    patient_client, clinician_client, patient, other_patient
):
    accept(clinician_client, invite(patient_client))
    assert not AccessLog.objects.exists()
    clinician_client.get(reverse("tracker:clinician-panel"))
    entry = AccessLog.objects.get()
    assert (entry.patient, entry.what) == (patient, "panel")
    assert "their patient list" in patient_client.get(reverse("tracker:care-team")).text


# The panel -------------------------------------------------------------------------


def log_days(patient, days: dict[int, str], **symptoms):
    """Days `offset` days before the patient's today, with their doses, and the same
    answers each day for each symptom given: fatigue={"severity": 2, "interference": 2}."""
    today = patient.today()
    for offset, dose in days.items():
        date = today - dt.timedelta(days=offset)
        log_day(patient, date, dose=dose)
        for slug, answers in symptoms.items():
            log(patient, date, slug.replace("_", "-"), **answers)


FATIGUE_1 = {"severity": 1, "interference": 1}  # graded 1
FATIGUE_2 = {"severity": 2, "interference": 2}  # graded 2


def test_the_panel_lists_patients_with_open_flags_first_with_last_log_and_adherence(
    clinician_client, clinician
):
    bella = make_patient("bella", first_name="Bella", last_name="Quiet")
    log_days(bella, {1: "taken", 2: "taken", 3: "missed", 4: "taken"})
    dora = make_patient("dora", first_name="Dora", last_name="Flagged")
    log_days(dora, {3: "taken"}, hot_flashes={"frequency": 3, "severity": 3})  # graded 3
    erin = make_patient("erin", first_name="Erin", last_name="Newcomer")
    for patient in (bella, erin, dora):
        give_access(patient, clinician)
    today = bella.today()

    text = clinician_client.get(reverse("tracker:clinician-panel")).text

    # Dora logged less recently than Bella, but her open flag puts her first.
    assert text.index("Dora Flagged") < text.index("Bella Quiet") < text.index("Erin Newcomer")
    rows = {
        name: text[text.index(name) :].split("</tr>")[0]
        for name in ("Dora Flagged", "Bella Quiet", "Erin Newcomer")
    }
    assert "1 flag" in rows["Dora Flagged"]
    assert "Hot flashes at the top of Ripple&#x27;s scale" in rows["Dora Flagged"]
    assert "None open" in rows["Bella Quiet"]
    last = today - dt.timedelta(days=1)
    assert f"{last.day} {last:%b %Y}" in rows["Bella Quiet"]
    assert "75%" in rows["Bella Quiet"]
    assert "100%" in rows["Dora Flagged"]
    assert "Never" in rows["Erin Newcomer"] and "Not answered" in rows["Erin Newcomer"]


def test_the_panel_shows_only_this_clinicians_current_patients(clinician_client, clinician):
    mine = make_patient("bella", first_name="Bella", last_name="Mine")
    removed = make_patient("dora", first_name="Dora", last_name="Removed")
    other = make_patient("erin", first_name="Erin", last_name="Elsewhere")
    give_access(mine, clinician)
    give_access(removed, clinician).end()
    give_access(other, make_user("drwho", role=roles.CLINICIAN))

    text = clinician_client.get(reverse("tracker:clinician-panel")).text

    assert "Bella Mine" in text
    assert "Dora Removed" not in text and "Erin Elsewhere" not in text


def test_the_panel_runs_the_same_number_of_queries_for_one_and_four_patients(
    clinician_client, clinician
):
    def add_patient(username):
        patient = make_patient(username, started_on=dt.date.today() - dt.timedelta(days=10))
        log_days(patient, {1: "taken", 2: "missed", 20: "taken"}, fatigue=FATIGUE_1)
        give_access(patient, clinician)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert clinician_client.get(reverse("tracker:clinician-panel")).status_code == 200
        return len(queries)

    add_patient("p1")
    one = count()
    for username in ("p2", "p3", "p4"):
        add_patient(username)
    assert count() == one


def test_the_panel_runs_the_same_number_of_queries_for_two_and_six_patients(
    clinician_client, clinician
):
    """Whatever each patient logged: symptoms, baselines, medicines, time zones."""
    zones = ["UTC", "Pacific/Auckland", "America/Los_Angeles"]

    def add_patient(n):
        patient = make_patient(
            f"p{n}",
            time_zone=zones[n % 3],
            started_on=dt.date.today() - dt.timedelta(days=5 + 20 * n),
        )
        days = {k: "taken" if k % 3 else "missed" for k in range(1, 4 + 2 * n)}
        log_days(
            patient,
            days,
            fatigue=FATIGUE_2 if n % 2 else FATIGUE_1,
            joint_pain={"frequency": 2, "severity": 2, "interference": 1, "worst_pain": n},
            **({"hot_flashes": {"frequency": 3, "severity": 3}} if n % 3 == 0 else {}),
        )
        give_access(patient, clinician)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert clinician_client.get(reverse("tracker:clinician-panel")).status_code == 200
        return len(queries)

    for n in range(2):
        add_patient(n)
    two = count()
    for n in range(2, 6):
        add_patient(n)
    assert count() == two
    assert len(panel(clinician)) == 6 and any(row.flags for row in panel(clinician))


def forget_the_diary():
    SymptomLog.objects.all().delete()
    Baseline.objects.all().delete()
    DayLog.objects.all().delete()


def test_the_clinician_report_runs_the_same_number_of_queries_as_days_grow(
    clinician_client, clinician, patient
):
    give_access(patient, clinician)
    url = reverse("tracker:clinician-report", args=[patient.pk])

    def count(days: int) -> int:
        forget_the_diary()
        log_days(patient, {n: "taken" for n in range(days)}, fatigue=FATIGUE_2)
        with CaptureQueriesContext(connection) as queries:
            assert clinician_client.get(url).status_code == 200
        return len(queries)

    assert count(3) == count(80)


def test_the_clinician_dashboard_runs_the_same_number_of_queries_as_days_grow(
    clinician_client, clinician, patient
):
    give_access(patient, clinician)
    url = reverse("tracker:clinician-dashboard", args=[patient.pk])

    def count(days: int) -> int:
        forget_the_diary()
        log_days(patient, {n: "taken" for n in range(days)}, fatigue=FATIGUE_2)
        with CaptureQueriesContext(connection) as queries:
            assert clinician_client.get(url, {"range": "all"}).status_code == 200
        return len(queries)

    assert count(3) == count(200)


def test_the_care_team_page_runs_the_same_number_of_queries_however_many_clinicians(
    patient_client, patient
):
    def add_clinician(username):
        clinician = make_user(username, role=roles.CLINICIAN)
        give_access(patient, clinician)
        client = Client()
        login_verified(client, clinician)
        client.get(reverse("tracker:clinician-report", args=[patient.pk]))
        CareAccess.invite(patient=patient, email=f"{username}@clinic.example")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert patient_client.get(reverse("tracker:care-team")).status_code == 200
        return len(queries)

    add_clinician("dr1")
    one = count()
    for username in ("dr2", "dr3", "dr4"):
        add_clinician(username)
    assert count() == one


def write_diary(patient, days: int, answers) -> None:
    """`days` days to the patient's today, written as the demo writes a long diary:
    the rows at once, then every grade, figure and baseline derived from them.
    `answers(n)` gives {slug: answers} for the day n days ago."""
    today = patient.today()
    dates = [today - dt.timedelta(days=n) for n in range(days)]
    DayLog.objects.bulk_create(
        DayLog(patient=patient, date=date, dose="taken" if n % 5 else "missed")
        for n, date in enumerate(dates)
    )
    SymptomLog.objects.bulk_create(
        SymptomLog(patient=patient, date=date, symptom=symptom(slug), **values)
        for n, date in enumerate(dates)
        for slug, values in answers(n).items()
    )
    rescore(patients=[patient])


def dashboard_flags(patient):
    """The flags of the patient's own dashboard over their whole diary."""
    today = patient.today()
    first = DayLog.objects.for_patient(patient).logged().order_by("date").first().date
    return read_dashboard(patient, start=first, end=today).flags


@pytest.mark.parametrize(
    "therapy_days_ago", [60, 400], ids=["baseline before therapy", "first days"]
)
def test_the_panel_raises_the_same_flags_as_the_full_history_would(clinician, therapy_days_ago):
    patient = make_patient(
        "bella", started_on=dt.date.today() - dt.timedelta(days=therapy_days_ago)
    )

    def answers(n):
        fatigue = 0 if n > 150 else 1 if n > 13 else 2  # severity and interference: that grade
        pain = 1 if n > 13 else 3
        return {
            "fatigue": {"severity": fatigue, "interference": fatigue},
            "joint-pain": {"frequency": 1, "severity": 1, "interference": 1, "worst_pain": pain},
        }

    write_diary(patient, 200, answers)
    give_access(patient, clinician)
    expected = dashboard_flags(patient)
    assert {f.rule for f in expected} >= {"worse", "joint_pain"}

    (row,) = panel(clinician)

    assert row.flags == expected


def test_a_symptom_first_logged_late_gets_the_same_baseline_in_the_panel(clinician):
    """Hot flashes start after 100 days of other logging: their baseline is their own
    first 7 days, far from the diary's first days and from the last month."""
    patient = make_patient("late", started_on=dt.date.today() - dt.timedelta(days=400))
    today = patient.today()

    def answers(n):
        fatigue = {"severity": 1, "interference": 1}  # graded 1
        if n >= 100:
            return {"fatigue": fatigue}
        flashes = 0 if n > 90 else 2  # frequency and severity: that grade
        return {"fatigue": fatigue, "hot-flashes": {"frequency": flashes, "severity": flashes}}

    write_diary(patient, 200, answers)
    give_access(patient, clinician)
    baseline = Baseline.objects.get(patient=patient, symptom=symptom("hot-flashes"))
    assert (baseline.starts_on, baseline.ends_on, baseline.grade) == (
        today - dt.timedelta(days=99),
        today - dt.timedelta(days=93),
        0,
    )
    expected = dashboard_flags(patient)
    assert [f.rule for f in expected] == ["worse"]

    (row,) = panel(clinician)

    assert row.flags == expected


# Racing for one code ----------------------------------------------------------------


@pytest.mark.threads
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_clinicians_racing_for_one_code_leave_exactly_one_access():
    patient = make_patient("alice")
    _, code = CareAccess.invite(patient=patient)
    clinicians = [make_user(f"dr{n}", role=roles.CLINICIAN) for n in range(6)]
    barrier = threading.Barrier(len(clinicians))
    results, errors = [], []

    def race(clinician):
        try:
            barrier.wait()
            results.append(CareAccess.accept(code=code, clinician=clinician))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(c,)) for c in clinicians]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert CareAccess.objects.current().count() == 1


def test_a_patient_makes_at_most_five_invitations_a_day(patient_client):
    for _ in range(5):
        invite(patient_client)
    response = patient_client.post(reverse("tracker:care-team"), {"email": ""})
    assert response.status_code == 422
    assert "the most Ripple allows in a day" in response.text
    assert CareAccess.objects.count() == 5


def test_reloading_the_panel_logs_each_patient_once_a_day(
    patient_client, clinician_client, patient
):
    accept(clinician_client, invite(patient_client))
    for _ in range(3):
        clinician_client.get(reverse("tracker:clinician-panel"))
    assert AccessLog.objects.filter(what="panel").count() == 1


def test_the_invitation_code_is_kept_by_no_cache_and_no_session(patient_client):
    from django.contrib.sessions.models import Session

    code = invite(patient_client)
    for session in Session.objects.all():
        assert code not in repr(session.get_decoded())
    again = patient_client.get(reverse("tracker:care-team"))
    assert code not in again.text  # shown once
    assert "no-store" in again["Cache-Control"]


# A clinician without an account -----------------------------------------------------

JOIN_LINK = re.compile(r"/clinician/join/confirm/[^/\s]+/")
JOIN = {
    "first_name": "Priya",
    "last_name": "Shah",
    "username": "drshah",
    "email": "p.shah@clinic.example",
    "password1": "a-long-clinic-password-7",
    "password2": "a-long-clinic-password-7",
}


def test_a_clinician_without_an_account_joins_with_the_code_and_sees_the_patient(
    patient_client, patient
):
    code = invite(patient_client, email="p.shah@clinic.example")
    assert "/clinician/join/" in mail.outbox[0].body
    newcomer = Client()
    response = newcomer.post(reverse("tracker:clinician-join"), {**JOIN, "code": code.lower()})
    # The emailed code is good for the address it went to: the address confirms.
    assert "Check your email" in response.text and "p.shah@clinic.example" in response.text
    assert not CareAccess.objects.current().filter(patient=patient, clinician__isnull=False)
    assert mail.outbox[-1].to == ["p.shah@clinic.example"]
    link = JOIN_LINK.search(mail.outbox[-1].body).group(0)
    assert "Confirm and go on" in newcomer.get(link).text  # a link checker changes nothing
    assert not CareAccess.objects.current().filter(patient=patient, clinician__isnull=False)
    response = newcomer.post(link)
    assert response.status_code == 302 and response.url == reverse("tracker:clinician-panel")
    assert "doesn't work" in Client().post(link).text  # once only
    doctor = CareAccess.objects.current().get(patient=patient).clinician
    assert doctor.username == "drshah" and doctor.in_role(roles.CLINICIAN)
    assert not hasattr(doctor, "patient")  # a clinician account, not a diary
    # Their first stop is setting up a second step, then the panel.
    panel = newcomer.get(reverse("tracker:clinician-panel"), follow=True)
    assert panel.redirect_chain[-1][0].startswith(reverse("two-factor-setup"))
    login_verified(newcomer, doctor)
    assert patient.shown_name in newcomer.get(reverse("tracker:clinician-panel")).text


@pytest.mark.parametrize("code", ["", "NOPE-NOPE-NOPE-NOPE"])
def test_without_a_working_code_no_clinician_account_is_made(client, code):
    response = client.post(reverse("tracker:clinician-join"), {**JOIN, "code": code})
    assert response.status_code == 422
    assert not User.objects.filter(username="drshah").exists()


def test_a_used_code_cannot_make_a_second_account(patient_client, clinician_client):
    code = invite(patient_client)
    accept(clinician_client, code)
    response = Client().post(reverse("tracker:clinician-join"), {**JOIN, "code": code})
    assert response.status_code == 422
    assert "doesn" in response.text and "work" in response.text


def test_an_emailed_code_joins_only_with_the_address_it_went_to(patient_client):
    code = invite(patient_client, email="p.shah@clinic.example")
    response = Client().post(
        reverse("tracker:clinician-join"), {**JOIN, "email": "someone@else.example", "code": code}
    )
    assert response.status_code == 422
    assert "Use the email address the invitation was sent to." in response.text
    assert not User.objects.filter(username="drshah").exists()


def test_a_code_left_in_a_shared_browser_is_not_shown_to_the_next_account(
    patient_client, other_patient
):
    patient_client.post(reverse("tracker:care-team"), {"email": ""})  # not followed
    cookie = patient_client.cookies["ripple-new-code"]
    other = Client()
    other.force_login(other_patient.user)
    other.cookies["ripple-new-code"] = cookie.value
    page = other.get(reverse("tracker:care-team")).text
    assert not CODE.search(page)


def test_an_emailed_code_is_refused_to_a_logged_in_clinician_with_another_address(
    patient_client, patient
):
    """The review reached a patient's report with a forwarded code and a clinician account
    made with a self-invitation: accepting now checks the address as joining does."""
    code = invite(patient_client, email="p.shah@clinic.example")
    stranger = make_user("mallory", role=roles.CLINICIAN, email="mallory@elsewhere.example")
    client = Client()
    login_verified(client, stranger)
    response = accept(client, code)
    assert response.status_code == 422
    assert "sent to another email address" in response.text
    assert client.get(view_url(patient, "report")).status_code == 404
    # The model refuses too, whatever view calls it.
    assert CareAccess.accept(code=code, clinician=stranger) is None


def test_an_emailed_code_works_for_the_clinician_with_that_address(patient_client, patient):
    code = invite(patient_client, email="P.Shah@clinic.example")
    shah = make_user("drshah", role=roles.CLINICIAN, email="p.shah@clinic.example")
    client = Client()
    login_verified(client, shah)
    assert accept(client, code).status_code == 302
    assert client.get(view_url(patient, "report")).status_code == 200


def test_a_forwarded_emailed_code_opens_nothing_for_whoever_types_the_invited_address(
    patient_client, patient
):
    """The review's bypass, on the joining path: the code forwarded, the invited
    address typed. The link goes to that address, not to whoever typed it."""
    code = invite(patient_client, email="p.shah@clinic.example")
    forwardee = Client()
    forwardee.post(reverse("tracker:clinician-join"), {**JOIN, "code": code})
    made = User.objects.get(username="drshah")
    assert not made.is_active
    response = forwardee.post(
        reverse("login"), {"username": "drshah", "password": JOIN["password1"]}
    )
    assert "_auth_user_id" not in forwardee.session
    assert forwardee.get(view_url(patient, "report")).status_code == 302  # to log in
    assert mail.outbox[-1].to == ["p.shah@clinic.example"]
    assert response.status_code == 200


def test_a_join_link_that_was_tampered_with_or_expired_is_refused_kindly(client):
    response = client.get(reverse("tracker:clinician-join-confirm", args=["not-a-token"]))
    assert response.status_code == 404
    assert "This link doesn't work" in response.text
