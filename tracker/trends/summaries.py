"""The words and tables beside a chart: pure functions of its daily values."""

import datetime as dt
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..rules import mean
from ..text import padded_date, short_month
from .charts import number
from .flags import JOINT_PAIN_CHANGE
from .series import ROLLING_DAYS

FLASH_FALL = 0.5  # a fall of half or more in hot flashes a day is a meaningful improvement


@dataclass
class Summary:
    """The words beside a chart."""

    days_logged: int
    now: float | None = None  # mean of the last 7 days of the range
    period_mean: float | None = None
    previous_mean: float | None = None
    baseline: float | None = None
    worst: tuple[dt.date, float] | None = None
    meaningful: str = ""
    weekly: bool = False  # of weekly answers (7-day recall), not days

    @property
    def change_from_baseline(self) -> float | None:
        if self.now is None or self.baseline is None:
            return None
        return round(self.now - self.baseline, 1)

    @property
    def change_from_previous(self) -> float | None:
        if self.period_mean is None or self.previous_mean is None:
            return None
        return round(self.period_mean - self.previous_mean, 1)


def mean_logged(values) -> float | None:
    """The mean of the logged values (None: not logged), to one decimal."""
    present = [v for v in values if v is not None]
    return round(mean(present), 1) if present else None


def summarize(
    values: list[float | None],
    previous: list[float | None],
    *,
    start: dt.date,
    baseline_value: float | None,
    kind: str = "grade",
    days_logged: int | None = None,
) -> Summary:
    """`days_logged` defaults to the days with a value."""
    present = [v for v in values if v is not None]
    summary = Summary(
        days_logged=len(present) if days_logged is None else days_logged,
        baseline=baseline_value and round(baseline_value, 1),
    )
    if not present:
        return summary
    summary.now = mean_logged(values[-ROLLING_DAYS:])
    summary.period_mean = mean_logged(values)
    summary.previous_mean = mean_logged(previous)
    highest = max(present)
    worst = len(values) - 1 - values[::-1].index(highest)  # the latest such day
    summary.worst = (start + dt.timedelta(days=worst), highest)
    summary.meaningful = meaningful_change(summary, kind)
    return summary


def meaningful_change(summary: Summary, kind: str) -> str:
    """Judged only where the clinical brief gives a threshold."""
    change = summary.change_from_baseline
    if change is None:
        return ""
    if kind == "worst_pain":
        if change >= JOINT_PAIN_CHANGE:
            return _(
                # Translators: about worst pain out of 10; %(points)s is a number (2, 2.5).
                "Up %(points)s points from baseline: at or over the 2 points studies count as meaningful."
            ) % {"points": number(change)}
        if change <= -JOINT_PAIN_CHANGE:
            return _(
                "Down %(points)s points from baseline: at or over the 2 points studies count as meaningful."
            ) % {"points": number(-change)}
        return _("Within 2 points of baseline: under the change studies count as meaningful.")
    if kind == "flash_count" and summary.baseline:
        fall = (summary.baseline - summary.now) / summary.baseline
        if fall >= FLASH_FALL:
            return _(
                # Translators: about hot flashes a day; %(percent)s is a percentage ("50%").
                "%(percent)s fewer than baseline: at or over the fall by half that studies count as meaningful."
            ) % {"percent": f"{fall:.0%}"}
    return ""


def table_periods(start: dt.date, length: int) -> list[tuple[str, int, int]]:
    """Rows of the table alternative as (label, first index, last index + 1): daily up
    to a month, weekly up to a year (a Monday start), then monthly."""
    periods: list[tuple[str, int, int]] = []
    index = 0
    while index < length:
        day = start + dt.timedelta(days=index)
        if length <= 31:
            label = f"{dateformat.format(day, 'D d')} {short_month(day.month)}"
            following = day + dt.timedelta(days=1)
        elif length <= 366:
            monday = day - dt.timedelta(days=day.weekday())
            # Translators: a row of a table, the week that starts on that Monday.
            label = _("Week of %(date)s") % {"date": padded_date(monday)}
            following = monday + dt.timedelta(days=7)
        else:
            label = capfirst(dateformat.format(day, pgettext("date format", "F Y")))
            following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        stop = min(length, (following - start).days)
        periods.append((label, index, stop))
        index = stop
    return periods


def table_rows(values, periods) -> list[tuple[str, float | None, float | None]]:
    """The chart as rows: the highest daily value of each period, as a recall over the
    period would give (Mendoza 2017), and the average."""
    rows = []
    for label, first, stop in periods:
        present = [v for v in values[first:stop] if v is not None]
        if present:
            rows.append((label, max(present), round(sum(present) / len(present), 1)))
        else:
            rows.append((label, None, None))
    return rows
