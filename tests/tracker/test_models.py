import datetime as dt
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tests.factories import make_patient, symptom
from tracker.models import (
    Answer,
    AnswerStatus,
    Attribute,
    DayLog,
    Symptom,
    save_answers,
    save_day_fields,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
ANSWERED = AnswerStatus.ANSWERED


def test_the_default_catalogue_holds_the_thirteen_symptoms_of_the_brief():
    assert Symptom.objects.defaults().count() == 13
    joint = symptom("joint-pain")
    assert joint.attributes == [Attribute.FREQUENCY, Attribute.SEVERITY, Attribute.INTERFERENCE]
    assert joint.asks_pain_details
    assert symptom("hot-flashes").attributes == [Attribute.FREQUENCY, Attribute.SEVERITY]
    assert symptom("painful-sex").offers_opt_outs
    assert symptom("vaginal-dryness").attributes == [Attribute.SEVERITY]


def test_the_database_holds_one_value_per_patient_day_symptom_and_attribute(patient):
    joint = symptom("joint-pain")
    Answer.objects.create(patient=patient, date=DAY, symptom=joint, attribute="severity", value=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            patient=patient, date=DAY, symptom=joint, attribute="severity", value=3
        )


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("severity", 5),
        ("worst_pain", 11),
        ("stiffness_minutes", 1441),
        ("site_hands", 2),
        ("nonsense", 1),
    ],
)
def test_the_database_refuses_values_off_their_scale(patient, attribute, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            patient=patient,
            date=DAY,
            symptom=symptom("joint-pain"),
            attribute=attribute,
            value=value,
        )


def test_an_opt_out_is_stored_without_a_value_and_never_as_zero(patient):
    painful = symptom("painful-sex")
    save_answers(
        patient=patient,
        date=DAY,
        symptom=painful,
        values={"severity": (None, AnswerStatus.NOT_SEXUALLY_ACTIVE)},
    )
    answer = Answer.objects.get()
    assert answer.value is None
    assert answer.status == AnswerStatus.NOT_SEXUALLY_ACTIVE
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(
            patient=patient, date=DAY, symptom=painful, attribute="frequency", value=None
        )


def test_saving_the_same_answer_twice_updates_the_one_row(patient):
    joint = symptom("joint-pain")
    save_answers(patient=patient, date=DAY, symptom=joint, values={"severity": (2, ANSWERED)})
    save_answers(patient=patient, date=DAY, symptom=joint, values={"severity": (3, ANSWERED)})
    assert list(Answer.objects.values_list("attribute", "value")) == [("severity", 3)]
    assert DayLog.objects.filter(patient=patient, date=DAY).count() == 1


def test_saving_one_attribute_leaves_the_others_alone(patient):
    joint = symptom("joint-pain")
    save_answers(
        patient=patient,
        date=DAY,
        symptom=joint,
        values={"frequency": (3, ANSWERED), "severity": (2, ANSWERED)},
    )
    save_answers(patient=patient, date=DAY, symptom=joint, values={"severity": (1, ANSWERED)})
    assert dict(Answer.objects.values_list("attribute", "value")) == {"frequency": 3, "severity": 1}


def test_clearing_an_answer_deletes_only_that_value(patient):
    joint = symptom("joint-pain")
    save_answers(
        patient=patient,
        date=DAY,
        symptom=joint,
        values={"frequency": (3, ANSWERED), "stiffness_minutes": (20, ANSWERED)},
    )
    save_answers(patient=patient, date=DAY, symptom=joint, values={}, cleared=["stiffness_minutes"])
    assert list(Answer.objects.values_list("attribute", flat=True)) == ["frequency"]


def test_day_fields_are_saved_one_at_a_time(patient):
    save_day_fields(patient=patient, date=DAY, fields={"dose": "taken"})
    save_day_fields(patient=patient, date=DAY, fields={"note": "Walked to the shops."})
    log = DayLog.objects.get()
    assert (log.dose, log.note) == ("taken", "Walked to the shops.")


def test_a_retired_symptom_cannot_be_deleted_while_values_exist(patient):
    joint = symptom("joint-pain")
    save_answers(patient=patient, date=DAY, symptom=joint, values={"severity": (2, ANSWERED)})
    joint.retired = True
    joint.save()
    assert joint not in patient.symptoms_to_ask()
    assert Answer.objects.filter(symptom=joint).count() == 1
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
