"""A patient's days as series: one list of daily values per chart, and their rolling
means. Pure functions of the data, apart from load_days(), which reads the days in
one query."""

import datetime as dt
from typing import NamedTuple

import orjson
from django.db.models import TextField
from django.db.models.functions import Cast

from ..models import DayLog, Patient

ROLLING_DAYS = 7


ROLLING_LEAST = 4  # days logged of the 7 for a 7-day average


BASELINE_DAYS = 7


class DayRow(NamedTuple):
    date: dt.date
    dose: str
    considering_stopping: bool | None
    scores: dict


def load_days(patient: Patient, *, until: dt.date) -> list[DayRow]:
    """Every logged day up to `until`, oldest first, in one query.

    The scores come back as text and are decoded in one orjson call: for five
    years that is a sixth of the time of json.loads row by row."""
    rows = list(
        DayLog.objects.filter(patient=patient, date__lte=until)
        .order_by("date")
        .values_list("date", "dose", "considering_stopping", Cast("scores", TextField()))
    )
    scores = orjson.loads("[" + ",".join(row[3] for row in rows) + "]")
    return [DayRow(row[0], row[1], row[2], score) for row, score in zip(rows, scores, strict=True)]


def mean(values):
    """Arithmetic mean of an iterable (statistics.mean is exact, and far slower)."""
    values = list(values)
    return sum(values) / len(values)


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


MEASURES = ["worst_pain", "stiffness_minutes", "flash_count", "flash_score"]


def columns(days: list[DayRow], origin: dt.date, length: int, slugs: list[str]) -> dict[str, list]:
    """Every series the dashboard draws, one list a series, indexed by days since origin.

    One pass over the days: five years of 18 charts is ~33,000 look-ups, not
    one pass per chart."""
    cols: dict[str, list] = {key: [None] * length for key in [*MEASURES, *slugs, "dose"]}
    grade_cols = [(slug, cols[slug]) for slug in slugs]
    pain, stiffness, count, score, dose = (cols[k] for k in [*MEASURES, "dose"])
    for day in days:
        i = (day.date - origin).days
        if not 0 <= i < length:
            continue
        scores = day.scores
        dose[i] = day.dose
        if grades := scores.get("grades"):
            for slug, col in grade_cols:
                col[i] = grades.get(slug)
        pain[i] = scores.get("worst_pain")
        stiffness[i] = scores.get("stiffness_minutes")
        if episodes := scores.get("episodes"):
            count[i] = episodes[0] + episodes[1] + episodes[2]
            score[i] = episodes[0] + 2 * episodes[1] + 3 * episodes[2]
    return cols


def column_baseline(column: list, therapy_index: int | None) -> float | None:
    """The patient's own starting point for a series: the days logged before therapy
    began, else the first 7 logged days."""
    if therapy_index is not None and therapy_index > 0:
        before = [v for v in column[:therapy_index] if v is not None]
        if before:
            return sum(before) / len(before)
    first = []
    for value in column:
        if value is not None:
            first.append(value)
            if len(first) == BASELINE_DAYS:
                break
    return sum(first) / len(first) if first else None
