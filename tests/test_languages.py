"""English and Spanish: the browser's language on a first visit, a switch on every
page, and a signed-in person's own choice, kept in their settings."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import make_patient, symptom
from tracker.models import Symptom, safety_gaps

pytestmark = pytest.mark.django_db
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_a_first_visit_from_a_spanish_browser_is_in_spanish(client):
    response = client.get(reverse("login"), **SPANISH)
    assert response.headers["Content-Language"] == "es"
    assert '<html lang="es"' in response.content.decode()


def test_a_first_visit_from_an_english_browser_is_in_english(client):
    response = client.get(reverse("login"), **ENGLISH)
    assert response.headers["Content-Language"] == "en-gb"


def test_the_switch_is_on_every_page_and_keeps_the_choice_in_a_cookie(client):
    page = client.get(reverse("login"), **ENGLISH).content.decode()
    assert f'action="{reverse("choose-language")}"' in page
    response = client.post(
        reverse("choose-language"), {"language": "es", "next": reverse("login")}, **ENGLISH
    )
    assert response.status_code == 302 and response.headers["Location"] == reverse("login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert client.get(reverse("login"), **ENGLISH).headers["Content-Language"] == "es"


def test_a_signed_in_patients_choice_is_kept_in_their_settings_and_wins_everywhere(client):
    patient = make_patient("ana")
    client.force_login(patient.user)
    client.post(reverse("choose-language"), {"language": "es", "next": "/"})
    patient.user.refresh_from_db()
    assert patient.user.language == "es"
    client.cookies.clear()  # another device, an English browser
    client.force_login(patient.user)
    assert client.get(reverse("tracker:today"), **ENGLISH).headers["Content-Language"] == "es"


def test_the_switch_ignores_an_unknown_language_and_a_way_back_to_another_site(client):
    patient = make_patient("ana")
    client.force_login(patient.user)
    response = client.post(
        reverse("choose-language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
    patient.user.refresh_from_db()
    assert patient.user.language == ""


def test_the_switch_answers_only_posts(client):
    assert client.get(reverse("choose-language")).status_code == 405


def test_symptom_names_follow_the_language_and_fall_back_to_english():
    hot_flashes = symptom("hot-flashes")
    with translation.override("es"):
        assert hot_flashes.display_name == "Sofocos"
        assert str(hot_flashes) == "Sofocos"
        hot_flashes.hint_es = ""
        assert hot_flashes.display_hint == hot_flashes.hint
    with translation.override("en-gb"):
        assert hot_flashes.display_name == "Hot flashes"


def test_every_default_red_flag_and_the_crisis_wording_exist_in_spanish():
    assert safety_gaps("es") == []


def test_a_symptom_without_spanish_urgent_signs_is_a_safety_gap():
    Symptom.objects.filter(slug="falls").update(urgent_signs_es="")
    assert safety_gaps("es") == ["“Falls” has no urgent signs in this language yet."]


def test_weekday_names_follow_the_language():
    from tracker.models import WEEKDAYS

    with translation.override("es"):
        assert str(WEEKDAYS[0]) == "lunes"
    with translation.override("en-gb"):
        assert str(WEEKDAYS[0]) == "Monday"
