import pytest
from django.urls import reverse

from tests.factories import make_user, symptom
from tracker import roles
from tracker.models import Answer, AnswerStatus, Symptom, save_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = make_user("ada", role=roles.ADMIN, is_staff=True)
    client.force_login(admin)
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
    save_answers(
        patient=patient,
        date=patient.today(),
        symptom=joint,
        values={"severity": (2, AnswerStatus.ANSWERED)},
    )
    admin_client.post(
        reverse("admin:tracker_symptom_changelist"),
        {"action": "retire", "_selected_action": [joint.pk]},
    )
    joint.refresh_from_db()
    assert joint.retired
    assert Answer.objects.filter(symptom=joint).count() == 1
    assert (
        admin_client.get(reverse("admin:tracker_symptom_delete", args=[joint.pk])).status_code
        == 403
    )
    page = _checkin(admin_client, patient)
    assert 'name="joint-pain-severity"' not in page  # no longer asked
    assert "Also logged that day" in page  # but what was logged still shows


def test_patients_answers_are_not_browsable_in_the_admin(admin_client):
    assert "tracker/answer" not in admin_client.get(reverse("admin:index")).text


def test_a_patient_cannot_open_the_admin(patient_client):
    assert patient_client.get(reverse("admin:index")).status_code == 302
