import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import make_patient, symptom
from tracker.models import Therapy

pytestmark = pytest.mark.django_db


def test_onboarding_records_therapy_time_zone_and_symptoms(client):
    newcomer = make_patient("newcomer", onboarded=False)
    client.force_login(newcomer.user)
    response = client.post(
        reverse("tracker:onboarding"),
        {
            "therapy-drug": "letrozole",
            "therapy-started_on": "2026-06-01",
            "prior_tamoxifen": "yes",
            "time_zone": "Europe/Paris",
            "tracked_symptoms": [symptom("joint-pain").pk, symptom("hot-flashes").pk],
        },
    )
    assert response["Location"] == reverse("tracker:today")
    newcomer.refresh_from_db()
    assert (
        newcomer.onboarded_at and newcomer.time_zone == "Europe/Paris" and newcomer.prior_tamoxifen
    )
    assert newcomer.therapies.get().drug == "letrozole"
    assert set(newcomer.tracked_symptoms.values_list("slug", flat=True)) == {
        "joint-pain",
        "hot-flashes",
    }


def test_onboarding_with_mistakes_keeps_every_answer(client):
    newcomer = make_patient("newcomer", onboarded=False)
    client.force_login(newcomer.user)
    response = client.post(
        reverse("tracker:onboarding"),
        {"therapy-drug": "other", "therapy-started_on": "2999-01-01", "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 422
    assert "Please tell us the name of the medicine." in response.text
    assert "The start date can&#x27;t be in the future." in response.text
    assert 'value="Europe/Paris" selected' in response.text
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at is None


def test_onboarding_offers_the_default_symptoms_ticked_and_the_optional_ones_not(client):
    newcomer = make_patient("newcomer", onboarded=False)
    client.force_login(newcomer.user)
    response = client.get(reverse("tracker:onboarding"))
    assert response.text.count('name="tracked_symptoms"') == 13 + 3
    assert response.text.count("checked") >= 13
    for optional in ("Concentration or memory", "Hair thinning", "Falls"):
        box = response.text.split(optional)[0].rsplit("<input", 1)[1]
        assert "checked" not in box, optional
    assert "data-guess-time-zone" in response.text


def test_settings_change_what_is_tracked(patient_client, patient):
    response = patient_client.post(
        reverse("tracker:settings"),
        {
            "time_zone": "America/Chicago",
            "prior_tamoxifen": "",
            "tracked_symptoms": [symptom("fatigue").pk],
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.time_zone == "America/Chicago" and patient.prior_tamoxifen is None
    assert list(patient.symptoms_to_ask().values_list("slug", flat=True)) == ["fatigue"]


def test_a_switch_is_recorded_as_a_new_therapy(patient_client, patient):
    switch_day = patient.today() - dt.timedelta(days=3)
    response = patient_client.post(
        reverse("tracker:therapy-add"), {"drug": "exemestane", "started_on": switch_day.isoformat()}
    )
    assert response.status_code == 302
    assert list(patient.therapies.values_list("drug", flat=True)) == ["anastrozole", "exemestane"]
    assert Therapy.objects.for_patient(patient).order_by("-started_on").first().drug == "exemestane"


def test_another_patients_therapy_is_not_found(patient_client, other_patient):
    theirs = other_patient.therapies.get()
    assert patient_client.get(reverse("tracker:therapy-edit", args=[theirs.pk])).status_code == 404
    response = patient_client.post(
        reverse("tracker:therapy-edit", args=[theirs.pk]),
        {"drug": "letrozole", "started_on": "2026-01-01"},
    )
    assert response.status_code == 404
    assert (
        patient_client.post(reverse("tracker:therapy-delete", args=[theirs.pk])).status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.drug == "anastrozole"


def test_the_last_therapy_cannot_be_removed(patient_client, patient):
    only = patient.therapies.get()
    patient_client.post(reverse("tracker:therapy-delete", args=[only.pk]))
    assert patient.therapies.count() == 1


def test_an_earlier_therapy_can_be_removed(patient_client, patient):
    patient.therapies.create(drug="letrozole", started_on=patient.today())
    first = patient.therapies.order_by("started_on").first()
    patient_client.post(reverse("tracker:therapy-delete", args=[first.pk]))
    assert list(patient.therapies.values_list("drug", flat=True)) == ["letrozole"]


def test_settings_pages_need_a_login(client, db):
    for name in ["tracker:settings", "tracker:therapy-add", "tracker:onboarding"]:
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))


def test_the_settings_page_never_second_guesses_a_chosen_time_zone(patient_client):
    assert "data-guess-time-zone" not in patient_client.get(reverse("tracker:settings")).text


@pytest.mark.parametrize("name", ["tracker:settings", "tracker:onboarding"])
@pytest.mark.parametrize("huge", ["99999999999999999999999", "-9223372036854775809"])
def test_a_number_too_big_for_the_database_is_refused_kindly_not_a_500(
    patient_client, patient, name, huge
):
    fatigue = symptom("fatigue")
    response = patient_client.post(
        reverse(name),
        {
            "time_zone": "UTC",
            "tracked_symptoms": [fatigue.pk, huge],
            "weekly_symptoms": [huge],
            "weekly_on": huge,
            "display_name": "Alice",
        },  # fmt: skip
    )
    assert response.status_code == 422
    assert "is not one of the available choices" in response.text
    assert 'value="Alice"' in response.text  # what was typed stays


def test_marks_that_turn_text_around_never_reach_a_name(patient_client, patient):
    """The review reversed a report's header with U+202E in the display name."""
    response = patient_client.post(
        reverse("tracker:settings"),
        {
            "time_zone": "UTC",
            "tracked_symptoms": [symptom("fatigue").pk],
            "display_name": "\u202eAlice \u2066Liddell\u2069",
        },  # fmt: skip
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.display_name == "Alice Liddell"
    # One stored before this was fixed is shown without them too, isolated from the
    # words around it.
    type(patient).objects.filter(pk=patient.pk).update(display_name="\u202eنور")
    report = patient_client.get(reverse("tracker:report")).text
    assert "<bdi>نور</bdi>:" in report and "\u202e" not in report
