"""Where the trends open without a range asked for (issue 10): a clinician since the
last appointment, else 90 days; anyone early enough to show a recent switch."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import give_access
from tracker.models import Drug, EventKind, Therapy, TimelineEvent

pytestmark = pytest.mark.django_db


def ago(patient, days):
    return patient.today() - dt.timedelta(days=days)


def shown_from(response):
    return response.context["start"]


def test_a_clinician_opens_the_trends_at_the_last_appointment(patient, clinician, clinician_client):
    give_access(patient, clinician)
    TimelineEvent.objects.create(patient=patient, kind=EventKind.APPOINTMENT, title="Clinic",
                                 starts_on=ago(patient, 40))  # fmt: skip
    response = clinician_client.get(reverse("tracker:clinician-dashboard", args=[patient.pk]))
    assert shown_from(response) == ago(patient, 40)
    assert "Since the last appointment, on" in response.text


def test_without_an_appointment_a_clinician_sees_90_days(patient, clinician, clinician_client):
    give_access(patient, clinician)
    response = clinician_client.get(reverse("tracker:clinician-dashboard", args=[patient.pk]))
    assert shown_from(response) == ago(patient, 89)


def test_the_patients_trends_open_on_a_range_that_shows_a_recent_switch(patient_client, patient):
    Therapy.objects.filter(patient=patient).update(started_on=ago(patient, 400))
    Therapy.objects.create(patient=patient, drug=Drug.LETROZOLE, started_on=ago(patient, 200))
    response = patient_client.get(reverse("tracker:trends"))
    assert shown_from(response) == ago(patient, 230)
    assert "From a month before the switch to Letrozole (Femara)" in response.text
    response = patient_client.get(reverse("tracker:trends"), {"range": "30"})
    assert shown_from(response) == ago(patient, 29) and "switch to" not in response.text


def test_a_switch_long_ago_leaves_the_usual_90_days(patient_client, patient):
    Therapy.objects.filter(patient=patient).update(started_on=ago(patient, 900))
    Therapy.objects.create(patient=patient, drug=Drug.EXEMESTANE, started_on=ago(patient, 500))
    assert shown_from(patient_client.get(reverse("tracker:trends"))) == ago(patient, 89)


def test_the_dates_of_the_period_opened_are_filled_in(patient_client, patient):
    text = patient_client.get(reverse("tracker:trends")).text
    assert f'value="{ago(patient, 89).isoformat()}"' in text
    assert f'value="{patient.today().isoformat()}"' in text
