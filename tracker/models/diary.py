"""The diary: what a patient recorded each day."""

import datetime as dt

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from ..grading import composite_grade
from .accounts import Patient
from .catalogue import (
    ATTRIBUTE_MAXIMUM,
    EPISODE_ATTRIBUTES,
    PRO_CTCAE_ATTRIBUTES,
    Attribute,
    Symptom,
)

# Ripple's diary starts here; earlier dates are typing mistakes.
EARLIEST_DATE = dt.date(2000, 1, 1)


class AnswerStatus(models.TextChoices):
    ANSWERED = "answered", "Answered"
    NOT_SEXUALLY_ACTIVE = "not_active", "Not sexually active"
    PREFER_NOT_TO_ANSWER = "declined", "Prefer not to answer"


class Dose(models.TextChoices):
    TAKEN = "taken", "Yes"
    MISSED = "missed", "No"
    UNSURE = "unsure", "Not sure"


class MissedReason(models.TextChoices):
    SIDE_EFFECTS = "side_effects", "Side effects"
    FORGOT = "forgot", "Forgot"
    OTHER = "other", "Something else"


class DayLog(models.Model):
    """What a patient recorded about a whole day: the dose and a note.

    Its existence also marks the day as logged; symptom answers live in Answer.
    """

    Dose = Dose
    MissedReason = MissedReason

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="day_logs")
    date = models.DateField()
    dose = models.CharField(max_length=10, choices=Dose.choices, blank=True)
    missed_reason = models.CharField(max_length=20, choices=MissedReason.choices, blank=True)
    considering_stopping = models.BooleanField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    # Derived from the day's answers by refresh_scores(), so trend charts read
    # one row a day: {"grades": {slug: 0-3}, "very_severe": [slug], "worst_pain": n, ...}.
    scores = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="one_day_log_per_date"),
            models.CheckConstraint(
                condition=Q(dose__in=["", *Dose.values]), name="day_log_dose_is_known"
            ),
            models.CheckConstraint(
                condition=Q(missed_reason="")
                | Q(dose=Dose.MISSED, missed_reason__in=MissedReason.values),
                name="day_log_missed_reason_only_for_a_missed_dose",
            ),
        ]

    def __str__(self):
        return f"{self.patient} on {self.date}"


class AnswerQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def on(self, date):
        return self.filter(date=date)

    def between(self, start, end):
        return self.filter(date__range=(start, end))


def _range_condition():
    # One clause per attribute: its value must sit in its own range.
    clauses = Q()
    for attribute, maximum in ATTRIBUTE_MAXIMUM.items():
        clauses |= Q(attribute=attribute, value__gte=0, value__lte=maximum)
    return clauses


class Answer(models.Model):
    """One value: a patient's answer for one day, symptom and attribute.

    The unique constraint is what makes every save an upsert: a double submit,
    two tabs or a retried request all land on the same row.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="answers")
    date = models.DateField()
    # PROTECT: retiring a symptom hides it; its logged values are never deleted.
    symptom = models.ForeignKey(Symptom, on_delete=models.PROTECT, related_name="answers")
    attribute = models.CharField(max_length=20, choices=Attribute.choices)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=AnswerStatus.choices, default=AnswerStatus.ANSWERED
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["date", "attribute"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date", "symptom", "attribute"],
                name="one_value_per_patient_day_symptom_attribute",
            ),
            models.CheckConstraint(
                condition=Q(status=AnswerStatus.ANSWERED, value__isnull=False) & _range_condition()
                | Q(
                    status__in=[
                        AnswerStatus.NOT_SEXUALLY_ACTIVE,
                        AnswerStatus.PREFER_NOT_TO_ANSWER,
                    ],
                    value__isnull=True,
                ),
                name="answer_value_in_range_or_opted_out",
            ),
        ]
        indexes = [models.Index(fields=["patient", "date"], name="answer_patient_date")]

    def __str__(self):
        return f"{self.patient} {self.date} {self.symptom.slug} {self.attribute}={self.value}"


def save_answers(
    *,
    patient: Patient,
    date: dt.date,
    symptom: Symptom,
    values: dict[str, tuple[int | None, str]],
    cleared: list[str] = (),
) -> None:
    """Store each (value, status) by attribute for one symptom and day, replacing what was there.

    Writes are upserts (INSERT ... ON CONFLICT DO UPDATE), so concurrent saves of
    the same answer leave exactly one row holding the last value.
    """
    if not values and not cleared:
        return
    with transaction.atomic():
        cleared = [*cleared, *_auto_zeroes_to_clear(patient, date, symptom, values)]
        # Marks the day as logged (and when), creating its DayLog if needed.
        DayLog.objects.bulk_create(
            [DayLog(patient=patient, date=date)],
            update_conflicts=True,
            unique_fields=["patient", "date"],
            update_fields=["updated_at"],
        )
        if values:
            Answer.objects.bulk_create(
                [
                    Answer(
                        patient=patient,
                        date=date,
                        symptom=symptom,
                        attribute=attribute,
                        value=value,
                        status=status,
                    )
                    for attribute, (value, status) in values.items()
                ],
                update_conflicts=True,
                unique_fields=["patient", "date", "symptom", "attribute"],
                update_fields=["value", "status", "updated_at"],
            )
        if cleared:
            Answer.objects.filter(
                patient=patient, date=date, symptom=symptom, attribute__in=cleared
            ).delete()
        refresh_scores(patient=patient, date=date)


def _auto_zeroes_to_clear(patient, date, symptom, values) -> list[str]:
    """Answers that were zeroed only because an earlier answer was 0, now that it isn't.

    While an answer is 0 the later questions are hidden, so their stored zeroes
    cannot have been chosen; once it moves off 0 they are cleared to be asked again.
    """
    order = symptom.attributes
    raised = [a for a in order if a in values and values[a][0] not in (0, None)]
    if not raised:
        return []
    was_zero = set(
        Answer.objects.filter(
            patient=patient, date=date, symptom=symptom, attribute__in=raised, value=0
        ).values_list("attribute", flat=True)
    )
    clear: list[str] = []
    for attribute in order:
        if attribute in was_zero:
            position = order.index(attribute)
            clear += order[position + 1 :]
            if position == 0:
                clear += symptom.extras()
            break
    return [a for a in clear if a not in values]


def day_scores(rows) -> dict:
    """What the trend charts need from one day's answers, given (symptom, attribute, value) rows."""
    by_symptom: dict[Symptom, dict[str, int | None]] = {}
    for symptom, attribute, value in rows:
        by_symptom.setdefault(symptom, {})[attribute] = value
    scores: dict = {"grades": {}, "very_severe": []}
    for symptom, values in by_symptom.items():
        grade = day_grade(symptom, values)
        if grade is not None:
            scores["grades"][symptom.slug] = grade
        if values.get(Attribute.SEVERITY) == 4:
            scores["very_severe"].append(symptom.slug)
        for measure in (
            Attribute.WORST_PAIN,
            Attribute.STIFFNESS_MINUTES,
            Attribute.NIGHT_AWAKENINGS,
        ):
            if values.get(measure) is not None:
                scores[measure.value] = values[measure]
        if any(values.get(a) is not None for a in EPISODE_ATTRIBUTES):
            scores["episodes"] = [values.get(a) or 0 for a in EPISODE_ATTRIBUTES]
    return scores


def refresh_scores(*, patient: Patient, date: dt.date) -> None:
    """Recompute the day's derived scores (called inside the saving transaction)."""
    rows = [
        (answer.symptom, answer.attribute, answer.value)
        for answer in Answer.objects.for_patient(patient).on(date).select_related("symptom")
    ]
    DayLog.objects.filter(patient=patient, date=date).update(scores=day_scores(rows))


def save_day_fields(*, patient: Patient, date: dt.date, fields: dict) -> None:
    """Upsert only the given DayLog fields, leaving the others as another tab left them."""
    if set(fields) == {"missed_reason"}:
        # A reason belongs to a missed dose only; set it where that is so.
        DayLog.objects.filter(patient=patient, date=date, dose=Dose.MISSED).update(
            missed_reason=fields["missed_reason"], updated_at=timezone.now()
        )
        return
    if fields.get("dose", Dose.MISSED) != Dose.MISSED:
        fields = {**fields, "missed_reason": ""}
    DayLog.objects.bulk_create(
        [DayLog(patient=patient, date=date, **fields)],
        update_conflicts=True,
        unique_fields=["patient", "date"],
        update_fields=[*fields, "updated_at"],
    )


def day_grade(symptom: Symptom, answers_by_attribute: dict[str, int | None]) -> int | None:
    """Composite grade of one symptom on one day; None until all its questions are answered."""
    if not symptom.is_complete(answers_by_attribute):
        return None
    return composite_grade(*(answers_by_attribute.get(a) for a in PRO_CTCAE_ATTRIBUTES))
