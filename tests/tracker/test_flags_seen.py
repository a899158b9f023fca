"""Flags are kept: one per rule per week, open until a clinician marks them seen or
their rule stops holding; the patient sees who saw them and when."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import give_access, log, make_patient
from tracker.models import RaisedFlag, keep_flags
from tracker.sharing.panel import panel
from tracker.trends.flags import Flag, remembered

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 20)


def pain(value, date=DAY):
    return Flag("joint_pain", f"worst joint pain {value}/10", date, value)


STOPPING = Flag("stopping", "thinking about stopping because of side effects", DAY)


def keep(patient, flags, day=DAY):
    return keep_flags({patient.pk: flags}, {patient.pk: day})[patient.pk]


def test_a_flag_found_again_is_the_same_flag_not_a_new_one(patient):
    keep(patient, [pain(5), STOPPING])
    again = keep(patient, [pain(6), STOPPING], day=DAY + dt.timedelta(days=1))
    assert RaisedFlag.objects.count() == 2
    assert again["joint_pain"].pk == RaisedFlag.objects.get(rule="joint_pain").pk
    assert again["joint_pain"].raised_on == DAY


def test_a_flag_whose_rule_stops_holding_is_cleared(patient):
    keep(patient, [pain(5), STOPPING])
    keep(patient, [STOPPING], day=DAY + dt.timedelta(days=2))
    cleared = RaisedFlag.objects.get(rule="joint_pain")
    assert cleared.cleared_on == DAY + dt.timedelta(days=2)
    assert RaisedFlag.objects.get(rule="stopping").cleared_on is None


@pytest.mark.parametrize(("days_later", "flags_in_all"), [(3, 1), (6, 1), (7, 2), (20, 2)])
def test_a_rule_that_holds_again_within_a_week_reopens_its_flag_once_a_week(
    patient, days_later, flags_in_all
):
    keep(patient, [STOPPING])
    keep(patient, [], day=DAY + dt.timedelta(days=1))
    kept = keep(patient, [STOPPING], day=DAY + dt.timedelta(days=days_later))
    assert RaisedFlag.objects.count() == flags_in_all
    assert kept["stopping"].cleared_on is None
    assert RaisedFlag.objects.open().count() == 1


def test_a_seen_flag_stays_seen_while_its_rule_holds(patient, clinician):
    keep(patient, [STOPPING])
    RaisedFlag.objects.get().mark_seen(clinician)
    (flag,) = remembered({patient.pk: [STOPPING]}, {patient.pk: DAY + dt.timedelta(days=10)})[
        patient.pk
    ]
    assert flag.seen_at is not None and flag.seen_by == "Grace Lee"
    assert RaisedFlag.objects.count() == 1


@pytest.mark.parametrize(("now", "new_flag"), [(6, False), (7, True), (9, True)])
def test_a_higher_joint_pain_than_the_one_seen_is_a_new_flag(patient, clinician, now, new_flag):
    keep(patient, [pain(5)])
    RaisedFlag.objects.get().mark_seen(clinician, value=6)  # the flag showed 6 when seen
    (flag,) = remembered({patient.pk: [pain(now)]}, {patient.pk: DAY})[patient.pk]
    assert (flag.seen_at is None) == new_flag
    assert RaisedFlag.objects.count() == (2 if new_flag else 1)
    assert RaisedFlag.objects.open().count() == 1


def severe_days(patient, n=1):
    today = patient.today()
    for offset in range(n):
        log(patient, today - dt.timedelta(days=offset), "fatigue", severity=4, interference=4)


def test_a_clinician_marks_a_flag_seen_and_the_patient_sees_who_and_when(
    patient, patient_client, clinician, clinician_client
):
    give_access(patient, clinician)
    severe_days(patient)
    (row,) = panel(clinician)
    assert [f.rule for f in row.open] == ["severe"]
    response = clinician_client.post(
        reverse("tracker:clinician-flag-seen", args=[patient.pk]),
        {"rule": "severe", "back": "panel"},
    )
    assert response.status_code == 302 and response.url == reverse("tracker:clinician-panel")
    (row,) = panel(clinician)
    assert row.open == [] and [f.rule for f in row.seen] == ["severe"]
    text = clinician_client.get(reverse("tracker:clinician-panel")).text
    assert "None open" in text and "1 seen, still holding" in text
    page = patient_client.get(reverse("tracker:trends")).text
    today = patient.today()
    assert f"Seen by Grace Lee on {today.day} {today:%b %Y}" in page


def test_the_clinicians_view_of_the_trends_offers_mark_seen_for_open_flags(
    patient, clinician, clinician_client
):
    give_access(patient, clinician)
    severe_days(patient)
    url = reverse("tracker:clinician-dashboard", args=[patient.pk])
    assert "Mark seen" in clinician_client.get(url).text
    clinician_client.post(
        reverse("tracker:clinician-flag-seen", args=[patient.pk]), {"rule": "severe"}
    )
    page = clinician_client.get(url).text
    assert "Mark seen" not in page and "Seen by Grace Lee" in page


def test_another_clinician_cannot_mark_a_patients_flag_seen(patient, clinician, clinician_client):
    severe_days(patient)
    other = make_patient("bob")
    give_access(other, clinician)  # access to someone else only
    keep_flags({patient.pk: [Flag("severe", "x", DAY)]}, {patient.pk: DAY})
    response = clinician_client.post(
        reverse("tracker:clinician-flag-seen", args=[patient.pk]), {"rule": "severe"}
    )
    assert response.status_code == 404
    assert RaisedFlag.objects.get().seen_at is None


def test_a_patient_cannot_mark_their_own_flag_seen(patient, patient_client):
    keep_flags({patient.pk: [Flag("severe", "x", DAY)]}, {patient.pk: DAY})
    response = patient_client.post(
        reverse("tracker:clinician-flag-seen", args=[patient.pk]), {"rule": "severe"}
    )
    assert response.status_code in (302, 403, 404)
    assert RaisedFlag.objects.get().seen_at is None


def test_marking_seen_needs_a_post_and_a_known_rule(patient, clinician, clinician_client):
    give_access(patient, clinician)
    url = reverse("tracker:clinician-flag-seen", args=[patient.pk])
    assert clinician_client.get(url).status_code == 405
    response = clinician_client.post(url, {"rule": "nonsense"}, follow=True)
    assert "couldn&#x27;t be marked seen" in response.text
    response = clinician_client.post(url, {"rule": "severe"}, follow=True)
    assert "no longer holds" in response.text
