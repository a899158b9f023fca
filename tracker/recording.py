"""The one writer of a patient's diary.

Every answer goes through record_answers() or record_day() (the demo and the
benchmarks bulk-load rows, then derive with rebuild()). In the transaction that
stores it, the writer recomputes what derives from it: the symptom-day's grade, the
day's figures (DayLog.figures, what long charts read), and the symptom's baseline
and first day noticed when the change can touch them (tracker.baselines). It returns the refreshed rows
from the statements that wrote them, without reading them again. rescore() derives
everything again from the stored answers, for a symptom whose questions changed or
by hand (`manage.py rescore`).

Saves are upserts on a unique key, each setting only the columns it was given, so
two tabs or a retried request never overwrite each other's answers.
"""

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

import orjson
from django.db import connection, transaction
from django.db.models import (
    Case,
    PositiveSmallIntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from . import branching, stamps, statements
from .baselines import baseline_rule, keep_baseline, refresh_baseline
from .grading import grade
from .models import (
    ANSWER_COLUMNS,
    RECALL_DAYS,
    Baseline,
    Cadence,
    DayLog,
    Dose,
    Patient,
    Symptom,
    SymptomLog,
    Tracking,
    figures_key,
)


@dataclass
class Recorded:
    """What a save left: the symptom's row (None once nothing is answered) and the day."""

    log: SymptomLog | None
    day: DayLog


@dataclass
class Tracked:
    """A tracked symptom as one day's check-in and its writer read it."""

    symptom: Symptom
    log: SymptomLog | None  # its row for the day
    baseline: Baseline | None
    cadence: str = Cadence.DAILY
    answered_this_week: dt.date | None = None  # a weekly symptom's answer since week_start

    @property
    def recall_days(self) -> int:
        """What an answer on this day is about: the row's own recall once it exists
        (a change of cadence never turns a day's answer into a week's), else the
        symptom's cadence."""
        return self.log.recall_days if self.log else RECALL_DAYS[self.cadence]

    @property
    def asked(self) -> bool:
        """On the check-in: daily symptoms, weekly ones until answered this week, and
        anything already answered that day (to see or change it)."""
        return (
            self.log is not None or self.cadence == Cadence.DAILY or self.answered_this_week is None
        )


def lock_diary(patient: Patient) -> None:
    """Make this transaction the only one writing the patient's diary until it ends.
    Every writer of symptoms' answers and of what derives from them calls it before
    reading what it changes, so each save starts from what the one before it left,
    and the derived figures follow every save in order; record_day() calls it too, so
    that the moments its answers were given, which it reads, stay the latest.
    SQLite needs no lock: its IMMEDIATE transactions already run one at a time."""
    if connection.features.has_select_for_update:
        list(Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk"))


def tracked_on(patient: Patient, date: dt.date) -> list[Tracked]:
    """The patient's tracked symptoms in the check-in's order, each with its row for
    the day and its baseline, in one query. Read after lock_diary(), in the same
    transaction, it is what record_answers() may be given."""
    return [Tracked(*row) for row in statements.tracked_rows(patient, date)]


def record_answers(
    *,
    patient: Patient,
    date: dt.date,
    symptom: Symptom,
    changes: dict,
    read: Tracked | None = None,
    at: int | None = None,
) -> Recorded:
    """Store answers for one symptom on one day ({column: value, None to clear}, and
    "opt_out"), with what branching implies, and keep every derived figure fresh.
    Answers given at `at` (see tracker.stamps; now if not given) that are older than
    the stored answer to the same question are dropped.

    `read` is the symptom as tracked_on() gave it after lock_diary() in the current
    transaction; without it, the writer locks and reads for itself."""
    with transaction.atomic(savepoint=False):
        if read is None:
            lock_diary(patient)
            read = Tracked(
                symptom,
                SymptomLog.objects.filter(patient=patient, date=date, symptom=symptom).first(),
                Baseline.objects.filter(patient=patient, symptom=symptom).first(),
                Tracking.objects.filter(patient=patient, symptom=symptom)
                .values_list("cadence", flat=True)
                .first()
                or Cadence.DAILY,
            )
        stored, recall = read.log, read.recall_days
        at = at or stamps.now()
        given_before = stored.answered_at if stored else {}
        changes = stamps.newer(changes, given_before, at)
        asked = symptom.questions_for(recall)  # a weekly answer has none of the day's details
        before = stored.answers() if stored else dict.fromkeys(ANSWER_COLUMNS)
        columns = branching.apply(
            asked=symptom.attributes,
            extras=symptom.extras_for(recall),
            stored=before,
            changes={k: v for k, v in changes.items() if k in asked},
        )
        if changes.get("opt_out"):
            columns["severity"] = None  # an opt-out answers severity without a value
            columns["opt_out"] = changes["opt_out"]
        elif "opt_out" in changes or columns.get("severity") is not None:
            columns["opt_out"] = ""  # a rating replaces an opt-out
        if not columns:
            return Recorded(stored, _day(patient, date))
        answers = {**before, **{k: v for k, v in columns.items() if k != "opt_out"}}
        opt_out = columns.get("opt_out", stored.opt_out if stored else "")
        if not opt_out and all(value is None for value in answers.values()):
            if stored is None:  # an answer cleared before it was ever saved: no change
                return Recorded(None, _day(patient, date))
            log = None  # nothing left answered: a symptom-day is a row only while logged
            SymptomLog.objects.filter(pk=stored.pk).delete()
        else:
            graded = grade(symptom.attributes, answers, opted_out=bool(opt_out))
            log = _upsert_log(
                patient=patient, date=date, symptom=symptom, columns=columns, grade_=graded,
                recall_days=recall, answered_at=stamps.stamped(given_before, columns, at),
            )  # fmt: skip
        key = figures_key(symptom.pk, recall)
        day = _patch_day(patient=patient, date=date, figures={key: log and log.figures()})
        keep_baseline(patient, symptom, date, log, read.baseline, RECALL_DAYS[read.cadence])
    return Recorded(log, day)


def record_day(*, patient: Patient, date: dt.date, fields: dict, at: int | None = None) -> DayLog:
    """Store the day's own answers (dose, reason missed, thoughts of stopping, note),
    only those given and not older than the stored answer to the same question (see
    record_answers), and return the day as it now stands."""
    with transaction.atomic():
        lock_diary(patient)  # the stamps read here stay the latest until this is stored
        at = at or stamps.now()
        given_before = (
            DayLog.objects.filter(patient=patient, date=date)
            .values_list("answered_at", flat=True)
            .first()
            or {}
        )
        fields = stamps.newer(fields, given_before, at)
        if not fields:
            return _day(patient, date)
        fields["answered_at"] = stamps.stamped(given_before, fields, at)
        return _record_day(patient, date, fields)


def _record_day(patient: Patient, date: dt.date, fields: dict) -> DayLog:
    reason = None
    if "dose" not in fields:
        # A reason belongs to a missed dose only: it waits for the dose stored now.
        reason = fields.pop("missed_reason", None)
    elif fields["dose"] != Dose.MISSED:
        fields["missed_reason"] = ""
    day = _patch_day(patient=patient, date=date, fields=fields)
    if reason is not None and day.dose == Dose.MISSED:
        DayLog.objects.filter(pk=day.pk).update(missed_reason=reason)
        day.missed_reason = reason
    return day


# --- The writes (see tracker.statements) -------------------------------------------


LOG_COLUMNS = ["id", *ANSWER_COLUMNS, "opt_out", "grade", "recall_days"]


def _upsert_log(
    *, patient, date, symptom, columns: dict, grade_: int | None, recall_days: int, answered_at
) -> SymptomLog:
    values = {**columns, "grade": grade_, "answered_at": answered_at, "updated_at": timezone.now()}
    row = statements.upsert(
        SymptomLog,
        values={
            "patient_id": patient.pk,
            "date": date,
            "symptom_id": symptom.pk,
            "recall_days": recall_days,
            **values,
        },  # fmt: skip
        key=["patient_id", "date", "symptom_id"],
        # The recall is the row's from its first answer: never changed by an update.
        update={column: statements.excluded(column) for column in values},
        returning=LOG_COLUMNS,
    )
    return SymptomLog(patient=patient, date=date, symptom=symptom, answered_at=answered_at, **row)


DAY_COLUMNS = ["dose", "missed_reason", "considering_stopping", "note", "figures"]


def _patch_day(*, patient, date, figures: dict | None = None, fields: dict | None = None):
    """Upsert the day: the given fields, and the given symptoms' figure entries."""
    table = statements.quote(DayLog._meta.db_table)
    values = {**(fields or {}), "updated_at": timezone.now()}
    update = {column: statements.excluded(column) for column in values}
    if figures is not None:
        values["figures"] = {str(pk): entry for pk, entry in figures.items()}
        update["figures"] = statements.merge_figures(table)
    row = statements.upsert(
        DayLog,
        values={"patient_id": patient.pk, "date": date, **values},
        key=["patient_id", "date"],
        update=update,
        returning=["id", *DAY_COLUMNS],
    )
    return _day_from(patient, date, row)


def _day_from(patient, date, row: dict) -> DayLog:
    figures = row["figures"]
    stopping = row["considering_stopping"]
    return DayLog(
        pk=row["id"],
        patient=patient,
        date=date,
        dose=row["dose"],
        missed_reason=row["missed_reason"],
        considering_stopping=None if stopping is None else bool(stopping),
        note=row["note"],
        figures=orjson.loads(figures) if isinstance(figures, str | bytes) else figures,
    )


def _day(patient, date) -> DayLog:
    return DayLog.objects.filter(patient=patient, date=date).first() or DayLog(
        patient=patient, date=date
    )


# --- Deriving everything again -----------------------------------------------------


def rescore(*, symptoms: Iterable[Symptom] | None = None, patients=None) -> int:
    """Recompute stored grades (of the given symptoms, else all), then each patient's
    day figures and baselines, from the stored answers. Returns the grades changed."""
    symptoms = list(symptoms if symptoms is not None else Symptom.objects.all())
    changed = sum(_regrade(symptom, patients)[0] for symptom in symptoms)
    if patients is None:
        patients = Patient.objects.filter(symptom_logs__symptom__in=symptoms).distinct()
    for patient in patients:
        rebuild(patient)
    return changed


def regrade(symptom: Symptom) -> int:
    """After a change of the questions a symptom asks: its stored grades recomputed,
    then the figures and baselines of the patients whose grades changed (no one
    else's can have). Returns the grades changed."""
    changed, patient_ids = _regrade(symptom, None)
    for patient in Patient.objects.filter(pk__in=patient_ids):
        rebuild(patient)
    return changed


def _regrade(symptom: Symptom, patients) -> tuple[int, list[int]]:
    """One UPDATE per symptom: each combination of answers whose stored grade is no
    longer what grade() gives gets the new one. Returns the rows changed and whose."""
    logs = SymptomLog.objects.filter(symptom=symptom)
    if patients is not None:
        logs = logs.filter(patient__in=patients)
    keys = ["frequency", "severity", "interference", "opt_out"]
    whens = {}
    for *answers, opt_out, stored in logs.values_list(*keys, "grade").distinct().order_by():
        values = dict(zip(keys[:3], answers, strict=True))
        new = grade(symptom.attributes, values, opted_out=bool(opt_out))
        if new != stored:
            match = Q(opt_out=opt_out, **{k: v for k, v in values.items() if v is not None})
            match &= Q(**{f"{k}__isnull": True for k, v in values.items() if v is None})
            whens[(*answers, opt_out)] = When(match, then=Value(new))
    if not whens:
        return 0, []
    stale = logs.filter(reduce(operator.or_, (when.condition for when in whens.values())))
    patient_ids = list(stale.values_list("patient", flat=True).distinct().order_by())
    # The cast types the CASE for PostgreSQL even where every new grade is empty.
    new_grade = Cast(Case(*whens.values()), output_field=PositiveSmallIntegerField())
    return stale.update(grade=new_grade), patient_ids


def rebuild(patient: Patient) -> None:
    """One patient's day figures and baselines, derived again from their rows."""
    with transaction.atomic():
        lock_diary(patient)
        figures: dict[dt.date, dict] = {}
        for log in SymptomLog.objects.filter(patient=patient).order_by("date"):
            figures.setdefault(log.date, {})[log.figures_key] = log.figures()
        days = list(DayLog.objects.filter(patient=patient))
        missing = set(figures) - {day.date for day in days}
        days += DayLog.objects.bulk_create(DayLog(patient=patient, date=date) for date in missing)
        now = timezone.now()
        for day in days:
            day.figures, day.updated_at = figures.get(day.date, {}), now
        DayLog.objects.bulk_update(days, ["figures", "updated_at"], batch_size=500)
        refresh_baselines(patient)


def refresh_baselines(patient: Patient) -> None:
    """Every baseline of the patient derived again: after a change of their medicines'
    dates, which decide whether a baseline comes from before therapy."""
    with transaction.atomic(savepoint=False):
        lock_diary(patient)
        rule = baseline_rule(patient)
        cadences = patient.cadences()
        for symptom in Symptom.objects.filter(logs__patient=patient).distinct():
            recall = RECALL_DAYS[cadences.get(symptom.pk, Cadence.DAILY)]
            refresh_baseline(patient, symptom, rule=rule, recall_days=recall)
