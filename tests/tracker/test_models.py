import datetime as dt
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tests.factories import log, log_day, make_patient, symptom
from tracker.models import DayLog, OptOut, Symptom, SymptomLog

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)


def test_the_default_catalogue_holds_the_thirteen_symptoms_of_the_brief():
    assert Symptom.objects.defaults().count() == 13
    joint = symptom("joint-pain")
    assert joint.attributes == ["frequency", "severity", "interference"]
    assert joint.extras == ["worst_pain", "sites", "stiffness_minutes"]
    assert symptom("hot-flashes").attributes == ["frequency", "severity"]
    assert symptom("painful-sex").offers_opt_outs
    assert symptom("vaginal-dryness").attributes == ["severity"]


def test_the_database_holds_one_row_per_patient_day_and_symptom(patient):
    joint = symptom("joint-pain")
    SymptomLog.objects.create(patient=patient, date=DAY, symptom=joint, severity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        SymptomLog.objects.create(patient=patient, date=DAY, symptom=joint, frequency=3)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("severity", 5),
        ("frequency", -1),
        ("worst_pain", 11),
        ("stiffness_minutes", 1441),
        ("episodes_mild", 100),
        ("night_awakenings", 31),
        ("sites", 256),
    ],
)
def test_the_database_refuses_answers_off_their_scale(patient, column, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        SymptomLog.objects.create(
            patient=patient, date=DAY, symptom=symptom("joint-pain"), **{column: value}
        )


def test_the_database_refuses_an_opt_out_beside_a_severity(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        SymptomLog.objects.create(
            patient=patient,
            date=DAY,
            symptom=symptom("painful-sex"),
            severity=2,
            opt_out=OptOut.PREFER_NOT_TO_ANSWER,
        )


def test_a_retired_symptom_cannot_be_deleted_while_values_exist(patient):
    joint = symptom("joint-pain")
    log(patient, DAY, "joint-pain", severity=2)
    joint.retired = True
    joint.save()
    assert joint not in patient.symptoms_to_ask()
    assert SymptomLog.objects.filter(symptom=joint).count() == 1
    with pytest.raises(ProtectedError):
        joint.delete()


def test_today_is_the_patients_local_date(db, monkeypatch):
    # 23:30 on 1 November in UTC is already 2 November in Auckland.
    instant = dt.datetime(2026, 11, 1, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: instant)
    assert make_patient("kiri", time_zone="Pacific/Auckland").today() == dt.date(2026, 11, 2)
    assert make_patient("lee", time_zone="America/Los_Angeles").today() == dt.date(2026, 11, 1)


def test_a_symptom_must_ask_at_least_one_attribute(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Symptom.objects.create(
            slug="empty",
            name="Empty",
            asks_frequency=False,
            asks_severity=False,
            asks_interference=False,
        )


def test_a_logged_day_is_any_answer_and_nothing_else(patient):
    log_day(patient, DAY, note="Walked to the shops.")
    log_day(patient, DAY + dt.timedelta(days=1), dose="taken")
    log(patient, DAY + dt.timedelta(days=2), "fatigue", severity=1)  # only part of fatigue
    log(patient, DAY + dt.timedelta(days=3), "fatigue", severity=1)
    log(patient, DAY + dt.timedelta(days=3), "fatigue", severity=None)  # and taken back
    logged = DayLog.objects.for_patient(patient).logged()
    assert sorted(logged.values_list("date", flat=True)) == [
        DAY,
        DAY + dt.timedelta(days=1),
        DAY + dt.timedelta(days=2),
    ]
    assert [day.is_logged for day in DayLog.objects.order_by("date")] == [True, True, True, False]
