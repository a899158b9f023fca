"""Daily and weekly questions: the defaults a new patient gets, what the check-in
asks on which day, how a weekly answer is stored, and how trends, flags, baselines,
the report and the exports treat it: a weekly point is never seven daily points."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from tests.factories import log, make_patient, sign_up, symptom
from tracker.models import Baseline, DayLog, SymptomLog, Tracking
from tracker.reports import fhir
from tracker.reports.counts import count_period
from tracker.reports.csv import daily_csv
from tracker.trends.dashboard import read_dashboard
from tracker.trends.flags import flags
from tracker.trends.series import load_days


def weekly(patient, *slugs):
    patient.track(patient.tracked_symptoms.all(), weekly={symptom(slug) for slug in slugs})


def weekly_fatigue(patient, sunday, answers):
    """Weekly fatigue answers: (weeks before `sunday`, severity and interference)."""
    for weeks, level in answers:
        day = sunday - dt.timedelta(days=7 * weeks)
        log(patient, day, "fatigue", severity=level, interference=level)


@pytest.fixture
def sunday(patient):
    """A weekly check-in day (Sundays, the default) with the whole week after it past."""
    return patient.week_start(patient.today()) - dt.timedelta(days=7)


def test_a_new_patient_is_asked_daily_about_three_symptoms_and_weekly_about_the_rest(client, db):
    sign_up(client, "maria")
    cadences = dict(
        Tracking.objects.filter(patient__user__username="maria").values_list(
            "symptom__slug", "cadence"
        )
    )
    daily = sorted(slug for slug, cadence in cadences.items() if cadence == "daily")
    assert daily == ["hot-flashes", "joint-pain", "vaginal-dryness"]
    assert len(cadences) > 6 and set(cadences.values()) == {"daily", "weekly"}


def test_the_weekly_check_in_day_asks_about_the_past_7_days_without_the_days_details(
    patient_client, patient, sunday
):
    weekly(patient, "fatigue", "joint-pain")
    page = patient_client.get(reverse("tracker:checkin", args=[sunday])).text
    assert 'id="symptom-fatigue"' in page and 'id="symptom-joint-pain"' in page
    assert "How much did it get in your way in the past 7 days?" in page
    assert "about the 7 days up to that day" in page
    # Joint pain weekly asks its three scales, not today's worst pain or stiffness.
    assert 'name="joint-pain-severity"' in page
    assert 'name="joint-pain-worst_pain"' not in page
    assert 'name="joint-pain-stiffness_minutes"' not in page


def test_weekly_questions_wait_until_answered_then_rest_until_the_next_weekly_day(
    patient_client, patient, sunday
):
    weekly(patient, "fatigue")
    monday, tuesday, wednesday = (sunday + dt.timedelta(days=n) for n in (1, 2, 3))
    # Missed on Sunday: still asked on Monday and Tuesday, until answered.
    assert (
        'id="symptom-fatigue"' in patient_client.get(reverse("tracker:checkin", args=[monday])).text
    )
    patient_client.post(
        reverse("tracker:checkin-symptom", args=[tuesday, "fatigue"]),
        {"fatigue-severity": "2", "fatigue-interference": "1"},
        HTTP_HX_REQUEST="true",
    )
    row = SymptomLog.objects.get(patient=patient, symptom=symptom("fatigue"))
    assert (row.date, row.recall_days, row.grade) == (tuesday, 7, row.graded())
    # Shown where it was answered (to see or change it), not the next day.
    assert (
        'id="symptom-fatigue"'
        in patient_client.get(reverse("tracker:checkin", args=[tuesday])).text
    )
    page = patient_client.get(reverse("tracker:checkin", args=[wednesday])).text
    assert 'id="symptom-fatigue"' not in page
    name = symptom("fatigue").name.lower()
    assert f"Already answered this week: {name}. Asked again next Sunday." in page
    # Daily symptoms are asked every day as before.
    assert 'id="symptom-hot-flashes"' in page
    # The next weekly day asks again.
    assert (
        'id="symptom-fatigue"'
        in patient_client.get(reverse("tracker:checkin", args=[sunday + dt.timedelta(days=7)])).text
    )


def test_a_weekly_answer_is_kept_apart_from_the_days_and_ignores_a_days_details(patient, sunday):
    weekly(patient, "joint-pain")
    row = log(patient, sunday, "joint-pain", frequency=3, severity=3, interference=2, worst_pain=9)
    assert row.recall_days == 7 and row.worst_pain is None
    day = DayLog.objects.get(patient=patient, date=sunday)
    pk = symptom("joint-pain").pk
    assert str(pk) not in day.figures and day.figures[f"w{pk}"] == row.grade


def test_an_answer_keeps_the_recall_it_was_given_with_when_the_cadence_changes(patient, sunday):
    log(patient, sunday, "fatigue", severity=2, interference=2)  # daily then
    weekly(patient, "fatigue")
    row = log(patient, sunday, "fatigue", severity=3)
    assert row.recall_days == 1
    assert str(symptom("fatigue").pk) in DayLog.objects.get(patient=patient, date=sunday).figures


def test_settings_choose_the_weekly_symptoms_and_the_day(patient_client, patient):
    data = {
        "time_zone": "UTC",
        "prior_tamoxifen": "",
        "tracked_symptoms": [symptom(s).pk for s in ("joint-pain", "fatigue", "anxiety")],
        "weekly_symptoms": [symptom(s).pk for s in ("fatigue", "anxiety", "low-mood")],
        "weekly_on": "2",
    }
    response = patient_client.post(reverse("tracker:settings"), data)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.weekly_on == 2
    assert patient.cadences() == {
        symptom("joint-pain").pk: "daily",
        symptom("fatigue").pk: "weekly",
        symptom("anxiety").pk: "weekly",
    }  # low mood isn't tracked, so it has no cadence
    page = patient_client.get(reverse("tracker:settings")).text
    assert f'value="{symptom("fatigue").pk}" id="id_weekly_symptoms_' in page


def test_a_weekly_baseline_is_the_first_weekly_answer_and_covers_its_week(patient, sunday):
    weekly(patient, "fatigue")
    log(patient, sunday - dt.timedelta(days=7), "fatigue", severity=1, interference=1)
    log(patient, sunday, "fatigue", severity=3, interference=3)
    baseline = Baseline.objects.get(patient=patient, symptom=symptom("fatigue"))
    assert (baseline.starts_on, baseline.days, baseline.grade) == (
        sunday - dt.timedelta(days=7), 7, 1.0,
    )  # fmt: skip
    assert baseline.complete


def test_worse_than_baseline_in_both_weekly_answers_of_a_fortnight_is_flagged(patient, sunday):
    weekly(patient, "fatigue")
    weekly_fatigue(patient, sunday, [(3, 1), (1, 3), (0, 3)])
    baselines = {b.symptom_id: b for b in Baseline.objects.filter(patient=patient)}
    days = load_days(patient, start=sunday - dt.timedelta(days=30), end=sunday)
    found = flags(days=days, end=sunday, symptoms=[symptom("fatigue")], baselines=baselines)
    name = symptom("fatigue").name.lower()
    assert [f.why for f in found if f.rule == "worse"] == [
        f"a grade above baseline on most of the last 14 days: {name} (both weekly answers)"
    ]
    # One worse week of two is not most of the fortnight.
    log(patient, sunday - dt.timedelta(days=7), "fatigue", severity=1, interference=1)
    days = load_days(patient, start=sunday - dt.timedelta(days=30), end=sunday)
    found = flags(days=days, end=sunday, symptoms=[symptom("fatigue")], baselines=baselines)
    assert [f for f in found if f.rule == "worse"] == []


def test_a_very_severe_weekly_answer_is_flagged_like_a_day(patient, sunday):
    weekly(patient, "anxiety")
    log(patient, sunday, "anxiety", frequency=4, severity=4, interference=4)
    days = load_days(patient, start=sunday - dt.timedelta(days=14), end=sunday)
    found = flags(days=days, end=sunday, symptoms=[symptom("anxiety")], baselines={})
    assert [f.rule for f in found] == ["severe"]


def test_trends_draw_a_weekly_answer_as_one_point_about_its_week(patient, sunday):
    weekly(patient, "fatigue")
    weekly_fatigue(patient, sunday, [(2, 1), (1, 2), (0, 3)])
    for offset in range(21):  # hot flashes daily, as before
        log(patient, sunday - dt.timedelta(days=offset), "hot-flashes", frequency=2, severity=1)
    board = read_dashboard(patient, start=sunday - dt.timedelta(days=20), end=sunday)
    fatigue = next(c for c in board.charts if c.key == "grade-fatigue")
    assert fatigue.summary_text.startswith("Last 7 days: 3 (severe)")
    assert "Answered once a week, 3 times, each about the past 7 days" in fatigue.summary_text
    traces = fatigue.figure["data"]
    assert all(v is None for v in traces[0]["y"]) and all(v is None for v in traces[1]["y"])
    assert traces[2]["name"] == "Weekly answer (past 7 days)" and traces[2]["y"] == [1, 2, 3]
    # Its table has three answers, not 21 days.
    assert sum(1 for _, highest, _ in fatigue.table if highest is not None) == 3
    flashes = next(c for c in board.charts if c.key == "grade-hot-flashes")
    assert "Logged on 21 days" in flashes.summary_text and len(flashes.figure["data"]) == 2


def test_the_csv_gives_weekly_answers_columns_of_their_own(patient, sunday):
    weekly(patient, "fatigue")
    log(patient, sunday, "fatigue", severity=2, interference=1)
    log(patient, sunday - dt.timedelta(days=1), "hot-flashes", frequency=1, severity=1)
    rows = list(
        csv.reader(io.StringIO(daily_csv(patient, start=sunday - dt.timedelta(days=6), end=sunday)))
    )
    header = f"{symptom('fatigue').name} (weekly, past 7 days): How bad at its worst"
    assert header in rows[0]
    column = rows[0].index(header)
    assert [row[column] for row in rows[1:]] == ["", "2"]


def test_fhir_states_a_weekly_answer_covers_the_7_days_up_to_its_date(patient, sunday):
    weekly(patient, "fatigue")
    log(patient, sunday, "fatigue", severity=2, interference=1)
    data = fhir.bundle_json(patient, start=sunday - dt.timedelta(days=6), end=sunday)  # validates
    bundle = fhir.report_bundle(patient, start=sunday - dt.timedelta(days=6), end=sunday)
    observation = next(
        e["resource"] for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
        and e["resource"]["code"]["coding"][0]["code"] == "fatigue.grade.past-7-days"
    )  # fmt: skip
    assert observation["effectivePeriod"] == {
        "start": (sunday - dt.timedelta(days=6)).isoformat(), "end": sunday.isoformat(),
    }  # fmt: skip
    assert "effectiveDateTime" not in observation
    assert b"fatigue.severity.past-7-days" in data


def test_the_report_counts_severe_weeks_apart_from_severe_days(patient, sunday):
    weekly(patient, "fatigue")
    log(patient, sunday, "fatigue", severity=4, interference=4)
    start = sunday - dt.timedelta(days=6)
    days = load_days(patient, start=start, end=sunday)
    counts = count_period(
        patient, days=days, symptoms=[symptom("fatigue")], start=start, end=sunday
    )
    assert counts.severe_weeks == [(symptom("fatigue").name, 1)] and counts.severe_days == []


def test_another_patients_weekly_answer_is_never_theirs(patient, sunday, db):
    other = make_patient("zoe")
    weekly(other, "fatigue")
    log(other, sunday, "fatigue", severity=2, interference=2)
    weekly(patient, "fatigue")
    from tracker.recording import tracked_on

    fatigue = next(t for t in tracked_on(patient, sunday) if t.symptom.slug == "fatigue")
    assert fatigue.answered_this_week is None and fatigue.asked


def test_a_0_on_a_weekly_question_still_skips_the_rest(patient_client, patient, sunday):
    weekly(patient, "muscle-aches")
    page = patient_client.get(reverse("tracker:checkin", args=[sunday])).text
    assert 'data-attribute="frequency" data-zero-skips="severity interference"' in page
    log(patient, sunday, "muscle-aches", frequency=0)
    row = SymptomLog.objects.get(patient=patient, symptom=symptom("muscle-aches"))
    assert (row.severity, row.interference, row.grade, row.recall_days) == (0, 0, 0, 7)


def test_the_report_counts_weekly_answers_as_weeks_not_days(patient_client, patient, sunday):
    weekly(patient, "fatigue")
    weekly_fatigue(patient, sunday, [(1, 2), (0, 3)])
    start, end = sunday - dt.timedelta(days=13), sunday
    page = patient_client.get(
        reverse("tracker:report"), {"start": start.isoformat(), "end": end.isoformat()}
    ).text
    name = symptom("fatigue").name
    row = page[page.index(f"{name} (weekly)") :]
    assert "<td>2 weeks</td>" in row[: row.index("</tr>")]
