"""One-tap answers for a whole day: "nothing to report" and "same as yesterday".

Both fill in only what is still unanswered on the day, so they never overwrite an
answer, and both go through the one writer, so every derived figure follows."""

import datetime as dt

from django.db import transaction

from ..models import Dose, Patient, SymptomLog
from ..recording import lock_diary, record_answers, record_day
from .day import Day, tracked_day

NOTHING, YESTERDAY = "nothing", "yesterday"


def unanswered_daily(day: Day) -> list:
    """The day's daily symptoms with nothing answered yet: what a quick answer fills."""
    return [s for s in day.symptoms if not s.logged and not s.weekly]


def yesterdays_answers(patient: Patient, date: dt.date, symptoms) -> dict[int, dict]:
    """The day before's answers (about that day, not weekly ones) of these symptoms, by
    symptom id, as the writer takes them."""
    rows = SymptomLog.objects.for_patient(patient).filter(
        date=date - dt.timedelta(days=1), recall_days=1, symptom__in=[s.symptom for s in symptoms]
    )
    found = {}
    for row in rows:
        changes = {column: value for column, value in row.answers().items() if value is not None}
        if row.opt_out:
            changes["opt_out"] = row.opt_out
        found[row.symptom_id] = changes
    return found


def answer_quickly(patient: Patient, date: dt.date, action: str) -> list[str]:
    """Fill in the day's unanswered daily symptoms: each at 0 (nothing to report) or
    as the day before (same as yesterday); the dose as taken, or as the day before,
    if not answered. Returns the names of the symptoms filled in."""
    filled = []
    with transaction.atomic():
        lock_diary(patient)
        day = tracked_day(patient, date)
        pending = unanswered_daily(day)
        copies = yesterdays_answers(patient, date, pending) if action == YESTERDAY else {}
        for symptom_day in pending:
            symptom = symptom_day.symptom
            if action == NOTHING:
                changes = {symptom.attributes[0]: 0}  # a first 0 answers the rest (branching)
            elif (changes := copies.get(symptom.pk)) is None:
                continue  # nothing logged for it yesterday: left for the patient
            record_answers(
                patient=patient, date=date, symptom=symptom, changes=changes, read=symptom_day.read
            )
            filled.append(symptom.display_name.lower())
        log = patient.day_logs.filter(date=date).first()
        if log is None or not log.dose:
            fields = {"dose": Dose.TAKEN}
            if action == YESTERDAY:
                before = patient.day_logs.filter(date=date - dt.timedelta(days=1)).first()
                fields = (
                    {"dose": before.dose, "missed_reason": before.missed_reason} if before else {}
                )
            if fields.get("dose"):
                record_day(patient=patient, date=date, fields=fields)
    return filled
