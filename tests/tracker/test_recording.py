"""The one writer: answers go in as upserts of the columns given, and every figure
derived from them (grade, the day's figures, baseline, first day noticed) comes out
fresh in the same transaction."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import log, log_day, make_patient, symptom
from tracker import recording
from tracker.models import (
    FIGURES,
    Baseline,
    DayLog,
    Dose,
    OptOut,
    Symptom,
    SymptomLog,
    Therapy,
    figure,
)
from tracker.trends.flags import flags
from tracker.trends.series import load_days

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)


def stored(patient, slug, date=DAY) -> SymptomLog:
    return SymptomLog.objects.get(patient=patient, date=date, symptom__slug=slug)


def figures(patient, slug, date=DAY):
    entry = DayLog.objects.get(patient=patient, date=date).figures.get(str(symptom(slug).pk))
    if entry is None:
        return None
    return {
        name: value for i, name in enumerate(FIGURES) if (value := figure(entry, i)) is not None
    }


# Storing answers ------------------------------------------------------------------


def test_saving_the_same_answer_twice_updates_the_one_row(patient):
    log(patient, DAY, "joint-pain", severity=2)
    log(patient, DAY, "joint-pain", severity=3)
    assert SymptomLog.objects.get().severity == 3
    assert DayLog.objects.filter(patient=patient, date=DAY).count() == 1


def test_saving_one_answer_leaves_the_others_alone(patient):
    log(patient, DAY, "joint-pain", frequency=3, severity=2)
    log(patient, DAY, "joint-pain", severity=1)
    row = stored(patient, "joint-pain")
    assert (row.frequency, row.severity) == (3, 1)


def test_clearing_an_answer_clears_only_that_one(patient):
    log(patient, DAY, "joint-pain", frequency=3, stiffness_minutes=20)
    log(patient, DAY, "joint-pain", stiffness_minutes=None)
    row = stored(patient, "joint-pain")
    assert (row.frequency, row.stiffness_minutes) == (3, None)


def test_clearing_the_last_answer_removes_the_symptom_from_the_day(patient):
    log(patient, DAY, "fatigue", severity=2)
    log(patient, DAY, "fatigue", severity=None)
    assert not SymptomLog.objects.exists()
    assert DayLog.objects.get().figures == {}


def test_clearing_an_answer_never_saved_leaves_the_day_unlogged(patient, client):
    """A count typed and deleted before it saved posts an empty answer: it used to store
    an empty entry on a new day, which counted as logged and broke the history page."""
    log(patient, DAY, "hot-flashes", episodes_mild=None)
    assert not DayLog.objects.exists()
    assert not Baseline.objects.exists()
    client.force_login(patient.user)
    assert client.get(reverse("tracker:history"), {"month": "2026-11"}).status_code == 200


def test_an_opt_out_is_stored_without_a_value_and_never_as_zero(patient):
    row = log(patient, DAY, "painful-sex", opt_out=OptOut.NOT_SEXUALLY_ACTIVE)
    assert (row.severity, row.opt_out, row.grade) == (None, "not_active", None)
    assert row.is_logged and not row.bothered
    row = log(patient, DAY, "painful-sex", severity=2)
    assert (row.severity, row.opt_out, row.grade) == (2, "", 2)
    row = log(patient, DAY, "painful-sex", opt_out=OptOut.PREFER_NOT_TO_ANSWER)
    assert (row.severity, row.opt_out, row.grade) == (None, "declined", None)


def test_the_sites_are_one_set_and_none_chosen_is_still_an_answer(patient):
    row = log(patient, DAY, "joint-pain", sites=["site_knees", "site_hands"])
    assert row.site_list == ["site_hands", "site_knees"]
    row = log(patient, DAY, "joint-pain", sites=[])
    assert (row.sites, row.site_list, row.is_logged) == (0, [], True)


# Branching ------------------------------------------------------------------------


def test_a_first_answer_of_zero_answers_the_rest_and_the_extras_with_zero(patient):
    row = log(patient, DAY, "joint-pain", frequency=0)
    assert row.answers() == {
        "frequency": 0, "severity": 0, "interference": 0, "worst_pain": 0,
        "stiffness_minutes": 0, "episodes_mild": None, "episodes_moderate": None,
        "episodes_severe": None, "night_awakenings": None, "sites": 0,
    }  # fmt: skip
    assert row.grade == 0


def test_moving_off_zero_asks_the_skipped_questions_again(patient):
    log(patient, DAY, "joint-pain", frequency=0)
    row = log(patient, DAY, "joint-pain", frequency=2)
    assert (row.frequency, row.severity, row.interference, row.worst_pain) == (2, None, None, None)
    assert row.grade is None  # not all asked yet


def test_a_later_zero_skips_only_what_comes_after_it(patient):
    log(patient, DAY, "joint-pain", frequency=2, worst_pain=5)
    row = log(patient, DAY, "joint-pain", severity=0)
    assert (row.frequency, row.severity, row.interference, row.worst_pain) == (2, 0, 0, 5)
    assert row.grade == 0  # the published table: frequently, but never bad nor in the way


# Derived figures ------------------------------------------------------------------


def test_each_save_stores_the_grade_and_the_days_figures_with_it(patient):
    log(patient, DAY, "joint-pain", frequency=3)
    assert stored(patient, "joint-pain").grade is None
    log(patient, DAY, "joint-pain", severity=3, interference=2)
    assert stored(patient, "joint-pain").grade == 3
    assert figures(patient, "joint-pain") == {"grade": 3}  # all that the charts need


def test_the_writer_returns_the_refreshed_day_without_reading_it_again(patient):
    log_day(patient, DAY, dose=Dose.TAKEN)
    log(patient, DAY, "fatigue", severity=1, interference=1)
    for day in range(1, 8):  # a complete baseline, so today's save leaves it be
        log(patient, DAY - dt.timedelta(days=day), "vaginal-dryness", severity=1)
    dryness = symptom("vaginal-dryness")
    with transaction.atomic():
        recording.lock_diary(patient)
        read = next(t for t in recording.tracked_on(patient, DAY) if t.symptom == dryness)
        with CaptureQueriesContext(connection) as queries:
            recorded = recording.record_answers(
                patient=patient, date=DAY, symptom=dryness, changes={"severity": 2}, read=read
            )
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT", "INSERT"]
    assert recorded.log.grade == 2
    assert recorded.day.dose == Dose.TAKEN
    assert set(recorded.day.figures) == {str(dryness.pk), str(symptom("fatigue").pk)}


def test_the_check_ins_read_gives_each_tracked_symptom_as_the_orm_reads_it(patient):
    """tracked_on() is written in SQL (see tracker.statements): its rows must be the
    ORM's, dates, booleans and times included, on either database."""
    log(patient, DAY, "joint-pain", frequency=3, severity=2, worst_pain=6, sites=5)
    for day in range(1, 8):
        log(patient, DAY - dt.timedelta(days=day), "joint-pain", severity=1)
    tracked = recording.tracked_on(patient, DAY)

    assert [t.symptom for t in tracked] == list(patient.symptoms_to_ask())
    pain = next(t for t in tracked if t.symptom.slug == "joint-pain")
    for read, orm in [
        (pain.symptom, symptom("joint-pain")),
        (pain.log, stored(patient, "joint-pain")),
        (pain.baseline, Baseline.objects.get(patient=patient, symptom=pain.symptom)),
    ]:
        fields = type(orm)._meta.concrete_fields
        assert [getattr(read, f.attname) for f in fields] == [
            getattr(orm, f.attname) for f in fields
        ]
    assert pain.baseline.ends_on == DAY - dt.timedelta(days=1)  # a date, not text
    fatigue = next(t for t in tracked if t.symptom.slug == "fatigue")
    assert (fatigue.log, fatigue.baseline) == (None, None)


def test_without_a_reading_the_writer_locks_and_reads_for_itself(patient):
    log(patient, DAY, "joint-pain", frequency=3, severity=3)
    recorded = recording.record_answers(
        patient=patient, date=DAY, symptom=symptom("joint-pain"), changes={"interference": 2}
    )
    assert (recorded.log.frequency, recorded.log.severity, recorded.log.grade) == (3, 3, 3)
    assert figures(patient, "joint-pain") == {"grade": 3}


def test_two_symptoms_asking_for_pain_each_keep_their_own_worst_pain(patient):
    """The day's worst pain used to be one number, the last symptom saved winning: joint
    pain 9 then another symptom's pain 1 left 1, and the "4 or more" flag missed the 9."""
    back = Symptom.objects.create(slug="back-pain", name="Back pain", asks_pain_details=True)
    patient.tracked_symptoms.add(back)
    for n in (2, 1, 0):
        log(patient, DAY - dt.timedelta(days=n), "joint-pain", worst_pain=9)
        log(patient, DAY - dt.timedelta(days=n), "back-pain", worst_pain=1)
    assert stored(patient, "joint-pain").worst_pain == 9
    assert stored(patient, "back-pain").worst_pain == 1
    days = load_days(patient, start=DAY - dt.timedelta(days=13), end=DAY)
    found = flags(days=days, end=DAY, symptoms=list(patient.symptoms_to_ask()), baselines={})
    assert [(f.rule, f.why) for f in found] == [
        (
            "joint_pain",
            "worst joint pain or stiffness 4/10 or more on 3 of the last 7 days, up to 9/10",
        )
    ]


def test_a_change_of_questions_is_followed_by_every_stored_grade(patient):
    """Stale numbers: turning on a frequency question for fatigue used to leave every
    stored grade as it was, while the check-in showed none."""
    log(patient, DAY, "fatigue", severity=3, interference=3)
    assert stored(patient, "fatigue").grade == 3
    fatigue = symptom("fatigue")
    fatigue.asks_frequency = True
    fatigue.save()
    assert recording.rescore(symptoms=[fatigue]) == 1
    assert stored(patient, "fatigue").grade is None
    assert figures(patient, "fatigue") == {"severity": 3}
    assert Baseline.objects.get(symptom=fatigue).grade is None


def test_after_an_admins_change_only_the_diaries_whose_grades_changed_are_rebuilt(
    patient, monkeypatch
):
    other = make_patient("other")
    log(patient, DAY, "fatigue", severity=3, interference=3)
    log(other, DAY, "fatigue", severity=2)  # no grade until interference is answered
    fatigue = symptom("fatigue")
    fatigue.asks_frequency = True
    fatigue.save()
    rebuilt = []
    monkeypatch.setattr(recording, "rebuild", rebuilt.append)

    assert recording.regrade(fatigue) == 1  # the other's had none, and still has none

    assert rebuilt == [patient]
    assert stored(patient, "fatigue").grade is None
    assert stored(other, "fatigue").grade is None


# Baselines ------------------------------------------------------------------------


def test_the_baseline_is_the_first_seven_days_logged_and_missing_is_not_zero(patient):
    start = DAY - dt.timedelta(days=20)
    for offset in range(9):
        # Interference is left out on the odd days: those have no grade, not grade 0.
        answers = {"severity": 2} if offset % 2 else {"severity": 2, "interference": 2}
        log(patient, start + dt.timedelta(days=offset), "fatigue", **answers)
    baseline = Baseline.objects.get(patient=patient, symptom=symptom("fatigue"))
    assert (baseline.starts_on, baseline.ends_on, baseline.days) == (
        start,
        start + dt.timedelta(days=6),
        7,
    )
    assert baseline.grade == 2.0
    assert baseline.complete and not baseline.before_therapy


def test_five_days_before_the_medicine_began_make_the_baseline(db):
    patient = make_patient("bea", started_on=DAY)
    for offset in range(1, 6):
        log(patient, DAY - dt.timedelta(days=offset), "fatigue", severity=1, interference=1)
    for offset in range(0, 10):
        log(patient, DAY + dt.timedelta(days=offset), "fatigue", severity=3, interference=3)
    baseline = Baseline.objects.get(patient=patient)
    assert baseline.before_therapy
    assert (baseline.days, baseline.ends_on, baseline.grade) == (5, DAY - dt.timedelta(days=1), 1)


def test_moving_the_start_of_the_medicine_moves_the_baseline(db, client):
    patient = make_patient("cam", started_on=DAY)
    for offset in range(1, 6):
        log(patient, DAY - dt.timedelta(days=offset), "fatigue", severity=1, interference=1)
    assert Baseline.objects.get(patient=patient).before_therapy
    client.force_login(patient.user)
    therapy = Therapy.objects.get(patient=patient)
    client.post(
        f"/settings/medicine/{therapy.pk}/",
        {"drug": "anastrozole", "other_name": "", "started_on": "2026-10-01"},
    )
    assert not Baseline.objects.get(patient=patient).before_therapy


def test_a_save_of_today_leaves_a_settled_baseline_alone(patient, django_assert_num_queries):
    for offset in range(1, 8):
        log(patient, DAY - dt.timedelta(days=offset), "fatigue", severity=1, interference=1)
    # The symptom's look-up, then the writer: it locks the patient's diary (PostgreSQL
    # only), reads the row, the baseline and the cadence itself when not given them, and
    # writes the row and the day; no more.
    lock = int(connection.features.has_select_for_update)
    with django_assert_num_queries(1 + lock + 3 + 2):
        log(patient, DAY, "fatigue", severity=3)


def test_the_first_day_noticed_follows_the_answers(patient):
    log(patient, DAY, "hot-flashes", frequency=0)
    assert Baseline.objects.get().first_noticed_on is None
    log(patient, DAY + dt.timedelta(days=2), "hot-flashes", frequency=2)
    log(patient, DAY + dt.timedelta(days=1), "hot-flashes", frequency=1)
    assert Baseline.objects.get().first_noticed_on == DAY + dt.timedelta(days=1)
    log(patient, DAY + dt.timedelta(days=1), "hot-flashes", frequency=0)
    assert Baseline.objects.get().first_noticed_on == DAY + dt.timedelta(days=2)


# The day's own answers ------------------------------------------------------------


def test_day_fields_are_saved_one_at_a_time(patient):
    log_day(patient, DAY, dose="taken")
    day = log_day(patient, DAY, note="Walked to the shops.")
    assert (day.dose, day.note) == ("taken", "Walked to the shops.")
    assert (DayLog.objects.get().dose, DayLog.objects.get().note) == day_fields(day)


def day_fields(day):
    return day.dose, day.note


def test_a_reason_from_a_stale_page_waits_for_a_missed_dose_instead_of_failing(patient):
    """A page drawn while the dose was "missed" saves its reason and a note after a phone
    saved "taken": the note is kept, the reason is not (it fits no missed dose)."""
    log_day(patient, DAY, dose="missed")
    log_day(patient, DAY, dose="taken")
    day = log_day(patient, DAY, missed_reason="forgot", note="Felt fine.")
    assert (day.dose, day.missed_reason, day.note) == ("taken", "", "Felt fine.")
    log_day(patient, DAY, dose="missed")
    day = log_day(patient, DAY, missed_reason="forgot", note="Forgot after all.")
    assert (day.dose, day.missed_reason) == ("missed", "forgot")
