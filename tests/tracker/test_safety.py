"""Safety messages: each symptom's own urgent signs, the crisis line, and the plain
statement that nobody is alerted by what is logged (CLINICAL.md, red flags)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import symptom
from tracker.models import Symptom

HTMX = {"HTTP_HX_REQUEST": "true"}
NOBODY = "Nobody is alerted by what is logged in Ripple"


def save(client, patient, slug, **answers):
    url = reverse("tracker:checkin-symptom", args=[patient.today(), slug])
    return client.post(url, {f"{slug}-{k}": v for k, v in answers.items()}, **HTMX)


@pytest.mark.django_db
def test_every_symptom_of_the_catalogue_names_its_own_urgent_signs():
    for item in Symptom.objects.all():
        assert len(item.urgent_signs) > 40, item.slug
    assert symptom("limb-swelling").urgent_signs != symptom("numbness-tingling").urgent_signs
    assert "clot" in symptom("limb-swelling").urgent_signs
    assert "stroke" in symptom("numbness-tingling").urgent_signs
    assert "bone" in symptom("joint-pain").urgent_signs
    crisis = set(Symptom.objects.filter(crisis_contacts=True).values_list("slug", flat=True))
    assert crisis == {"anxiety", "low-mood"}


@pytest.mark.django_db
def test_concentration_hair_thinning_and_falls_can_be_tracked_but_are_off_by_default():
    for slug in ("concentration-memory", "hair-thinning", "falls"):
        item = symptom(slug)
        assert not item.tracked_by_default and not item.retired and item.urgent_signs


def test_a_severe_answer_shows_that_symptoms_own_urgent_signs_and_never_plays_it_down(
    patient_client, patient
):
    text = save(
        patient_client, patient, "limb-swelling", frequency=4, severity=4, interference=4
    ).text
    assert "Worth discussing with your care team" in text
    assert symptom("limb-swelling").urgent_signs.replace("'", "&#x27;") in text
    assert "emergency in itself" not in text and "isn&#x27;t an emergency" not in text
    assert NOBODY in text
    assert "If you have thoughts of harming yourself" not in text  # that is for mood


@pytest.mark.parametrize("slug", ["low-mood", "anxiety"])
def test_low_mood_or_anxiety_at_the_top_of_the_scale_shows_the_crisis_line_on_the_page(
    patient_client, patient, slug
):
    text = save(patient_client, patient, slug, frequency=4, severity=4, interference=4).text
    assert "If you have thoughts of harming yourself, get help now" in text
    assert "your local emergency number" in text


def test_a_deployment_names_its_own_crisis_line(patient_client, patient):
    with override_settings(CRISIS_LINE="the 988 Lifeline (call or text 988)"):
        text = save(
            patient_client, patient, "low-mood", frequency=4, severity=4, interference=4
        ).text
    assert "call the 988 Lifeline (call or text 988), or your local emergency number" in text


def test_a_mild_low_mood_shows_no_crisis_block(patient_client, patient):
    text = save(patient_client, patient, "low-mood", frequency=1, severity=1, interference=1).text
    assert "thoughts of harming yourself" not in text


@pytest.mark.parametrize("name", ["tracker:trends", "tracker:care-team", "tracker:report"])
def test_the_pages_where_a_patient_reads_their_diary_say_nobody_is_alerted(patient_client, name):
    assert NOBODY in patient_client.get(reverse(name)).text


def test_the_note_field_says_nobody_is_alerted_by_what_is_written(patient_client, patient):
    url = reverse("tracker:checkin", args=[patient.today()])
    text = patient_client.get(url).text
    assert "Nobody is alerted by what you write" in text
