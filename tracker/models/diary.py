"""The diary: one row per patient and day (the dose, a note) and one row per patient,
day and symptom (its answers and grade), plus each symptom's stored baseline.

Derived values (a symptom-day's grade, the day's figures, the baselines) have one
writer, tracker.recording, which keeps them fresh in the transaction that saves the
answers; `manage.py rescore` recomputes them all.
"""

import datetime as dt
from typing import NamedTuple

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..grading import grade
from ..text import short_date
from .accounts import Patient
from .catalogue import (
    ANSWER_COLUMNS,
    ATTRIBUTE_MAXIMUM,
    SITE_ATTRIBUTES,
    Attribute,
    Symptom,
    sites_in,
)

# Ripple's diary starts here; earlier dates are typing mistakes.
EARLIEST_DATE = dt.date(2000, 1, 1)


class OptOut(models.TextChoices):
    """The sexual items' other answers: stored as such, scored as missing, never as 0."""

    NOT_SEXUALLY_ACTIVE = "not_active", _("Not sexually active")
    PREFER_NOT_TO_ANSWER = "declined", _("Prefer not to answer")


class Dose(models.TextChoices):
    TAKEN = "taken", _("Yes")
    MISSED = "missed", _("No")
    UNSURE = "unsure", _("Not sure")


class MissedReason(models.TextChoices):
    SIDE_EFFECTS = "side_effects", _("Side effects")
    FORGOT = "forgot", _("Forgot")
    OTHER = "other", _("Something else")


# A symptom's entry in DayLog.figures: what charts, flags and the calendar read, in
# this order, without the empty values at its end. Most days need only the grade, so
# then the entry is that number alone: five years are read back in a few milliseconds.
# Entries are replaced whole when the day is patched (see tracker.recording).
FIGURES = ["grade", "severity", "worst_pain", "stiffness_minutes", "flash_count", "flash_score"]
GRADE, SEVERITY, WORST_PAIN, STIFFNESS, FLASH_COUNT, FLASH_SCORE = range(len(FIGURES))


def figures_entry(answers, grade_: int | None) -> int | list[int | None]:
    """One symptom-day's entry in the day's figures, from its answers and grade."""
    values = {**rules.series_values(answers), "grade": grade_, "severity": answers.get("severity")}
    entry = [values[name] for name in FIGURES]
    while entry and entry[-1] is None:
        entry.pop()
    if grade_ is not None and len(entry) <= 2 and values["severity"] != rules.VERY_SEVERE:
        return grade_  # the severity adds nothing here: only "very severe" is read
    return entry


def figures_key(symptom_id: int, recall_days: int = 1) -> str:
    """A symptom's key in the day's figures: its id for an answer about the day, "w" and
    its id for a weekly one (7-day recall), so that no reader of daily values takes a
    week's answer for one day's."""
    return str(symptom_id) if recall_days == 1 else f"w{symptom_id}"


def figure(entry, index: int) -> int | None:
    """One figure of a symptom's entry in the day's figures (see FIGURES)."""
    if type(entry) is int:
        return entry if index == GRADE else None
    return entry[index] if len(entry) > index else None


class DayLogQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def between(self, start: dt.date, end: dt.date):
        return self.filter(date__range=(start, end))

    def logged(self):
        """Days with any answer: a symptom, the dose, thoughts of stopping or a note
        (the one definition of a logged day; see DayLog.is_logged)."""
        return self.exclude(figures={}, dose="", considering_stopping=None, note="")


class DayLog(models.Model):
    """What a patient recorded about a whole day, and the day's figures: what each
    logged symptom's charts and flags read, so a chart of five years reads one row a day."""

    Dose = Dose
    MissedReason = MissedReason

    patient = models.ForeignKey(
        Patient,
        on_delete=models.CASCADE,
        related_name="day_logs",
        db_index=False,  # the unique key below starts with it
    )
    date = models.DateField()
    dose = models.CharField(max_length=10, choices=Dose.choices, blank=True)
    missed_reason = models.CharField(max_length=20, choices=MissedReason.choices, blank=True)
    considering_stopping = models.BooleanField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    # {symptom id: its entry, [grade, severity, worst pain, …] or the grade alone (see
    # FIGURES)}, for each symptom logged that day. Written only by tracker.recording.
    figures = models.JSONField(default=dict, blank=True, editable=False)
    # When each answer was given (see SymptomLog.answered_at).
    answered_at = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DayLogQuerySet.as_manager()

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

    @property
    def is_logged(self) -> bool:
        return bool(self.figures or self.dose or self.considering_stopping is not None or self.note)


class SymptomLogQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def on(self, date: dt.date):
        return self.filter(date=date)

    def between(self, start: dt.date, end: dt.date):
        return self.filter(date__range=(start, end))


def _answer_ranges() -> Q:
    condition = Q(sites__isnull=True) | Q(sites__lt=1 << len(SITE_ATTRIBUTES))
    for column, maximum in ATTRIBUTE_MAXIMUM.items():
        condition &= Q(**{f"{column}__isnull": True}) | Q(**{f"{column}__lte": maximum})
    return condition


class SymptomLog(models.Model):
    """One symptom on one day: each answer in its own column (empty until answered),
    and the composite grade derived from them.

    The unique key is what makes every save an upsert: a double submit, two tabs or
    a retried request all land on this one row, each setting only what it answered."""

    patient = models.ForeignKey(
        Patient,
        on_delete=models.CASCADE,
        related_name="symptom_logs",
        db_index=False,  # the unique key below starts with it
    )
    date = models.DateField()
    # PROTECT: retiring a symptom hides it; its logged values are never deleted. No
    # index of its own: every read starts from a patient, and the unique key serves it.
    symptom = models.ForeignKey(
        Symptom, on_delete=models.PROTECT, related_name="logs", db_index=False
    )
    frequency = models.PositiveSmallIntegerField(null=True, blank=True)
    severity = models.PositiveSmallIntegerField(null=True, blank=True)
    interference = models.PositiveSmallIntegerField(null=True, blank=True)
    opt_out = models.CharField(max_length=12, choices=OptOut.choices, blank=True)
    worst_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    stiffness_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    episodes_mild = models.PositiveSmallIntegerField(null=True, blank=True)
    episodes_moderate = models.PositiveSmallIntegerField(null=True, blank=True)
    episodes_severe = models.PositiveSmallIntegerField(null=True, blank=True)
    night_awakenings = models.PositiveSmallIntegerField(null=True, blank=True)
    # The places that hurt, as a set: bit i is SITE_ATTRIBUTES[i]. Empty (None) until
    # the question is answered; 0 is "answered, nowhere".
    sites = models.PositiveSmallIntegerField(null=True, blank=True)
    grade = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # What the answers are about: that day (1) or the 7 days ending on it (a weekly
    # check-in). Set when the row is made, by the symptom's cadence then.
    recall_days = models.PositiveSmallIntegerField(
        default=1, choices=[(1, "that day"), (7, "the 7 days up to that day")], editable=False
    )
    # When each answer was given, by column ("severity": milliseconds since 1970, as
    # the device that gave it said). Of two answers to one question the writer keeps
    # the later, so answers a phone kept while offline and sends later never
    # overwrite a newer one given elsewhere in the meantime.
    answered_at = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SymptomLogQuerySet.as_manager()

    class Meta:
        ordering = ["date", "symptom__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date", "symptom"], name="one_log_per_patient_day_symptom"
            ),
            models.CheckConstraint(condition=_answer_ranges(), name="symptom_log_answers_in_range"),
            models.CheckConstraint(
                condition=Q(opt_out="") | Q(opt_out__in=OptOut.values, severity__isnull=True),
                name="symptom_log_opt_out_has_no_severity",
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__lte=3),
                name="symptom_log_grade_0_to_3",
            ),
            models.CheckConstraint(
                condition=Q(recall_days__in=[1, 7]), name="symptom_log_recall_is_a_day_or_a_week"
            ),
        ]

    def __str__(self):
        return f"{self.patient} {self.date} {self.symptom_id}"

    def answers(self) -> dict[str, int | None]:
        """Every answer column by name, sites as their stored number."""
        return {column: getattr(self, column) for column in ANSWER_COLUMNS}

    @property
    def is_logged(self) -> bool:
        """Anything answered, an opt-out included (the one definition of a logged symptom)."""
        return bool(self.opt_out) or any(
            getattr(self, column) is not None for column in ANSWER_COLUMNS
        )

    @property
    def bothered(self) -> bool:
        return rules.bothered(self.answers())

    @property
    def site_list(self) -> list[Attribute]:
        return sites_in(self.sites)

    def graded(self, symptom: Symptom | None = None) -> int | None:
        """The grade its answers give, by the questions the symptom asks now."""
        symptom = symptom or self.symptom
        return grade(symptom.attributes, self.answers(), opted_out=bool(self.opt_out))

    def figures(self) -> int | list[int | None]:
        """Its entry in the day's figures (see FIGURES)."""
        return figures_entry(self.answers(), self.grade)

    @property
    def weekly(self) -> bool:
        return self.recall_days == 7

    @property
    def figures_key(self) -> str:
        return figures_key(self.symptom_id, self.recall_days)


class LightBaseline(NamedTuple):
    """A baseline's figures without the model around them: reading a clinician's
    panel, thousands of model instances cost more than the query."""

    patient_id: int
    symptom_id: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    days: int
    before_therapy: bool
    grade: float | None
    worst_pain: float | None
    chosen_by: str

    def worse(self, grade: int | None, *, on: dt.date) -> bool:
        return rules.worse_than_baseline(grade, on, self)

    @property
    def complete(self) -> bool:
        return rules.baseline_complete(self.days, self.before_therapy, bool(self.chosen_by))


class BaselineQuerySet(models.QuerySet):
    def light(self) -> list[LightBaseline]:
        return [LightBaseline(*row) for row in self.values_list(*LightBaseline._fields)]


class Baseline(models.Model):
    """A patient's own starting point for one symptom (the clinical brief's reference
    week, see rules.baseline_days), with the means of each series over it, and the
    first day the symptom bothered them. Kept fresh by tracker.recording."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="baselines", db_index=False
    )
    symptom = models.ForeignKey(Symptom, on_delete=models.PROTECT, related_name="baselines")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    days = models.PositiveSmallIntegerField(default=0)
    before_therapy = models.BooleanField(default=False)
    # When the patient's first medicine began, as this baseline was worked out: a day
    # logged before it may join a baseline taken from before therapy.
    therapy_started_on = models.DateField(null=True, blank=True)
    # After a switch of medicine, the baseline is that medicine's own (CLINICAL.md).
    after_switch = models.BooleanField(default=False)
    chosen_by = models.CharField(max_length=150, blank=True)  # a week a clinician chose
    grade = models.FloatField(null=True, blank=True)
    worst_pain = models.FloatField(null=True, blank=True)
    stiffness_minutes = models.FloatField(null=True, blank=True)
    flash_count = models.FloatField(null=True, blank=True)
    flash_score = models.FloatField(null=True, blank=True)
    first_noticed_on = models.DateField(
        null=True, blank=True, help_text=_("The first day it bothered the patient.")
    )

    objects = BaselineQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "symptom"], name="one_baseline_per_symptom")
        ]

    def __str__(self):
        return f"{self.patient} {self.symptom_id} from {self.starts_on} to {self.ends_on}"

    def label(self, therapies) -> str:
        """What the baseline is, honestly: most people join Ripple mid-treatment, so a
        first week logged is not "before treatment" (CLINICAL.md, baseline)."""
        if self.chosen_by:
            return gettext("the week from %(date)s, chosen by %(name)s") % {
                "date": short_date(self.starts_on),
                "name": self.chosen_by,
            }
        drug = next((t for t in therapies if t.started_on == self.therapy_started_on), None)
        if drug is None:
            if self.before_therapy:
                return gettext("before your medicine")
            if self.after_switch:
                return gettext("your first week on your medicine")
            return gettext("your first week in Ripple")
        name = drug.display_name.split(" (")[0].lower()
        if self.before_therapy:
            return gettext("before %(medicine)s") % {"medicine": name}
        if self.after_switch:
            return gettext("your first week on %(medicine)s") % {"medicine": name}
        return gettext("your first week in Ripple")

    @property
    def complete(self) -> bool:
        return rules.baseline_complete(self.days, self.before_therapy, bool(self.chosen_by))

    def of(self, series: str) -> float | None:
        """The baseline of one series (see rules.SERIES)."""
        return getattr(self, series)

    def worse(self, grade: int | None, *, on: dt.date) -> bool:
        return rules.worse_than_baseline(grade, on, self)
