import datetime as dt

import pytest
from django.urls import reverse

from tracker.models import TimelineEvent

pytestmark = pytest.mark.django_db


def event(patient, **kwargs):
    fields = {
        "kind": "treatment",
        "title": "Duloxetine",
        "starts_on": dt.date(2026, 9, 1),
        **kwargs,
    }
    return TimelineEvent.objects.create(patient=patient, **fields)


def test_a_patient_adds_a_supportive_treatment(patient_client, patient):
    response = patient_client.post(
        reverse("tracker:timeline-add"),
        {
            "kind": "treatment",
            "title": "Duloxetine 30 mg",
            "is_medicine": "on",
            "starts_on": "2026-09-01",
        },
    )
    assert response.status_code == 302
    saved = TimelineEvent.objects.get(patient=patient)
    assert saved.is_medicine and saved.ends_on is None
    assert "Duloxetine 30 mg" in patient_client.get(reverse("tracker:timeline")).text


def test_a_stop_before_the_start_is_refused_beside_the_field(patient_client):
    response = patient_client.post(
        reverse("tracker:timeline-add"),
        {
            "kind": "treatment",
            "title": "Acupuncture",
            "starts_on": "2026-09-10",
            "ends_on": "2026-09-01",
        },
    )
    assert response.status_code == 422
    assert "The stop date can&#x27;t be before the start date." in response.text
    assert 'value="Acupuncture"' in response.text
    assert not TimelineEvent.objects.exists()


def test_a_bone_scan_keeps_its_t_scores_and_other_events_drop_them(patient_client, patient):
    patient_client.post(
        reverse("tracker:timeline-add"),
        {
            "kind": "bone_scan",
            "title": "DEXA",
            "starts_on": "2026-08-01",
            "t_score_spine": "-1.8",
            "t_score_hip": "-1.1",
        },
    )
    patient_client.post(
        reverse("tracker:timeline-add"),
        {
            "kind": "appointment",
            "title": "Clinic",
            "starts_on": "2026-08-02",
            "t_score_spine": "-1.0",
        },
    )
    scan, clinic = TimelineEvent.objects.order_by("starts_on")
    assert str(scan.t_score_spine) == "-1.8" and clinic.t_score_spine is None


def test_an_impossible_t_score_is_refused(patient_client):
    response = patient_client.post(
        reverse("tracker:timeline-add"),
        {"kind": "bone_scan", "title": "DEXA", "starts_on": "2026-08-01", "t_score_spine": "-9"},
    )
    assert response.status_code == 422


def test_events_can_be_changed_and_removed(patient_client, patient):
    item = event(patient)
    patient_client.post(
        reverse("tracker:timeline-edit", args=[item.pk]),
        {
            "kind": "treatment",
            "title": "Duloxetine 60 mg",
            "starts_on": "2026-09-01",
            "ends_on": "2026-10-01",
        },
    )
    item.refresh_from_db()
    assert item.title == "Duloxetine 60 mg" and item.ends_on == dt.date(2026, 10, 1)
    patient_client.post(reverse("tracker:timeline-delete", args=[item.pk]))
    assert not TimelineEvent.objects.exists()


def test_another_patients_events_are_not_found(patient_client, other_patient):
    theirs = event(other_patient)
    assert patient_client.get(reverse("tracker:timeline-edit", args=[theirs.pk])).status_code == 404
    assert (
        patient_client.post(reverse("tracker:timeline-delete", args=[theirs.pk])).status_code == 404
    )
    assert "Duloxetine" not in patient_client.get(reverse("tracker:timeline")).text
    assert TimelineEvent.objects.filter(pk=theirs.pk).exists()


def test_events_become_markers_on_the_charts(patient_client, patient):
    event(patient, kind="appointment", title="Oncology review", starts_on=patient.today())
    response = patient_client.get(reverse("tracker:trends"), {"range": "30"})
    assert "Oncology review" in response.text
