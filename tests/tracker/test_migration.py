"""Moving to one row per symptom-day loses nothing: the demo diary, stored one row per
answer as it was before migration 0007, exports exactly the same CSV and FHIR after it.

tests/tracker/data/ holds the demo's old rows (made by tracker.demo before 0007 for a
fixed day) and the CSV and FHIR files the code of that time exported from them."""

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tracker.models import Baseline, DayLog, Patient, SymptomLog
from tracker.reports.csv import daily_csv
from tracker.reports.fhir import bundle_json

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DATA = Path(__file__).parent / "data"
BEFORE = [("tracker", "0006_display_name")]
EXPORTED_AT = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def load_old_diary(apps) -> tuple[dt.date, dt.date]:
    """The demo's answers, one row each, written with the models as they were."""
    diary = json.loads(gzip.decompress((DATA / "demo_diary.json.gz").read_bytes()))
    User = apps.get_model("tracker", "User")
    Patient = apps.get_model("tracker", "Patient")
    Therapy = apps.get_model("tracker", "Therapy")
    DayLog = apps.get_model("tracker", "DayLog")
    Answer = apps.get_model("tracker", "Answer")
    Symptom = apps.get_model("tracker", "Symptom")
    symptoms = dict(Symptom.objects.values_list("slug", "pk"))
    user = User.objects.create(username="demo")
    patient = Patient.objects.create(pk=1, user=user, time_zone="Europe/London")
    today = dt.date.fromisoformat(diary["today"])
    Therapy.objects.create(
        patient=patient, drug="anastrozole", started_on=today - dt.timedelta(days=182)
    )
    Therapy.objects.create(
        patient=patient, drug="exemestane", started_on=today - dt.timedelta(days=70)
    )
    DayLog.objects.bulk_create(
        DayLog(patient=patient, date=date, dose=dose, missed_reason=reason,
               considering_stopping=stopping, note=note)
        for date, dose, reason, stopping, note in diary["days"]
    )  # fmt: skip
    Answer.objects.bulk_create(
        Answer(patient=patient, date=date, symptom_id=symptoms[slug], attribute=attribute,
               value=value, status=status)
        for date, slug, attribute, value, status in diary["answers"]
    )  # fmt: skip
    return dt.date.fromisoformat(diary["days"][0][0]), today


def test_the_demo_diary_exports_the_same_csv_and_fhir_after_the_migration():
    start, today = load_old_diary(migrate(BEFORE))
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    patient = Patient.objects.get(pk=1)
    assert SymptomLog.objects.filter(patient=patient).count() == 168 * 13
    expected_csv = (DATA / "demo-export.csv").read_bytes().decode()
    assert daily_csv(patient, start=start, end=today) == expected_csv
    expected_fhir = gzip.decompress((DATA / "demo-export.fhir.json.gz").read_bytes())
    fhir = bundle_json(patient, start=start, end=today, generated_at=EXPORTED_AT)
    assert json.loads(fhir) == json.loads(expected_fhir)
    assert fhir == expected_fhir


def test_the_migration_derives_grades_figures_and_baselines_as_the_writer_does():
    load_old_diary(migrate(BEFORE))
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    patient = Patient.objects.get(pk=1)
    logs = list(SymptomLog.objects.filter(patient=patient).select_related("symptom"))
    assert all(log.grade == log.graded() for log in logs)
    by_day = {}
    for log in logs:
        by_day.setdefault(log.date, {})[str(log.symptom_id)] = log.figures()
    for day in DayLog.objects.filter(patient=patient):
        assert day.figures == by_day.get(day.date, {})
    migrated = {
        b.symptom_id: (b.starts_on, b.ends_on, b.days, b.grade, b.worst_pain, b.first_noticed_on)
        for b in Baseline.objects.filter(patient=patient)
    }
    from tracker.recording import refresh_baselines

    refresh_baselines(patient)
    derived = {
        b.symptom_id: (b.starts_on, b.ends_on, b.days, b.grade, b.worst_pain, b.first_noticed_on)
        for b in Baseline.objects.filter(patient=patient)
    }
    assert migrated == derived
    assert len(derived) == 13


def test_an_answer_on_a_day_without_its_day_row_migrates_with_one_made():
    apps = migrate(BEFORE)
    user = apps.get_model("tracker", "User").objects.create(username="old")
    patient = apps.get_model("tracker", "Patient").objects.create(pk=2, user=user)
    fatigue = apps.get_model("tracker", "Symptom").objects.get(slug="fatigue")
    apps.get_model("tracker", "Answer").objects.create(
        patient=patient, date=dt.date(2026, 3, 2), symptom=fatigue, attribute="severity", value=2
    )
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert SymptomLog.objects.get(patient_id=2).severity == 2
    assert DayLog.objects.get(patient_id=2).date == dt.date(2026, 3, 2)
