"""A patient's days as series: one list of daily values per chart, and their rolling
means. Pure functions of the data, apart from load_days(), which reads a window of
days in one query.

Which series a symptom has follows what it asks (worst pain and stiffness for pain
details, hot flashes a day and their score for episodes), never its slug."""

import datetime as dt
from typing import NamedTuple

import orjson
from django.db.models import TextField
from django.db.models.functions import Cast

from ..models import FIGURES, DayLog, Patient, Symptom

ROLLING_DAYS = 7
ROLLING_LEAST = 4  # days logged of the 7 for a 7-day average

# Where each figure sits in a symptom's entry of DayLog.figures (see models.FIGURES);
# an entry stops after its last value, so the later places may be missing.
GRADE, SEVERITY, WORST_PAIN, STIFFNESS, FLASH_COUNT, FLASH_SCORE = range(len(FIGURES))


def figure(entry: list, index: int) -> int | None:
    return entry[index] if len(entry) > index else None


class DayRow(NamedTuple):
    date: dt.date
    dose: str
    considering_stopping: bool | None
    figures: dict  # {symptom id as text: that symptom's entry (see models.FIGURES)}


def load_days(patient: Patient, *, start: dt.date, end: dt.date) -> list[DayRow]:
    """The patient's days from `start` to `end`, oldest first, in one query."""
    return days_of([patient], start=start, end=end)[patient.pk]


def days_of(patients, *, start: dt.date, end: dt.date) -> dict[int, list[DayRow]]:
    """Each patient's days from `start` to `end`, oldest first, in one query.

    The figures come back as text and are decoded in one orjson call: for five
    years that is a sixth of the time of decoding them row by row."""
    rows = list(
        DayLog.objects.filter(patient__in=patients)
        .between(start, end)
        .order_by("patient", "date")
        .values_list(
            "patient", "date", "dose", "considering_stopping", Cast("figures", TextField())
        )
    )
    figures = orjson.loads("[" + ",".join(row[4] for row in rows) + "]")
    days: dict[int, list[DayRow]] = {patient.pk: [] for patient in patients}
    for row, day in zip(rows, figures, strict=True):
        days[row[0]].append(DayRow(row[1], row[2], row[3], day))
    return days


def measures(symptom: Symptom) -> list[str]:
    """The series a symptom has besides its grade, by what it asks."""
    found = []
    if symptom.asks_pain_details:
        found += ["worst_pain", "stiffness_minutes"]
    if symptom.asks_hot_flash_episodes:
        found += ["flash_count", "flash_score"]
    return found


def columns(days: list[DayRow], *, origin: dt.date, length: int, symptoms: list[Symptom]) -> dict:
    """Every series the dashboard draws, indexed by days since `origin`: keyed by
    (series, symptom id), plus ("logged", symptom id) and "dose".

    One pass over the days: five years of 18 charts is ~33,000 look-ups, not one
    pass per chart."""

    def column():
        return [None] * length

    cols: dict = {"dose": column()}
    plan = []
    for symptom in symptoms:
        cols["grade", symptom.pk] = grade = column()
        cols["logged", symptom.pk] = logged = [False] * length
        pain = stiffness = count = score = None
        if symptom.asks_pain_details:
            cols["worst_pain", symptom.pk] = pain = column()
            cols["stiffness_minutes", symptom.pk] = stiffness = column()
        if symptom.asks_hot_flash_episodes:
            cols["flash_count", symptom.pk] = count = column()
            cols["flash_score", symptom.pk] = score = column()
        plan.append((str(symptom.pk), logged, grade, pain, stiffness, count, score))
    dose = cols["dose"]
    for day in days:
        i = (day.date - origin).days
        if not 0 <= i < length:
            continue
        dose[i] = day.dose
        figures = day.figures
        for key, logged, grade, pain, stiffness, count, score in plan:
            entry = figures.get(key)
            if entry is None:
                continue
            logged[i] = True
            if entry:
                grade[i] = entry[GRADE]
            if pain is not None:
                pain[i], stiffness[i] = figure(entry, WORST_PAIN), figure(entry, STIFFNESS)
            if count is not None:
                count[i], score[i] = figure(entry, FLASH_COUNT), figure(entry, FLASH_SCORE)
    return cols


def rolling_mean(
    values: list[float | None],
    window: int = ROLLING_DAYS,
    *,
    skip: int = 0,
    digits: int = 1,
    least: int = ROLLING_LEAST,
) -> list[float | None]:
    """Mean of the logged values in each trailing window, rounded to `digits`; None
    where fewer than `least` days were logged, so two days after a gap don't pass
    for a week. The first `skip` values only fill the first window."""
    result: list[float | None] = []
    # Rounded means by count, then total: daily values are small whole numbers, so
    # few pairs recur, and rounding each point was most of the dashboard's time.
    rounded: list[dict] = [{} for _ in range(window + 1)]
    total, count = 0, 0
    for index, value in enumerate(values):
        if value is not None:
            total, count = total + value, count + 1
        if index >= window and (old := values[index - window]) is not None:
            total, count = total - old, count - 1
        if index < skip:
            continue
        if count < least:
            result.append(None)
        elif (average := rounded[count].get(total)) is not None:
            result.append(average)
        else:
            result.append(rounded[count].setdefault(total, round(total / count, digits)))
    return result
