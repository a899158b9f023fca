import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import log, make_patient, symptom
from tracker.models import ANSWER_COLUMNS, DayLog, SymptomLog

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def checkin_url(date, *parts):
    if parts:
        name = {"symptom": "tracker:checkin-symptom", "day": "tracker:checkin-day"}[parts[0]]
        return reverse(name, args=[date, *parts[1:]])
    return reverse("tracker:checkin", args=[date])


@pytest.fixture
def today(patient):
    return patient.today()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(checkin_url(dt.date(2026, 1, 5)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_today_opens_the_patients_own_date(patient_client, today):
    response = patient_client.get(reverse("tracker:today"))
    assert response["Location"] == checkin_url(today)


def test_a_patient_who_has_not_onboarded_is_sent_to_onboarding(client, db):
    newcomer = make_patient("newcomer", onboarded=False)
    client.force_login(newcomer.user)
    response = client.get(reverse("tracker:today"))
    assert response["Location"] == reverse("tracker:onboarding")


def test_the_page_asks_every_tracked_symptom_in_our_own_words(patient_client, today):
    response = patient_client.get(checkin_url(today))
    assert response.status_code == 200
    for name in ["Joint pain or stiffness", "Hot flashes", "Vaginal dryness", "Feeling sad or low"]:
        assert name in response.text
    assert "How often did you notice it today?" in response.text
    assert "Prefer not to answer" in response.text


def test_the_page_says_what_an_answer_of_zero_leaves_unasked(patient_client, today):
    page = patient_client.get(checkin_url(today)).text
    assert (
        'data-attribute="frequency" data-zero-skips="severity interference worst_pain sites '
        'stiffness_minutes"' in page
    )
    assert 'data-attribute="severity" data-zero-skips="interference"' in page


def test_an_htmx_answer_is_saved_and_answered_with_a_fragment_only(patient_client, patient, today):
    response = patient_client.post(
        checkin_url(today, "symptom", "vaginal-dryness"), {"vaginal-dryness-severity": "3"}, **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Saved" in response.text
    assert "Overall: severe (grade 3 of 3)" in response.text
    assert 'id="day-summary"' in response.text and 'hx-swap-oob="true"' in response.text
    row = SymptomLog.objects.get(patient=patient)
    assert (row.symptom.slug, row.severity, row.grade) == ("vaginal-dryness", 3, 3)


def test_a_grade_3_day_suggests_talking_to_the_care_team(patient_client, today):
    response = patient_client.post(
        checkin_url(today, "symptom", "hot-flashes"), {"hot-flashes-severity": "4"}, **HTMX
    )
    assert "Worth discussing with your care team" in response.text


def test_a_double_submit_leaves_one_value(patient_client, patient, today):
    for _ in range(2):
        patient_client.post(
            checkin_url(today, "symptom", "fatigue"), {"fatigue-severity": "2"}, **HTMX
        )
    assert SymptomLog.objects.filter(patient=patient).count() == 1
    assert SymptomLog.objects.get(patient=patient).severity == 2


def test_an_invalid_htmx_answer_comes_back_with_its_message_and_saves_nothing(
    patient_client, patient, today
):
    response = patient_client.post(
        checkin_url(today, "symptom", "joint-pain"),
        {"joint-pain-stiffness_minutes": "9999"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "Please enter a number up to 1440" in response.text
    assert 'id="id_joint-pain-stiffness_minutes_errors" hx-swap-oob="true"' in response.text
    assert not SymptomLog.objects.exists()


def test_a_corrected_answer_clears_its_message_and_another_answer_leaves_it(
    patient_client, patient, today
):
    url = checkin_url(today, "symptom", "joint-pain")
    slot = 'id="id_joint-pain-stiffness_minutes_errors" hx-swap-oob="true"'
    patient_client.post(url, {"joint-pain-stiffness_minutes": "9999"}, **HTMX)

    # Another answer saves; the stiffness typed is still not saved, so its message stays.
    response = patient_client.post(url, {"joint-pain-severity": "2"}, **HTMX)
    assert response.status_code == 200
    assert slot not in response.text
    assert 'id="id_joint-pain-severity_errors" hx-swap-oob="true"></div>' in response.text

    response = patient_client.post(url, {"joint-pain-stiffness_minutes": "30"}, **HTMX)
    assert f"{slot}></div>" in response.text
    assert SymptomLog.objects.get(patient=patient).stiffness_minutes == 30


def test_a_past_days_answer_refused_without_javascript_still_asks_about_that_day(
    patient_client, today
):
    yesterday = today - dt.timedelta(days=1)
    response = patient_client.post(
        checkin_url(yesterday, "symptom", "joint-pain"), {"joint-pain-stiffness_minutes": "9999"}
    )
    assert response.status_code == 422
    assert "Your worst pain that day" in response.text
    assert "Your worst pain today" not in response.text


def test_the_whole_page_saves_as_one_plain_form_without_javascript(patient_client, patient, today):
    response = patient_client.post(
        checkin_url(today),
        {
            "joint-pain-frequency": "3",
            "joint-pain-severity": "2",
            "joint-pain-interference": "1",
            "joint-pain-worst_pain": "6",
            "joint-pain-sites": ["site_hands", "site_knees"],
            "joint-pain-sites_shown": "1",
            "joint-pain-stiffness_minutes": "30",
            "hot-flashes-frequency": "0",
            "day-dose": "missed",
            "day-missed_reason": "forgot",
            "day-note": "Long walk.",
        },
    )
    assert response.status_code == 302
    joint = SymptomLog.objects.get(patient=patient, symptom=symptom("joint-pain"))
    assert (joint.frequency, joint.severity, joint.interference) == (3, 2, 1)
    assert joint.worst_pain == 6 and joint.stiffness_minutes == 30
    assert joint.site_list == ["site_hands", "site_knees"]  # the back: answered, not ticked
    hot_flashes = SymptomLog.objects.get(symptom=symptom("hot-flashes"))
    assert hot_flashes.answers() == {
        **dict.fromkeys(ANSWER_COLUMNS),
        "frequency": 0,
        "severity": 0,
        "episodes_mild": 0,
        "episodes_moderate": 0,
        "episodes_severe": 0,
    }
    log = DayLog.objects.get(patient=patient, date=today)
    assert (log.dose, log.missed_reason, log.note) == ("missed", "forgot", "Long walk.")


def test_a_rejected_plain_form_keeps_everything_that_was_typed_and_saves_nothing(
    patient_client, today
):
    response = patient_client.post(
        checkin_url(today),
        {
            "joint-pain-severity": "2",
            "joint-pain-stiffness_minutes": "-3",
            "day-note": "Keep me",
        },
    )
    assert response.status_code == 422
    assert "This can&#x27;t be below 0." in response.text
    assert 'value="-3"' in response.text
    assert "Keep me" in response.text
    assert 'value="2" id="id_joint-pain-severity_2" checked' in response.text
    assert not SymptomLog.objects.exists()


def test_reopening_a_day_shows_what_was_saved(patient_client, patient, today):
    yesterday = today - dt.timedelta(days=1)
    log(patient, yesterday, "painful-sex", opt_out="not_active")
    response = patient_client.get(checkin_url(yesterday))
    assert 'value="not_active" id="id_painful-sex-severity_5" checked' in response.text


def test_a_future_day_cannot_be_opened_or_saved(patient_client, patient, today):
    tomorrow = today + dt.timedelta(days=1)
    assert patient_client.get(checkin_url(tomorrow)).status_code == 404
    response = patient_client.post(
        checkin_url(tomorrow, "symptom", "fatigue"), {"fatigue-severity": "2"}, **HTMX
    )
    assert response.status_code == 404
    assert not SymptomLog.objects.exists()


@pytest.mark.parametrize("bad_date", ["2026-02-30", "1999-12-31"])
def test_impossible_or_ancient_dates_are_not_found(patient_client, bad_date):
    assert patient_client.get(f"/day/{bad_date}/").status_code == 404


def test_a_symptom_the_patient_does_not_track_is_not_found(patient_client, patient, today):
    patient.tracked_symptoms.remove(symptom("fatigue"))
    response = patient_client.post(
        checkin_url(today, "symptom", "fatigue"), {"fatigue-severity": "2"}
    )
    assert response.status_code == 404


def test_a_retired_symptom_is_no_longer_asked_or_saved(patient_client, today):
    fatigue = symptom("fatigue")
    fatigue.retired = True
    fatigue.save()
    assert "Tiredness or low energy" not in patient_client.get(checkin_url(today)).text
    assert (
        patient_client.post(
            checkin_url(today, "symptom", "fatigue"), {"fatigue-severity": "2"}
        ).status_code
        == 404
    )


def test_another_patient_never_sees_or_changes_someone_elses_day(
    client, patient, other_patient, today
):
    log(patient, today, "fatigue", severity=4)
    client.force_login(other_patient.user)
    response = client.get(checkin_url(today))
    assert 'id="id_fatigue-severity_4" checked' not in response.text
    client.post(checkin_url(today, "symptom", "fatigue"), {"fatigue-severity": "1"}, **HTMX)
    assert SymptomLog.objects.get(patient=patient).severity == 4
    assert SymptomLog.objects.get(patient=other_patient).severity == 1


def test_a_clinician_has_no_check_in(client, db):
    from tests.factories import login_verified, make_user
    from tracker import roles

    login_verified(client, make_user("dr_who", role=roles.CLINICIAN))
    assert client.get(reverse("tracker:today")).status_code == 404


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(patient, today):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient.user)
    response = client.post(
        checkin_url(today, "symptom", "fatigue"), {"fatigue-severity": "2"}, **HTMX
    )
    assert response.status_code == 403
    assert "This page had expired" in response.text
    assert not SymptomLog.objects.exists()


def test_an_oversized_post_is_refused(patient_client, today):
    response = patient_client.post(checkin_url(today, "day"), {"day-note": "x" * 300_000}, **HTMX)
    assert response.status_code == 400
    assert not DayLog.objects.exists()


def test_a_get_to_the_save_address_is_not_allowed(patient_client, today):
    assert patient_client.get(checkin_url(today, "symptom", "fatigue")).status_code == 405


def test_day_fields_save_through_htmx(patient_client, patient, today):
    response = patient_client.post(
        checkin_url(today, "day"), {"day-considering_stopping": "yes"}, **HTMX
    )
    assert response.status_code == 200
    assert "Thinking about stopping?" in response.text
    assert DayLog.objects.get(patient=patient).considering_stopping is True


def test_the_check_in_page_runs_a_fixed_number_of_queries(
    patient_client, patient, today, django_assert_max_num_queries
):
    for slug in ["joint-pain", "hot-flashes", "fatigue"]:
        log(patient, today, slug, severity=2)
    # session, user, patient, symptoms (with their rows and baselines), day log,
    # rows of symptoms no longer tracked; then the explanations beside the answered
    # symptoms: their last weeks, baselines, hidden explanations, rules, topics
    with django_assert_max_num_queries(6 + 5):
        assert patient_client.get(checkin_url(today)).status_code == 200


def test_saving_an_answer_runs_a_fixed_number_of_queries(
    patient_client, today, django_assert_max_num_queries
):
    # session, user, patient; in a savepoint: the patient's diary locked (PostgreSQL
    # only: SQLite's transactions run one at a time), the symptoms with their rows,
    # baselines and first therapy, the row's upsert, the day's upsert (its figures),
    # and while the baseline is not yet whole its window (two reads of at most 7 rows)
    # and upsert
    lock = int(connection.features.has_select_for_update)
    with django_assert_max_num_queries(11 + lock):
        patient_client.post(
            checkin_url(today, "symptom", "joint-pain"), {"joint-pain-severity": "2"}, **HTMX
        )


def test_a_malformed_post_body_is_refused_without_a_server_error(patient_client, today):
    response = patient_client.post(
        checkin_url(today, "symptom", "fatigue"),
        data=b"--broken\r\nnot a multipart body",
        content_type="multipart/form-data; boundary=broken",
        **HTMX,
    )
    assert response.status_code == 400
    assert not SymptomLog.objects.exists()
    assert not DayLog.objects.exists()
