"""Of two answers to one question, the later given is kept, whenever each arrives: a
phone that was offline sends its answers late, with when each was given and when it
was sent (by its own clock), and an answer given since on another device stays."""

import pytest
from django.urls import reverse

from tests.factories import log, log_day
from tracker import stamps
from tracker.models import DayLog, SymptomLog

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
MINUTE = 60_000


def sent_late(client, date, slug, data, *, waited_ms, clock_off_ms=0):
    """A save kept on a device for `waited_ms`, then sent, by a clock `clock_off_ms` off."""
    device_now = stamps.now() + clock_off_ms
    name = "tracker:checkin-day" if slug == "day" else "tracker:checkin-symptom"
    args = [date] if slug == "day" else [date, slug]
    return client.post(
        reverse(name, args=args),
        data,
        **HTMX,
        HTTP_X_ANSWERED_AT=str(device_now - waited_ms),
        HTTP_X_SENT_AT=str(device_now),
    )


def save_severity(client, date, value, **headers):
    """Joint pain's severity, saved as the page saves it, with any headers given."""
    return client.post(
        reverse("tracker:checkin-symptom", args=[date, "joint-pain"]),
        {"joint-pain-severity": value},
        **HTMX,
        **headers,
    )


def pain(patient, date):
    return SymptomLog.objects.get(patient=patient, date=date, symptom__slug="joint-pain")


def test_an_answer_sent_late_never_overwrites_a_newer_one(patient_client, patient):
    today = patient.today()
    log(patient, today, "joint-pain", severity=1)  # given just now, on the laptop
    response = sent_late(
        patient_client, today, "joint-pain", {"joint-pain-severity": "3"}, waited_ms=30 * MINUTE
    )
    assert response.status_code == 200
    assert pain(patient, today).severity == 1


def test_an_answer_sent_late_replaces_an_older_one(patient_client, patient):
    today = patient.today()
    log(patient, today, "joint-pain", severity=1)
    row = pain(patient, today)
    row.answered_at = {"severity": stamps.now() - 60 * MINUTE}  # given an hour ago
    row.save()
    sent_late(
        patient_client, today, "joint-pain", {"joint-pain-severity": "3"}, waited_ms=30 * MINUTE
    )
    row = pain(patient, today)
    assert row.severity == 3
    assert row.answered_at["severity"] > stamps.now() - 31 * MINUTE


def test_the_later_answer_is_kept_question_by_question(patient_client, patient):
    today = patient.today()
    log(patient, today, "joint-pain", severity=1)  # the laptop, just now: severity only
    sent_late(
        patient_client,
        today,
        "joint-pain",
        {"joint-pain-severity": "3", "joint-pain-interference": "2"},
        waited_ms=10 * MINUTE,
    )
    row = pain(patient, today)
    assert (row.severity, row.interference) == (1, 2)  # the phone's other answer is stored
    assert set(row.answered_at) == {"severity", "interference"}


def test_a_wrong_clock_on_the_device_does_not_matter(patient_client, patient):
    today = patient.today()
    log(patient, today, "joint-pain", severity=1)
    # A phone whose clock runs a day ahead sends an answer it kept for an hour: it was
    # given before the laptop's, however late its clock says.
    sent_late(
        patient_client,
        today,
        "joint-pain",
        {"joint-pain-severity": "4"},
        waited_ms=60 * MINUTE,
        clock_off_ms=24 * 60 * MINUTE,
    )
    assert pain(patient, today).severity == 1


def test_two_answers_sent_late_keep_the_order_they_were_given_in(patient_client, patient):
    # Given 40 ms apart on a phone whose clock is right; the later one arrives first,
    # and the earlier one takes half a second on the way, which is not its age.
    today = patient.today()
    given = stamps.now() - 5 * MINUTE
    for value, answered, on_the_way in [("1", given + 40, 0), ("3", given, 500)]:
        save_severity(
            patient_client,
            today,
            value,
            HTTP_X_ANSWERED_AT=str(answered),
            HTTP_X_SENT_AT=str(stamps.now() - on_the_way),
        )
    row = pain(patient, today)
    assert row.severity == 1
    assert row.answered_at["severity"] == given + 40


def test_an_answer_sent_at_once_is_given_when_it_arrives(patient_client, patient):
    today = patient.today()
    log(patient, today, "joint-pain", severity=1)
    before = stamps.now()
    save_severity(patient_client, today, "2")
    row = pain(patient, today)
    assert row.severity == 2
    assert row.answered_at["severity"] >= before


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_ANSWERED_AT": "yesterday", "HTTP_X_SENT_AT": "now"},
        {"HTTP_X_ANSWERED_AT": "-5", "HTTP_X_SENT_AT": "9" * 40},
        {"HTTP_X_ANSWERED_AT": "1000"},
    ],
)
def test_unreadable_moments_count_as_now_and_never_fail(patient_client, patient, headers):
    today = patient.today()
    log(patient, today, "joint-pain", severity=1)
    response = save_severity(patient_client, today, "2", **headers)
    assert response.status_code == 200
    assert pain(patient, today).severity == 2


def test_an_opt_out_and_a_rating_are_one_question(patient_client, patient):
    today = patient.today()
    log(patient, today, "painful-sex", severity=2)
    sent_late(
        patient_client,
        today,
        "painful-sex",
        {"painful-sex-severity": "declined"},
        waited_ms=5 * MINUTE,
    )
    row = SymptomLog.objects.get(patient=patient, date=today, symptom__slug="painful-sex")
    assert (row.severity, row.opt_out) == (2, "")


def test_the_days_own_answers_keep_the_later_too(patient_client, patient):
    today = patient.today()
    log_day(patient, today, dose="taken", note="Walked to the shop.")
    sent_late(
        patient_client,
        today,
        "day",
        {"day-dose": "missed", "day-considering_stopping": "no"},
        waited_ms=20 * MINUTE,
    )
    day = DayLog.objects.get(patient=patient, date=today)
    assert day.dose == "taken"  # given since on the other device
    assert day.considering_stopping is False  # only the phone answered it
    assert day.note == "Walked to the shop."
    assert set(day.answered_at) == {"dose", "note", "considering_stopping"}
