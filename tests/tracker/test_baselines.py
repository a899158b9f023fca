"""Honest baselines (CLINICAL.md): labelled for what they are, a new one after a switch
of medicine, a week a clinician chooses, and no comparison before one is whole."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import give_access, log, make_patient, symptom
from tracker.models import Baseline, Drug, Therapy
from tracker.recording import refresh_baselines
from tracker.trends.dashboard import read_dashboard

pytestmark = pytest.mark.django_db


def pain(patient, days_ago, value):
    log(patient, patient.today() - dt.timedelta(days=days_ago), "joint-pain",
        frequency=2, severity=2, interference=1, worst_pain=value)  # fmt: skip


def joint_baseline(patient):
    return Baseline.objects.get(patient=patient, symptom=symptom("joint-pain"))


def words(patient, days=30):
    today = patient.today()
    dashboard = read_dashboard(patient, start=today - dt.timedelta(days=days - 1), end=today)
    chart = next(c for c in dashboard.charts if c.key == "worst-pain-joint-pain")
    return chart.summary_text, chart.summary.meaningful


def test_a_new_patients_first_day_is_not_compared_with_itself():
    patient = make_patient("new", started_on=dt.date.today() - dt.timedelta(days=400))
    pain(patient, 0, 8)
    text, judged = words(patient)
    assert "still being set (1 of 7 days logged)" in text
    assert "0.0" not in text and judged == ""


def test_a_patient_who_joined_mid_treatment_has_their_first_week_in_ripple():
    patient = make_patient("mid", started_on=dt.date.today() - dt.timedelta(days=400))
    for n in range(20, 0, -1):
        pain(patient, n, 3)
    assert joint_baseline(patient).label([]) == "your first week in Ripple"
    text, _ = words(patient)
    assert "baseline (your first week in Ripple): 3/10" in text


def test_after_a_switch_the_baseline_is_the_week_before_the_new_medicine():
    """Pain 7 on anastrozole, 2 since letrozole: not "up from baseline" against a first
    week long ago, but down from the week before the switch."""
    patient = make_patient("switch", started_on=dt.date.today() - dt.timedelta(days=300))
    for n in range(60, 10, -1):
        pain(patient, n, 1 if n > 40 else 7)  # a mild first month, then worse
    Therapy.objects.create(
        patient=patient, drug=Drug.LETROZOLE, started_on=patient.today() - dt.timedelta(days=10)
    )
    refresh_baselines(patient)  # as the timeline does when a medicine is added
    for n in range(10, -1, -1):
        pain(patient, n, 2)
    baseline = joint_baseline(patient)
    assert baseline.worst_pain == 7 and baseline.before_therapy and baseline.after_switch
    therapies = list(Therapy.objects.filter(patient=patient))
    assert baseline.label(therapies) == "before letrozole"
    text, judged = words(patient)
    assert "baseline (before letrozole): 7/10" in text
    assert judged.startswith("Down 5 points from baseline")


def test_a_switch_logged_from_its_first_day_takes_the_first_week_on_the_new_medicine():
    patient = make_patient("fresh", started_on=dt.date.today() - dt.timedelta(days=300))
    Therapy.objects.create(
        patient=patient, drug=Drug.EXEMESTANE, started_on=patient.today() - dt.timedelta(days=9)
    )
    for n in range(9, -1, -1):
        pain(patient, n, 4)
    baseline = joint_baseline(patient)
    assert baseline.after_switch and not baseline.before_therapy and baseline.days == 7
    therapies = list(Therapy.objects.filter(patient=patient))
    assert baseline.label(therapies) == "your first week on exemestane"


def test_a_clinician_chooses_the_week_and_can_give_it_back_to_the_rule(clinician, clinician_client):
    patient = make_patient("chosen", started_on=dt.date.today() - dt.timedelta(days=300))
    for n in range(30, -1, -1):
        pain(patient, n, 2 if n > 20 else 6)
    give_access(patient, clinician)
    url = reverse("tracker:clinician-baseline", args=[patient.pk])
    week = patient.today() - dt.timedelta(days=14)
    response = clinician_client.post(
        url, {"week": week.isoformat(), "action": "choose"}, follow=True
    )
    assert "Baselines now come from the 7 days starting" in response.text
    baseline = joint_baseline(patient)
    assert (baseline.starts_on, baseline.worst_pain, baseline.chosen_by) == (week, 6, "Grace Lee")
    assert baseline.label([]).startswith(
        "the week from "
    ) and "chosen by Grace Lee" in baseline.label([])
    clinician_client.post(url, {"action": "rule"})
    baseline = joint_baseline(patient)
    assert baseline.chosen_by == "" and baseline.worst_pain == 2


def test_a_week_to_come_or_no_week_is_refused_kindly(clinician, clinician_client, patient):
    give_access(patient, clinician)
    url = reverse("tracker:clinician-baseline", args=[patient.pk])
    later = patient.today() + dt.timedelta(days=3)
    response = clinician_client.post(
        url, {"week": later.isoformat(), "action": "choose"}, follow=True
    )
    assert "Choose a week that has begun" in response.text
    response = clinician_client.post(url, {"action": "choose"}, follow=True)
    assert "Choose the first day of the week to use." in response.text
    patient.refresh_from_db()
    assert patient.baseline_week is None


def test_only_a_clinician_the_patient_invited_can_choose_the_week(
    clinician_client, patient, patient_client
):
    url = reverse("tracker:clinician-baseline", args=[patient.pk])
    data = {"week": patient.today().isoformat(), "action": "choose"}
    assert clinician_client.post(url, data).status_code == 404
    assert patient_client.post(url, data).status_code in (302, 403, 404)
    patient.refresh_from_db()
    assert patient.baseline_week is None
