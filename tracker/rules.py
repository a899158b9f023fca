"""One definition of each rule that turns answers into figures: what bothered a
patient, a severe day, the hot-flash count and score, the baseline, worse than
baseline, and adherence. Pure functions of plain values: the writer, the pages, the
exports, the flags and the migrations all call these, so they never disagree.

The composite grade is tracker.grading.grade() and branching is tracker.branching.
Unanswered is missing everywhere: None is never counted as 0.
"""

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

BASELINE_DAYS = 7  # the reference week
BASELINE_LEAST_BEFORE = 5  # logged days before the medicine began that make a baseline
SEVERE_GRADE = 3
VERY_SEVERE = 4  # the top of the severity scale
WORSE_LEAST_GRADE = 2  # a day worse than baseline is at least moderate


def bothered(values: Mapping[str, int | None]) -> bool:
    """Anything above zero: a grade, a rating, a pain score, an episode, a waking,
    a place that hurt. An opt-out or a 0 reports nothing."""
    return any(value for value in values.values())


def is_severe(grade: int | None, severity: int | None) -> bool:
    """A severe day for one symptom: the highest grade, or "very severe" chosen."""
    return grade == SEVERE_GRADE or severity == VERY_SEVERE


def flash_count(mild: int | None, moderate: int | None, severe: int | None) -> int | None:
    """Hot flashes in a day; None when no level was answered (a level left empty
    beside an answered one counts as none of that level)."""
    if mild is None and moderate is None and severe is None:
        return None
    return (mild or 0) + (moderate or 0) + (severe or 0)


def flash_score(mild: int | None, moderate: int | None, severe: int | None) -> int | None:
    """Episodes × weighted severity (after Sloan, JCO 2001), which comes to
    mild + 2 × moderate + 3 × severe. Ripple's three levels follow the FDA diary, so
    the score is not comparable with published four-level NCCTG scores."""
    if mild is None and moderate is None and severe is None:
        return None
    return (mild or 0) + 2 * (moderate or 0) + 3 * (severe or 0)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values given, leaving out the missing ones; None if none is left."""
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


# --- Series and baseline -------------------------------------------------------

# What the charts draw for a symptom: its grade, and the measures it asks.
SERIES = ["grade", "worst_pain", "stiffness_minutes", "flash_count", "flash_score"]


def series_values(day: Mapping[str, int | None]) -> dict[str, int | None]:
    """Each series of one symptom on one day, from its answers and grade."""
    episodes = (day.get("episodes_mild"), day.get("episodes_moderate"), day.get("episodes_severe"))
    return {
        "grade": day.get("grade"),
        "worst_pain": day.get("worst_pain"),
        "stiffness_minutes": day.get("stiffness_minutes"),
        "flash_count": flash_count(*episodes),
        "flash_score": flash_score(*episodes),
    }


def baseline_means(days: Iterable[Mapping[str, int | None]]) -> dict[str, float | None]:
    """The mean of each series over the baseline days, leaving out what is missing."""
    values = [series_values(day) for day in days]
    return {series: mean(day[series] for day in values) for series in SERIES}


def baseline_days(
    *, before_therapy: Sequence, first: Sequence, recall_days: int = 1
) -> tuple[Sequence, bool]:
    """The days a symptom's baseline is taken from, and whether they came before the
    medicine began: the last 7 days logged before therapy started when there are at
    least 5, else the first 7 days logged (the clinical brief's reference week).

    `before_therapy` holds up to the last 7 logged days before therapy began, and
    `first` the first 7 logged days, each as the caller reads them; for a weekly
    symptom (recall_days 7), one answer each, which covers a week."""
    if len(before_therapy) * recall_days >= BASELINE_LEAST_BEFORE:
        return before_therapy, True
    return first, False


def baseline_complete(days: int, before_therapy: bool, chosen: bool = False) -> bool:
    """A baseline from before therapy, or a week a clinician chose, is whole once it
    has a day; one from the first logged days needs all 7 of them (until then, later
    days may still join it)."""
    return (before_therapy and days > 0) or (chosen and days > 0) or days >= BASELINE_DAYS


def worse_than_baseline(grade: int | None, on: dt.date, baseline) -> bool:
    """A grade at least one whole grade above the patient's own baseline grade for the
    symptom (rounded half up), and moderate or worse (CLINICAL.md, flags): only once the
    baseline is whole, and never on one of its own days. `baseline` has the fields of
    models.Baseline (the row itself, or a light copy of it, see Baseline.objects.light)."""
    worse = worse_than(baseline)
    return worse is not None and worse(grade, on)


def worse_than(baseline) -> Callable[[int | None, dt.date], bool] | None:
    """worse_than_baseline() for one baseline, worked out once for a reader of many days
    (a panel of 200 patients reads 13 symptoms × 14 days each); None while the baseline
    cannot judge."""
    if baseline.grade is None or not baseline_complete(
        baseline.days, baseline.before_therapy, bool(baseline.chosen_by)
    ):
        return None
    least = max(WORSE_LEAST_GRADE, math.floor(baseline.grade + 0.5) + 1)
    starts, ends = baseline.starts_on, baseline.ends_on

    def worse(grade: int | None, on: dt.date) -> bool:
        return (
            grade is not None
            and grade >= least
            and not (starts is not None and starts <= on <= ends)
        )

    return worse


# --- Adherence -----------------------------------------------------------------


@dataclass(frozen=True)
class Adherence:
    """Doses over a period, counted over the days the dose question was answered:
    a day without an answer is unknown, never "missed"."""

    taken: int = 0
    missed: int = 0
    unsure: int = 0
    days: int = 0  # in the period

    @classmethod
    def of(cls, doses: Iterable[str], *, days: int) -> "Adherence":
        doses = list(doses)
        return cls(doses.count("taken"), doses.count("missed"), doses.count("unsure"), days)

    @property
    def answered(self) -> int:
        return self.taken + self.missed + self.unsure

    @property
    def unanswered(self) -> int:
        return max(0, self.days - self.answered)

    @property
    def percent(self) -> int | None:
        return round(100 * self.taken / self.answered) if self.answered else None

    @property
    def words(self) -> str:
        """The figure with what it rests on, so 100% from 1 answer in 30 days says so."""
        if not self.answered:
            return gettext("No doses recorded in this period.")
        taken = ngettext(
            "Medicine taken on %(percent)s%% of the %(count)s day answered",
            "Medicine taken on %(percent)s%% of the %(count)s days answered",
            self.answered,
        ) % {"percent": self.percent, "count": self.answered}
        if not self.unanswered:
            return gettext("%(taken)s.") % {"taken": taken}
        missing = ngettext(
            "%(count)s day of %(days)s not answered",
            "%(count)s days of %(days)s not answered",
            self.unanswered,
        ) % {"count": self.unanswered, "days": self.days}
        return gettext("%(taken)s; %(missing)s.") % {"taken": taken, "missing": missing}
