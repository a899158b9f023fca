"""The check-in's harder cases: stale pages, branching taken back, sessions that end,
days at the edge of midnight."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import log, log_day, make_patient, symptom
from tracker.models import DayLog, SymptomLog, sites_mask

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def stored(patient, slug):
    """The answers stored for the symptom today, by column (and any opt-out)."""
    row = SymptomLog.objects.filter(patient=patient, symptom__slug=slug).first()
    if row is None:
        return {}
    answered = {column: value for column, value in row.answers().items() if value is not None}
    return {**answered, **({"opt_out": row.opt_out} if row.opt_out else {})}


def test_an_htmx_save_after_the_session_ended_says_so_and_saves_nothing(client, patient):
    url = reverse("tracker:checkin-symptom", args=[patient.today(), "fatigue"])
    response = client.post(url, {"fatigue-severity": "2"}, **HTMX)
    assert response.status_code == 401
    assert "logged out" in response.text
    assert not SymptomLog.objects.exists()


def test_a_plain_save_after_the_session_ended_goes_to_log_in(client, patient):
    url = reverse("tracker:checkin", args=[patient.today()])
    response = client.post(url, {"fatigue-severity": "2"})
    assert response["Location"].startswith(reverse("login"))


def test_a_stale_page_saved_whole_keeps_what_another_tab_saved_since(patient_client, patient):
    today = patient.today()
    # The stale tab was drawn with nothing saved; since then another tab saved
    # stiffness, a site and a note. The stale tab now changes only severity.
    log(patient, today, "joint-pain", stiffness_minutes=30, sites=["site_knees"])
    log_day(patient, today, note="From the other tab.")
    response = patient_client.post(
        reverse("tracker:checkin", args=[today]),
        {
            "joint-pain-severity": "2",
            "initial-joint-pain-severity": "",
            "joint-pain-stiffness_minutes": "",
            "initial-joint-pain-stiffness_minutes": "",
            "joint-pain-sites_shown": "1",
            "initial-joint-pain-sites_shown": "1",
            "day-note": "",
            "initial-day-note": "",
        },
    )
    assert response.status_code == 302
    assert stored(patient, "joint-pain") == {
        "severity": 2,
        "stiffness_minutes": 30,
        "sites": sites_mask(["site_knees"]),
    }
    assert DayLog.objects.get(patient=patient).note == "From the other tab."


def test_saving_an_untouched_page_logs_nothing(patient_client, patient):
    page = patient_client.get(reverse("tracker:checkin", args=[patient.today()])).text
    assert 'name="initial-joint-pain-sites_shown"' in page
    response = patient_client.post(
        reverse("tracker:checkin", args=[patient.today()]),
        {
            "joint-pain-sites_shown": "1",
            "initial-joint-pain-sites_shown": "1",
            "joint-pain-stiffness_minutes": "",
            "initial-joint-pain-stiffness_minutes": "",
            "day-note": "",
            "initial-day-note": "",
        },
    )
    assert response.status_code == 302
    assert not SymptomLog.objects.exists()
    assert not DayLog.objects.exists()


def test_moving_off_zero_asks_the_later_questions_again(patient_client, patient):
    url = reverse("tracker:checkin-symptom", args=[patient.today(), "joint-pain"])
    patient_client.post(url, {"joint-pain-frequency": "0"}, **HTMX)
    assert stored(patient, "joint-pain")["worst_pain"] == 0
    response = patient_client.post(url, {"joint-pain-frequency": "3"}, **HTMX)
    assert stored(patient, "joint-pain") == {"frequency": 3}
    assert "2 more questions to answer" in response.text


def test_moving_between_non_zero_answers_keeps_the_rest(patient_client, patient):
    url = reverse("tracker:checkin-symptom", args=[patient.today(), "joint-pain"])
    for field, value in [("frequency", "2"), ("severity", "2"), ("frequency", "4")]:
        patient_client.post(url, {f"joint-pain-{field}": value}, **HTMX)
    assert stored(patient, "joint-pain") == {"frequency": 4, "severity": 2}


def test_a_half_answered_symptom_is_not_graded_yet(patient_client, patient):
    url = reverse("tracker:checkin-symptom", args=[patient.today(), "joint-pain"])
    response = patient_client.post(url, {"joint-pain-frequency": "4"}, **HTMX)
    assert "grade" not in response.text.split("<div")[0]
    assert "Worth discussing" not in response.text


def test_a_pain_score_alone_still_counts_as_bothering(patient_client, patient):
    url = reverse("tracker:checkin-symptom", args=[patient.today(), "joint-pain"])
    response = patient_client.post(url, {"joint-pain-worst_pain": "8"}, **HTMX)
    assert "Nothing you logged bothered you" not in response.text
    assert "Worst pain 8 out of 10" in response.text


def test_values_of_a_symptom_no_longer_tracked_still_show_on_their_day(patient_client, patient):
    yesterday = patient.today() - dt.timedelta(days=1)
    log(patient, yesterday, "fatigue", severity=3, interference=2)
    patient.tracked_symptoms.remove(symptom("fatigue"))
    page = patient_client.get(reverse("tracker:checkin", args=[yesterday])).text
    assert "Also logged that day" in page and "Tiredness or low energy" in page
    assert 'name="fatigue-severity"' not in page


def test_a_missed_dose_reason_never_sits_beside_a_taken_dose(patient_client, patient):
    today = patient.today()
    url = reverse("tracker:checkin-day", args=[today])
    patient_client.post(url, {"day-dose": "missed"}, **HTMX)
    patient_client.post(url, {"day-missed_reason": "forgot"}, **HTMX)
    assert DayLog.objects.get().missed_reason == "forgot"
    patient_client.post(url, {"day-dose": "taken"}, **HTMX)
    patient_client.post(url, {"day-missed_reason": "forgot"}, **HTMX)  # forged
    log = DayLog.objects.get()
    assert (log.dose, log.missed_reason) == ("taken", "")


def test_a_past_day_asks_about_that_day_not_today(patient_client, patient):
    page = patient_client.get(
        reverse("tracker:checkin", args=[patient.today() - dt.timedelta(days=2)])
    ).text
    assert "How often did you notice it that day?" in page
    assert "notice it today" not in page


@pytest.mark.parametrize("month", ["0001-01", "1999-12", "9999-12"])
def test_extreme_months_fall_back_kindly(patient_client, patient, month):
    response = patient_client.get(reverse("tracker:history"), {"month": month})
    assert response.status_code == 200
    assert patient.today().strftime("%B %Y") in response.text


@pytest.fixture
def just_before_midnight_utc(monkeypatch):
    instant = dt.datetime(2026, 11, 1, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: instant)


def test_a_patient_ahead_of_utc_can_log_their_own_today(client, just_before_midnight_utc):
    kiri = make_patient("kiri", time_zone="Pacific/Kiritimati")  # UTC+14
    client.force_login(kiri.user)
    assert client.get(reverse("tracker:today"))["Location"].endswith("/day/2026-11-02/")
    response = client.post(
        reverse("tracker:checkin-symptom", args=[dt.date(2026, 11, 2), "fatigue"]),
        {"fatigue-severity": "1"},
        **HTMX,
    )
    assert response.status_code == 200


def test_a_patient_behind_utc_cannot_log_utcs_tomorrow(client, just_before_midnight_utc):
    hana = make_patient("hana", time_zone="Pacific/Honolulu")  # UTC-10
    client.force_login(hana.user)
    assert client.get(reverse("tracker:checkin", args=[dt.date(2026, 11, 2)])).status_code == 404
    assert client.get(reverse("tracker:checkin", args=[dt.date(2026, 11, 1)])).status_code == 200


def test_the_admin_role_cannot_edit_accounts(db):
    from django.contrib.auth.models import Group

    from tracker import roles

    codenames = set(
        Group.objects.get(name=roles.ADMIN).permissions.values_list("codename", flat=True)
    )
    assert "change_user" not in codenames
