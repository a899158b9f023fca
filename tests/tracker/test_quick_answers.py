"""One tap for a quiet day, one for a day like the one before: each fills in only
what is still unanswered, through the one writer, and the page shows it all."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import log, log_day, symptom
from tracker.models import DayLog, SymptomLog

DAILY = ["hot-flashes", "joint-pain", "vaginal-dryness"]


@pytest.fixture
def defaults(patient):
    """The default cadences: three symptoms daily, the rest weekly (asked this week)."""
    from tracker.models import Symptom

    patient.track(
        Symptom.objects.defaults(),
        weekly={s for s in Symptom.objects.defaults() if s.slug not in DAILY},
    )
    return patient


def quick(client, date, action):
    return client.post(reverse("tracker:checkin-quick", args=[date]), {"action": action})


def test_nothing_to_report_is_one_tap_for_every_daily_symptom_and_the_dose(
    patient_client, defaults
):
    today = defaults.today()
    response = quick(patient_client, today, "nothing")
    assert response.status_code == 302
    rows = {
        r.symptom.slug: r
        for r in SymptomLog.objects.filter(patient=defaults).select_related("symptom")
    }
    assert sorted(rows) == DAILY  # the weekly questions wait for a real answer
    pain = rows["joint-pain"]
    assert (pain.frequency, pain.severity, pain.interference, pain.worst_pain, pain.grade) == (
        0,
        0,
        0,
        0,
        0,
    )
    assert rows["hot-flashes"].episodes_severe == 0
    assert DayLog.objects.get(patient=defaults, date=today).dose == "taken"
    page = patient_client.get(response["Location"]).text
    assert "Saved: nothing to report for" in page
    assert "Quick answers" not in page  # nothing left for it to fill


def test_a_quick_answer_never_overwrites_an_answer_already_given(patient_client, defaults):
    today = defaults.today()
    log(defaults, today, "joint-pain", frequency=3, severity=2)
    log_day(defaults, today, dose="missed", missed_reason="forgot")
    quick(patient_client, today, "nothing")
    pain = SymptomLog.objects.get(patient=defaults, symptom=symptom("joint-pain"))
    assert (pain.frequency, pain.severity) == (3, 2)
    assert DayLog.objects.get(patient=defaults, date=today).dose == "missed"


def test_same_as_yesterday_copies_the_day_befores_answers_to_see_and_change(
    patient_client, defaults
):
    today = defaults.today()
    yesterday = today - dt.timedelta(days=1)
    log(defaults, yesterday, "joint-pain", frequency=3, severity=2, interference=1, worst_pain=6,
        sites=["site_hands", "site_knees"], stiffness_minutes=20)  # fmt: skip
    log(defaults, yesterday, "hot-flashes", frequency=2, severity=2, episodes_mild=3)
    log(defaults, yesterday, "fatigue", severity=3, interference=2)  # a weekly answer
    log_day(defaults, yesterday, dose="missed", missed_reason="side_effects")
    log(defaults, today, "hot-flashes", frequency=1, severity=1)  # already answered today

    response = quick(patient_client, today, "yesterday")
    pain = SymptomLog.objects.get(patient=defaults, date=today, symptom=symptom("joint-pain"))
    assert (pain.worst_pain, pain.site_list, pain.stiffness_minutes, pain.grade) == (
        6, ["site_hands", "site_knees"], 20, pain.graded(),
    )  # fmt: skip
    flashes = SymptomLog.objects.get(patient=defaults, date=today, symptom=symptom("hot-flashes"))
    assert (flashes.frequency, flashes.episodes_mild) == (1, None)  # today's kept
    assert not SymptomLog.objects.filter(date=today, symptom=symptom("fatigue")).exists()
    assert not SymptomLog.objects.filter(date=today, symptom=symptom("vaginal-dryness")).exists()
    day = DayLog.objects.get(patient=defaults, date=today)
    assert (day.dose, day.missed_reason) == ("missed", "side_effects")
    page = patient_client.get(response["Location"]).text
    assert "Copied the day before&#x27;s answers for joint pain" in page
    assert 'id="id_joint-pain-worst_pain_6" checked' in page  # shown, to change


def test_same_as_yesterday_with_nothing_the_day_before_says_so(patient_client, defaults):
    response = quick(patient_client, defaults.today(), "yesterday")
    assert (
        "Nothing was logged the day before to copy."
        in patient_client.get(response["Location"]).text
    )
    assert not SymptomLog.objects.exists() and not DayLog.objects.exists()


def test_an_unknown_quick_answer_changes_nothing(patient_client, defaults):
    assert quick(patient_client, defaults.today(), "everything").status_code == 400
    assert not SymptomLog.objects.exists()


def test_quick_answers_are_for_days_that_can_be_logged(patient_client, defaults):
    tomorrow = defaults.today() + dt.timedelta(days=1)
    assert quick(patient_client, tomorrow, "nothing").status_code == 404
    assert not SymptomLog.objects.exists()


def test_quick_answers_need_a_login(client, db):
    response = client.post(
        reverse("tracker:checkin-quick", args=[dt.date(2026, 1, 1)]), {"action": "nothing"}
    )
    assert response.status_code == 302 and not SymptomLog.objects.exists()


def test_quick_answers_touch_only_their_own_diary(patient_client, defaults, other_patient):
    quick(patient_client, defaults.today(), "nothing")
    assert not SymptomLog.objects.filter(patient=other_patient).exists()
