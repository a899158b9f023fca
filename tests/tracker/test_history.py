import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import log, log_day
from tracker.checkin.history import month_overview

pytestmark = pytest.mark.django_db


def test_the_month_marks_logged_missing_and_future_days(patient):
    today = dt.date(2026, 11, 18)
    log(patient, dt.date(2026, 11, 3), "fatigue", severity=3, interference=3)
    log_day(patient, dt.date(2026, 11, 4), dose="missed")
    overview = month_overview(patient=patient, month=dt.date(2026, 11, 1), today=today)
    cells = {cell.date: cell for week in overview.weeks for cell in week}
    assert cells[dt.date(2026, 11, 3)].worst_grade == 3
    assert cells[dt.date(2026, 11, 4)].logged and cells[dt.date(2026, 11, 4)].dose == "missed"
    assert cells[dt.date(2026, 11, 5)].missing
    assert cells[dt.date(2026, 11, 20)].future and not cells[dt.date(2026, 11, 20)].missing
    # 1 and 2 November came before the diary began: not missing.
    assert not cells[dt.date(2026, 11, 2)].missing
    assert (overview.logged_count, overview.missing_count) == (2, 14)
    assert overview.next_month is None
    assert overview.weeks[0][0].date.weekday() == 0  # weeks start on Monday


def test_the_worst_grade_ignores_values_that_are_not_graded(patient):
    log(patient, dt.date(2026, 10, 2), "joint-pain", worst_pain=8)
    overview = month_overview(
        patient=patient, month=dt.date(2026, 10, 1), today=dt.date(2026, 11, 1)
    )
    cell = next(c for week in overview.weeks for c in week if c.date == dt.date(2026, 10, 2))
    assert cell.logged and cell.worst_grade is None
    assert overview.next_month == dt.date(2026, 11, 1)


def test_the_history_page_links_every_past_day_to_its_check_in(patient_client, patient):
    today = patient.today()
    response = patient_client.get(reverse("tracker:history"))
    assert response.status_code == 200
    assert reverse("tracker:checkin", args=[today]) in response.text
    assert reverse("tracker:checkin", args=[today + dt.timedelta(days=1)]) not in response.text


def test_a_nonsense_month_falls_back_to_this_month_with_a_note(patient_client, patient):
    response = patient_client.get(reverse("tracker:history"), {"month": "banana"})
    assert response.status_code == 200
    assert "wasn&#x27;t recognized" in response.text
    assert patient.today().strftime("%B %Y") in response.text


def test_a_future_month_shows_this_month(patient_client, patient):
    response = patient_client.get(reverse("tracker:history"), {"month": "2999-01"})
    assert patient.today().strftime("%B %Y") in response.text


def test_another_patients_days_never_appear(client, patient, other_patient):
    log(patient, patient.today(), "fatigue", severity=3, interference=3)
    client.force_login(patient.user)
    assert "grade-3" in client.get(reverse("tracker:history")).text
    client.force_login(other_patient.user)
    response = client.get(reverse("tracker:history"))
    assert "grade-3" not in response.text
    assert "0 days logged" in response.text


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(reverse("tracker:history"))["Location"].startswith(reverse("login"))


def test_the_history_page_runs_a_fixed_number_of_queries(
    patient_client, patient, django_assert_max_num_queries
):
    for offset in range(20):
        date = patient.today() - dt.timedelta(days=offset)
        for slug in ["joint-pain", "hot-flashes"]:
            log(patient, date, slug, severity=2)
    # session, user, patient, the month's day logs (with their figures), first logged day
    with django_assert_max_num_queries(5):
        assert patient_client.get(reverse("tracker:history")).status_code == 200
