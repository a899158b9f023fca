"""English and Spanish: the browser's language on a first visit, a switch on every
page, and a signed-in person's own choice, kept in their settings."""

import pytest
from django.conf import settings
from django.test import TestCase
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
    spanish_page = client.get(reverse("login"), **SPANISH).content.decode()
    # Each language named in itself, whatever the page's language.
    assert 'lang="en-gb" class="link-button">English</button>' in spanish_page
    assert 'lang="es" class="link-button">Español</button>' in page
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


def test_a_clinician_reads_a_spanish_speaking_patients_report_in_their_own_language(
    clinician_client, clinician, patient
):
    from tests.factories import give_access, log

    patient.user.language = "es"
    patient.user.save()
    log(patient, patient.today(), "hot-flashes", frequency=2, severity=2)
    give_access(patient, clinician)
    url = reverse("tracker:clinician-report", args=[patient.pk])
    english = clinician_client.get(url, **ENGLISH)
    assert english.headers["Content-Language"] == "en-gb"
    assert "Hot flashes" in english.text and "Sofocos" not in english.text
    clinician.language = "es"  # a clinician who chose Spanish gets the same in Spanish
    clinician.save()
    spanish = clinician_client.get(url, **ENGLISH)
    assert "Sofocos" in spanish.text


def test_a_pdf_is_made_in_the_language_of_the_page_that_asked(
    clinician_client, clinician, patient, run_tasks, monkeypatch
):
    from tests.factories import give_access
    from tracker.models import ReportPdf

    made_in = []
    monkeypatch.setattr(
        "tracker.reports.pdf.render_pdf",
        lambda report, **kwargs: made_in.append(translation.get_language()) or b"%PDF-1.7",
    )
    monkeypatch.setattr("tracker.reports.pdf_charts.BROWSER.warm", lambda: None)
    give_access(patient, clinician)
    url = reverse("tracker:clinician-report-pdf", args=[patient.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task is queued on commit
        clinician_client.post(url, **SPANISH)
    assert ReportPdf.objects.get().language == "es"
    run_tasks()
    assert made_in == ["es"]


def test_whoever_opens_a_share_link_can_switch_its_language_and_gets_the_pdf_in_it(
    patient, run_tasks, monkeypatch
):
    from django.test import Client

    from tests.factories import log
    from tracker.models import ReportPdf, ShareLink

    log(patient, patient.today(), "hot-flashes", frequency=2, severity=2)
    link, token = ShareLink.make(
        patient=patient, sections=["summary"], starts_on=patient.today(),
        ends_on=patient.today(), days_valid=7, label="Dr Vega",
    )  # fmt: skip
    url = reverse("tracker:shared-report", args=[token])
    reader = Client(enforce_csrf_checks=True)  # a clinician's browser, in English
    page = reader.get(url, **ENGLISH).content.decode()
    assert "Hot flashes" in page
    assert f'action="{reverse("choose-language")}"' in page
    csrf = reader.cookies[settings.CSRF_COOKIE_NAME].value
    response = reader.post(
        reverse("choose-language"),
        {"language": "es", "next": url, "csrfmiddlewaretoken": csrf},
        **ENGLISH,
    )
    assert response.headers["Location"] == url
    spanish = reader.get(url, **ENGLISH)
    assert spanish.headers["Content-Language"] == "es" and "Sofocos" in spanish.text

    monkeypatch.setattr("tracker.reports.pdf.render_pdf", lambda report, **kwargs: b"%PDF-1.7")
    monkeypatch.setattr("tracker.reports.pdf_charts.BROWSER.warm", lambda: None)
    pdf_url = reverse("tracker:shared-report-pdf", args=[token])
    with TestCase.captureOnCommitCallbacks(execute=True):
        reader.post(pdf_url, {"csrfmiddlewaretoken": csrf}, **ENGLISH)
    assert ReportPdf.objects.get().language == "es"


def test_a_dead_links_page_switches_language_without_repeating_its_address(client):
    page = client.get("/r/not-a-token/", **ENGLISH)
    assert page.status_code == 404 and "not-a-token" not in page.text
    assert f'action="{reverse("choose-language")}"' in page.text
    response = client.post(
        reverse("choose-language"),
        {"language": "es"},
        HTTP_REFERER="http://testserver/r/not-a-token/",
    )
    assert response.headers["Location"] == "http://testserver/r/not-a-token/"
    assert "Este enlace ya no es válido" in client.get("/r/not-a-token/", **ENGLISH).text


def test_short_dates_write_months_as_each_language_does():
    import datetime as dt

    from django.utils.formats import date_format

    from tracker.text import padded_date, short_date, short_month

    day = dt.date(2026, 12, 3)
    with translation.override("en-gb"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "3 Dec 2026"
        assert short_month(12) == "Dec"
        assert padded_date(day) == "03 Dec 2026"  # as the charts' hovers write it
    with translation.override("es"):  # Spanish writes months in lower case
        assert date_format(day, "SHORT_DATE_FORMAT") == short_date(day) == "3 dic 2026"
        assert short_month(12) == "dic"
        assert padded_date(day) == "03 dic 2026"


def test_a_spanish_page_writes_its_dates_in_lower_case(patient_client, patient):
    patient.user.language = "es"
    patient.user.save()
    page = patient_client.get(reverse("tracker:report")).text
    today = patient.today()
    with translation.override("es"):
        from django.utils.formats import date_format

        assert date_format(today, "SHORT_DATE_FORMAT") in page
        month = date_format(today, "b")
    assert f" {month.title()} {today.year}" not in page
