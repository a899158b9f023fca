"""A patient's days as series: one list of daily values per chart, and their rolling
means. Pure functions of the data, apart from load_days(), which reads a window of
days in one query.

Which series a symptom has follows what it asks (worst pain and stiffness for pain
details, hot flashes a day and their score for episodes), never its slug."""

import datetime as dt
import re
from itertools import accumulate
from operator import sub
from typing import NamedTuple

import orjson
from django.db import connection
from django.db.models import Case, TextField, Value, When
from django.db.models.functions import Cast

from ..models.diary import FIGURES, GRADE, WORST_PAIN, DayLog, Patient, Symptom, figure

ROLLING_DAYS = 7
ROLLING_LEAST = 4  # days logged of the 7 for a 7-day average
# Beyond a year, a chart's days are a smear of marks at any screen or paper size: it
# draws its 7-day average once a week instead (see weekly_means).
DAILY_DAYS = 366

# Where each measure sits in a symptom's entry of DayLog.figures (see models.figure).
MEASURE_INDEX = {name: FIGURES.index(name) for name in FIGURES[WORST_PAIN:]}


class DayRow(NamedTuple):
    date: dt.date
    dose: str
    considering_stopping: bool | int | None  # SQLite's driver gives 0 or 1: read it as true or not
    figures: dict  # {symptom id as text: that symptom's entry (see models.FIGURES)}


def load_days(patient: Patient, *, start: dt.date, end: dt.date) -> "Days":
    """The patient's days from `start` to `end`, oldest first, in one query."""
    return days_of([patient], start=start, end=end)[patient.pk]


def days_of(
    patients, *, start: dt.date, end: dt.date, figures_from: dt.date | None = None
) -> dict[int, "Days"]:
    """Each patient's days from `start` to `end`, oldest first, in one query; the
    days' figures only from `figures_from` on, if given (earlier days' are empty).

    The ORM writes the query; its rows are read straight from the cursor, and every
    day's figures decoded in one orjson call: for five years that is a third of the
    time of the ORM's row-by-row conversions and decoding."""
    if not patients:
        return {}
    figures = Cast("figures", TextField())
    if figures_from is not None:
        figures = Case(
            When(date__gte=figures_from, then=figures),
            default=Value("{}"),
            output_field=TextField(),
        )
    query = (
        DayLog.objects.filter(patient__in=[patient.pk for patient in patients])
        .between(start, end)
        .order_by("patient", "date")
        # The date as text, read by date.fromisoformat (in C) below: SQLite's driver
        # would call Django's converter, in Python, once a row.
        .values_list("patient", Cast("date", TextField()), "dose", "considering_stopping", figures)
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    text = "[" + ",".join(row[4] for row in rows) + "]"
    figures = orjson.loads(text)
    # Which symptoms have weekly answers here: one search of the text, so that the
    # many diaries without any build no weekly columns (see columns()).
    weekly = {int(pk) for pk in WEEKLY_KEY.findall(text)}
    days: dict[int, Days] = {patient.pk: Days(weekly) for patient in patients}
    date = dt.date.fromisoformat
    for (patient, day_text, dose, stopping, _), day in zip(rows, figures, strict=True):
        days[patient].append(DayRow(date(day_text), dose, stopping, day))
    return days


WEEKLY_KEY = re.compile(r'"w(\d+)"')


class Days(list):
    """Days in order, with the ids of the symptoms that have weekly answers among them
    (of any of the patients read together)."""

    def __init__(self, weekly_ids=None):
        super().__init__()
        self.weekly_ids = weekly_ids


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
    (series, symptom id), plus ("entry", symptom id) (its entry in the day's figures,
    None where it was not logged), ("weekly", symptom id) (the grades of its weekly
    answers, on the days they were given) and "dose".

    The days are laid out once; each series is then one comprehension over them, not
    one pass over the days a chart: five years of 18 charts is ~33,000 look-ups."""
    weekly_ids = getattr(days, "weekly_ids", None)  # None: not known, look at every day
    figures: list[dict | None] = [None] * length
    dose: list[str | None] = [None] * length
    for day in days:
        i = (day.date - origin).days
        if 0 <= i < length:
            figures[i], dose[i] = day.figures, day.dose
    cols: dict = {"dose": dose}
    for symptom in symptoms:
        key = str(symptom.pk)
        entries = [day.get(key) if day else None for day in figures]
        cols["entry", symptom.pk] = entries
        # Most entries are the grade alone; the others are lists (see models.figure).
        cols["grade", symptom.pk] = [
            entry if type(entry) is int else (entry[GRADE] if entry else None) for entry in entries
        ]
        # Weekly answers (7-day recall) have their own key and column: a week's answer
        # is one point about seven days, never a day's value (see models.figures_key).
        week_key = "w" + key
        if weekly_ids is None or symptom.pk in weekly_ids:
            cols["weekly", symptom.pk] = [
                figure(e, GRADE) if day and (e := day.get(week_key)) is not None else None
                for day in figures
            ]
        else:
            cols["weekly", symptom.pk] = [None] * length
        for series in measures(symptom):
            index = MEASURE_INDEX[series]
            cols[series, symptom.pk] = [
                entry[index] if type(entry) is list and len(entry) > index else None
                for entry in entries
            ]
    return cols


class _Means(dict):
    """Rounded means by window key (total × stride + count), each worked out once: the
    daily values are small whole numbers, so few keys recur in thousands of windows."""

    def __init__(self, stride: int, least: int, digits: int):
        super().__init__()
        self.stride, self.least, self.digits = stride, least, digits

    def __missing__(self, key: int) -> float | None:
        total, count = divmod(key, self.stride)
        self[key] = None if count < self.least else round(total / count, self.digits)
        return self[key]


def rolling_mean(
    values: list[int | None],
    window: int = ROLLING_DAYS,
    *,
    skip: int = 0,
    digits: int = 1,
    least: int = ROLLING_LEAST,
) -> list[float | None]:
    """Mean of the logged values in each trailing window, rounded to `digits`; None
    where fewer than `least` days were logged, so two days after a gap don't pass
    for a week. The first `skip` values only fill the first window."""
    # Each day adds value × stride + 1 to a running key, so a window's key (the
    # difference of two running keys) holds both its total and its count, and the
    # loops run in C (accumulate, map): it matters for 17 charts of five years each.
    stride = window + 1
    keys = [0] * window + list(
        accumulate([0 if v is None else v * stride + 1 for v in values], initial=0)
    )
    windows = map(sub, keys[stride + skip :], keys[1 + skip : len(values) + 1])
    return list(map(_Means(stride, least, digits).__getitem__, windows))


class Sampled(NamedTuple):
    """Means on every `every`-th day from day `first` of a range (see weekly_means)."""

    first: int
    every: int
    means: list


def weekly_means(
    values: list[int | None], *, digits: int = 1, least: int = ROLLING_LEAST
) -> Sampled:
    """The 7-day average once a week: what rolling_mean() gives on every 7th day,
    counted back from the last, so the last is the average of the last 7 days. The
    days before the first (fewer than a week) start no mean of their own."""
    first = len(values) % ROLLING_DAYS
    stride = ROLLING_DAYS + 1
    keys = list(accumulate([0 if v is None else v * stride + 1 for v in values[first:]], initial=0))
    windows = map(sub, keys[ROLLING_DAYS::ROLLING_DAYS], keys[0::ROLLING_DAYS])
    means = list(map(_Means(stride, least, digits).__getitem__, windows))
    return Sampled(first + ROLLING_DAYS - 1, ROLLING_DAYS, means)
