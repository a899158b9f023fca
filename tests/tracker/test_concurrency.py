"""Concurrent saves of the same answer: exactly one value remains.

These run in real transactions (not the usual wrapping rollback), with each
thread on its own database connection, on SQLite and on PostgreSQL alike.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import log, make_patient, symptom
from tracker.baselines import baseline_rule, refresh_baseline
from tracker.models import Baseline, DayLog, SymptomLog

pytestmark = [
    pytest.mark.threads,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
THREADS = 8


def _run_together(work, threads=THREADS):
    barrier = threading.Barrier(threads)
    errors = []

    def run(index):
        try:
            barrier.wait()
            work(index)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    running = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    assert errors == []


def assert_derived_figures_agree(patient, date, slug):
    """The stored grade is the one the row's answers give, and the day's figures hold
    the row as it is: concurrent saves must leave derived figures right."""
    row = SymptomLog.objects.get(patient=patient, date=date, symptom__slug=slug)
    assert row.grade == row.graded()
    day = DayLog.objects.get(patient=patient, date=date)
    assert day.figures[str(row.symptom_id)] == row.figures()
    return row


def test_concurrent_saves_of_one_answer_leave_exactly_one_value():
    patient = make_patient("alice")
    day = dt.date(2026, 11, 2)

    def save(index):
        log(patient, day, "joint-pain", severity=index % 5)

    _run_together(save)
    rows = SymptomLog.objects.filter(patient=patient, date=day, symptom=symptom("joint-pain"))
    assert rows.count() == 1
    assert rows.get().severity in range(5)
    assert DayLog.objects.filter(patient=patient, date=day).count() == 1
    assert_derived_figures_agree(patient, day, "joint-pain")


def test_concurrent_saves_of_one_answer_leave_the_grade_and_figures_right():
    patient = make_patient("alice")
    day = dt.date(2026, 11, 2)
    log(patient, day, "fatigue", interference=2)  # severity decides the grade

    def save(index):
        log(patient, day, "fatigue", severity=1 + index % 4)

    _run_together(save)
    row = assert_derived_figures_agree(patient, day, "fatigue")
    assert row.severity in range(1, 5) and row.interference == 2
    assert row.grade is not None


def test_two_tabs_saving_different_answers_both_keep_theirs():
    patient = make_patient("alice")
    day = patient.today()
    url = reverse("tracker:checkin-symptom", args=[day, "joint-pain"])
    fields = ["frequency", "severity", "interference", "worst_pain"] * 2

    def post(index):
        client = Client()
        client.force_login(patient.user)
        response = client.post(url, {f"joint-pain-{fields[index]}": "2"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200

    _run_together(post)
    row = SymptomLog.objects.get(patient=patient)
    stored = {column: value for column, value in row.answers().items() if value is not None}
    assert stored == {"frequency": 2, "severity": 2, "interference": 2, "worst_pain": 2}
    # Each tab saw the symptom unanswered; the grade comes from the row they left.
    assert row.grade == 2
    assert_derived_figures_agree(patient, day, "joint-pain")


def test_concurrent_saves_of_different_symptoms_of_one_day_keep_every_figure():
    patient = make_patient("alice")
    day = dt.date(2026, 11, 2)
    slugs = list(patient.symptoms_to_ask().values_list("slug", flat=True)[:THREADS])

    def save(index):
        log(patient, day, slugs[index], severity=1 + index % 4)

    _run_together(save)
    rows = SymptomLog.objects.filter(patient=patient, date=day)
    assert sorted(row.symptom.slug for row in rows) == sorted(slugs)
    for slug in slugs:
        assert_derived_figures_agree(patient, day, slug)
    assert len(DayLog.objects.get(patient=patient, date=day).figures) == THREADS


def test_concurrent_saves_of_different_days_leave_the_baseline_right():
    patient = make_patient("alice", started_on=dt.date(2026, 12, 1))
    fatigue = symptom("fatigue")
    days = [dt.date(2026, 11, 2) + dt.timedelta(days=offset) for offset in range(THREADS)]

    def save(index):
        log(patient, days[index], "fatigue", severity=2, interference=2)

    _run_together(save)
    baseline = Baseline.objects.get(patient=patient, symptom=fatigue)
    saved = (baseline.starts_on, baseline.ends_on, baseline.days, baseline.first_noticed_on)
    # The last 7 of the 8 days logged before the medicine began; bothered from the first.
    assert saved == (days[1], days[-1], 7, days[0])
    refresh_baseline(patient, fatigue, rule=baseline_rule(patient))
    baseline.refresh_from_db()
    assert saved == (baseline.starts_on, baseline.ends_on, baseline.days, baseline.first_noticed_on)


# Two tabs saving one symptom at the same moment, through the check-in: the outcome
# must be one that some order of the two saves gives, whichever runs first.


def _post_together(patient, posts):
    """Post each (slug, data) at once, as one tab each, through the htmx check-in."""

    def post(index):
        slug, data = posts[index]
        client = Client()
        client.force_login(patient.user)
        url = reverse("tracker:checkin-symptom", args=[patient.today(), slug])
        assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200

    _run_together(post, threads=len(posts))


@pytest.mark.parametrize("round_", range(5))
def test_a_tab_clearing_its_last_answer_keeps_what_another_tab_saved_meanwhile(round_):
    patient = make_patient(f"alice-{round_}")
    day = patient.today()
    log(patient, day, "fatigue", severity=2)
    _post_together(
        patient, [("fatigue", {"fatigue-severity": ""}), ("fatigue", {"fatigue-interference": "3"})]
    )
    stored = SymptomLog.objects.filter(patient=patient, date=day)
    assert list(stored.values_list("severity", "interference")) == [(None, 3)]
    assert_derived_figures_agree(patient, day, "fatigue")


@pytest.mark.parametrize("round_", range(5))
def test_a_zero_and_a_move_off_zero_at_once_end_as_one_of_them(round_):
    patient = make_patient(f"alice-{round_}")
    day = patient.today()
    _post_together(
        patient,
        [
            ("joint-pain", {"joint-pain-frequency": "0"}),
            ("joint-pain", {"joint-pain-frequency": "3"}),
        ],
    )
    row = assert_derived_figures_agree(patient, day, "joint-pain")
    answered = {column: value for column, value in row.answers().items() if value is not None}
    zero_last = dict.fromkeys(
        ["frequency", "severity", "interference", "worst_pain", "stiffness_minutes", "sites"], 0
    )
    assert answered in ({"frequency": 3}, zero_last)
