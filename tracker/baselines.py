"""A patient's baselines: where each comes from (CLINICAL.md, baseline), and keeping it
fresh. The writer (tracker.recording) calls keep_baseline() in the transaction of
each save that can change one; refresh_baseline() derives one again by hand."""

import datetime as dt
from dataclasses import dataclass

from . import rules
from .models import Baseline, Patient, Symptom, SymptomLog, Therapy


@dataclass(frozen=True)
class BaselineRule:
    """Where a patient's baselines come from now (CLINICAL.md, baseline): the
    medicine they are on (after a switch, that medicine's own reference week), or a
    week a clinician chose since."""

    therapy_start: dt.date | None = None
    after_switch: bool = False
    chosen_week: dt.date | None = None
    chosen_by: str = ""


def baseline_rule(patient: Patient) -> BaselineRule:
    starts = list(
        Therapy.objects.for_patient(patient)
        .filter(started_on__lte=patient.today())
        .order_by("started_on")
        .values_list("started_on", flat=True)
    )
    current = starts[-1] if starts else None
    chosen = patient.baseline_week
    if chosen is not None and (
        current is None or patient.baseline_chosen_at.date() >= current
    ):  # chosen since the latest switch: the clinician's week stands
        return BaselineRule(current, len(starts) > 1, chosen, patient.baseline_chosen_by)
    return BaselineRule(current, len(starts) > 1)


def keep_baseline(patient, symptom, date, log, baseline, recall_days: int) -> None:
    """Update the symptom's baseline and first day noticed only where this save can
    have changed them: most saves are of today, long after both are settled."""
    fields = {}
    first = baseline.first_noticed_on if baseline else None
    bothered = log is not None and log.bothered
    if bothered and (first is None or date < first):
        fields["first_noticed_on"] = date
    elif not bothered and first == date:
        fields["first_noticed_on"] = _first_noticed(patient, symptom)
    if (
        baseline is None
        or not baseline.complete
        or date <= baseline.ends_on
        or (baseline.therapy_started_on is not None and date < baseline.therapy_started_on)
        or (
            baseline.chosen_by
            and date < baseline.starts_on + dt.timedelta(days=rules.BASELINE_DAYS)
        )
    ):
        fields.update(_window(patient, symptom, baseline_rule(patient), recall_days))
    if fields:
        Baseline.objects.bulk_create(
            [Baseline(patient=patient, symptom=symptom, **fields)],
            update_conflicts=True,
            unique_fields=["patient", "symptom"],
            update_fields=list(fields),
        )


def refresh_baseline(
    patient: Patient, symptom: Symptom, *, rule: BaselineRule, recall_days: int = 1
):
    """Derive one symptom's baseline and first day noticed again from its stored days."""
    fields = {
        **_window(patient, symptom, rule, recall_days),
        "first_noticed_on": _first_noticed(patient, symptom),
    }
    Baseline.objects.update_or_create(patient=patient, symptom=symptom, defaults=fields)


def _window(patient, symptom, rule: BaselineRule, recall_days: int = 1) -> dict:
    """The baseline's days (rules.baseline_days, or the chosen week) and each series'
    mean over them. After a switch, "the first 7 days logged" are on the new medicine.

    A baseline compares like with like: answers of the recall the symptom is asked at
    now (see Tracking), where one weekly answer covers its 7 days."""
    logs = SymptomLog.objects.filter(patient=patient, symptom=symptom, recall_days=recall_days)
    take = max(1, rules.BASELINE_DAYS // recall_days)
    if rule.chosen_week is not None:
        week = rule.chosen_week, rule.chosen_week + dt.timedelta(days=rules.BASELINE_DAYS - 1)
        days, before_therapy = list(logs.filter(date__range=week).order_by("date")[:take]), False
    else:
        before = []
        if rule.therapy_start is not None:
            before = logs.filter(date__lt=rule.therapy_start).order_by("-date")[:take]
        first = logs.filter(date__gte=rule.therapy_start) if rule.after_switch else logs
        first = first.order_by("date")[:take]
        days, before_therapy = rules.baseline_days(
            before_therapy=list(before), first=list(first), recall_days=recall_days
        )
    days = sorted(days, key=lambda log: log.date)
    return {
        "starts_on": days[0].date if days else None,
        "ends_on": days[-1].date if days else None,
        "days": len(days) * recall_days,  # the days the answers cover
        "before_therapy": before_therapy,
        "therapy_started_on": rule.therapy_start,
        "after_switch": rule.after_switch and not rule.chosen_by,
        "chosen_by": rule.chosen_by,
        **rules.baseline_means({**log.answers(), "grade": log.grade} for log in days),
    }


def _first_noticed(patient, symptom) -> dt.date | None:
    logs = SymptomLog.objects.filter(patient=patient, symptom=symptom).order_by("date")
    return next((log.date for log in logs.iterator(chunk_size=100) if log.bothered), None)
