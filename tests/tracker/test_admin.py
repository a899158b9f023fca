import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from tests.factories import log, login_verified, make_user, symptom
from tracker import roles
from tracker.models import Baseline, DayLog, Symptom, SymptomLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = make_user("ada", role=roles.ADMIN, is_staff=True)
    login_verified(client, admin)
    return client


@pytest.fixture
def superuser_client(db):
    client = Client()  # its own: a test may also use admin_client
    login_verified(client, make_user("root", role=roles.ADMIN, is_staff=True, is_superuser=True))
    return client


def test_an_admin_adds_a_symptom_without_a_code_change(admin_client, patient):
    response = admin_client.post(
        reverse("admin:tracker_symptom_add"),
        {
            "name": "Dry eyes",
            "slug": "dry-eyes",
            "hint": "Gritty or sore eyes.",
            "position": "5",
            "asks_severity": "on",
            "asks_interference": "on",
            "tracked_by_default": "on",
        },
    )
    assert response.status_code == 302
    dry_eyes = Symptom.objects.get(slug="dry-eyes")
    assert dry_eyes.attributes == ["severity", "interference"]
    assert Symptom.objects.active().first() == dry_eyes  # position 5 comes first
    patient.tracked_symptoms.add(dry_eyes)
    assert "Dry eyes" in _checkin(admin_client, patient)


def _checkin(client, patient):
    client.force_login(patient.user)
    return client.get(reverse("tracker:checkin", args=[patient.today()])).text


def test_a_symptom_that_asks_nothing_is_refused_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:tracker_symptom_add"),
        {"name": "Nothing", "slug": "nothing", "position": "1"},
    )
    assert response.status_code == 200
    assert "Tick at least one of" in response.text
    assert not Symptom.objects.filter(slug="nothing").exists()


def test_an_admin_reorders_symptoms_from_the_list(admin_client):
    fatigue = symptom("fatigue")
    fatigue.position = 1
    fatigue.save()
    assert Symptom.objects.active().first() == fatigue


def test_retiring_keeps_every_logged_value_and_deleting_is_not_offered(admin_client, patient):
    joint = symptom("joint-pain")
    log(patient, patient.today(), "joint-pain", severity=2)
    admin_client.post(
        reverse("admin:tracker_symptom_changelist"),
        {"action": "retire", "_selected_action": [joint.pk]},
    )
    joint.refresh_from_db()
    assert joint.retired
    assert SymptomLog.objects.filter(symptom=joint).count() == 1
    assert SymptomLog.objects.get(symptom=joint).severity == 2
    assert (
        admin_client.get(reverse("admin:tracker_symptom_delete", args=[joint.pk])).status_code
        == 403
    )
    page = _checkin(admin_client, patient)
    assert 'name="joint-pain-severity"' not in page  # no longer asked
    assert "Also logged that day" in page  # but what was logged still shows


def test_patients_answers_are_not_browsable_in_the_admin(admin_client, superuser_client):
    for client in (admin_client, superuser_client):
        index = client.get(reverse("admin:index")).text
        for model in ("symptomlog", "daylog", "baseline"):
            assert f"tracker/{model}" not in index


@pytest.mark.parametrize("slug", ["fatigue", "joint-pain", "painful-sex"])
def test_a_symptoms_change_page_opens(superuser_client, slug):
    response = superuser_client.get(
        reverse("admin:tracker_symptom_change", args=[symptom(slug).pk])
    )
    assert response.status_code == 200
    assert 'name="asks_frequency"' in response.text


def change_form(symptom: Symptom, **changes) -> dict:
    """The symptom's change form as the admin page would post it, with `changes`."""
    fields = model_to_dict(symptom, exclude=["id", "slug"])
    data = {**fields, **changes}
    # Unticked boxes are left out of a post; empty values are sent as "".
    return {
        name: ("on" if value is True else "" if value is None else value)
        for name, value in data.items()
        if value is not False
    }


def test_asking_a_new_question_in_the_admin_works_the_stored_grades_out_again(
    superuser_client, patient, django_capture_on_commit_callbacks, run_tasks
):
    fatigue = symptom("fatigue")
    day = patient.today() - dt.timedelta(days=1)
    graded = log(patient, day, "fatigue", severity=3, interference=3)
    assert graded.grade == 3  # from severity and interference, all fatigue asked

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:tracker_symptom_change", args=[fatigue.pk]),
            change_form(fatigue, asks_frequency=True),
        )

    assert response.status_code == 302
    fatigue.refresh_from_db()
    assert fatigue.attributes == ["frequency", "severity", "interference"]
    # The request only queued the work: the worker does it.
    assert SymptomLog.objects.get(patient=patient, symptom=fatigue).grade == 3
    run_tasks()
    row = SymptomLog.objects.get(patient=patient, symptom=fatigue)
    # Frequency is asked now and was never answered: no grade, the answers kept.
    assert (row.frequency, row.severity, row.interference, row.grade) == (None, 3, 3, None)
    assert row.grade == row.graded(fatigue)
    # What is built on the grade follows: the day's figures and the baseline.
    assert DayLog.objects.get(patient=patient, date=day).figures == {str(fatigue.pk): row.figures()}
    assert Baseline.objects.get(patient=patient, symptom=fatigue).grade is None
    assert "being worked out again" in superuser_client.get(response["Location"]).text


def test_a_patient_cannot_open_the_admin(patient_client):
    assert patient_client.get(reverse("admin:index")).status_code == 302
