"""Concurrent saves of the same answer: exactly one value remains.

These run in real transactions (not the usual wrapping rollback), with each
thread on its own database connection, on SQLite and on PostgreSQL alike.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import make_patient, symptom
from tracker.models import Answer, AnswerStatus, DayLog, save_answers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
THREADS = 8


def _run_together(work):
    barrier = threading.Barrier(THREADS)
    errors = []

    def run(index):
        try:
            barrier.wait()
            work(index)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_concurrent_saves_of_one_answer_leave_exactly_one_value():
    patient = make_patient("alice")
    joint = symptom("joint-pain")
    day = dt.date(2026, 11, 2)

    def save(index):
        save_answers(
            patient=patient,
            date=day,
            symptom=joint,
            values={"severity": (index % 5, AnswerStatus.ANSWERED)},
        )

    _run_together(save)
    answers = Answer.objects.filter(patient=patient, date=day, attribute="severity")
    assert answers.count() == 1
    assert answers.get().value in range(5)
    assert DayLog.objects.filter(patient=patient, date=day).count() == 1


def test_two_tabs_saving_different_answers_both_keep_theirs():
    patient = make_patient("alice")
    day = patient.today()
    url = reverse("tracker:checkin-symptom", args=[day, "joint-pain"])
    fields = ["frequency", "severity", "interference", "worst_pain"] * 2

    def post(index):
        client = Client()
        client.force_login(patient.user)
        response = client.post(url, {f"joint-pain-{fields[index]}": "2"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200

    _run_together(post)
    stored = dict(Answer.objects.filter(patient=patient).values_list("attribute", "value"))
    assert stored == {"frequency": 2, "severity": 2, "interference": 2, "worst_pain": 2}
