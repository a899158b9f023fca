"""The history calendar: a month of days, logged or missing, at a glance."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Min

from ..models import GRADE, DayLog, Patient, figure
from .day import GRADE_WORDS


@dataclass
class DayCell:
    date: dt.date
    in_month: bool
    future: bool
    before_diary: bool = False
    logged: bool = False
    worst_grade: int | None = None
    dose: str = ""

    @property
    def worst_words(self) -> str:
        return str(GRADE_WORDS.get(self.worst_grade, ""))

    @property
    def missing(self) -> bool:
        return self.in_month and not self.future and not self.before_diary and not self.logged

    @property
    def grade_bars(self) -> range:
        return range(self.worst_grade or 0)


@dataclass
class MonthOverview:
    month: dt.date
    today: dt.date
    weeks: list[list[DayCell]]
    previous_month: dt.date
    next_month: dt.date | None

    @property
    def days(self) -> list[DayCell]:
        return [d for week in self.weeks for d in week if d.in_month and not d.future]

    @property
    def logged_count(self) -> int:
        return sum(1 for d in self.days if d.logged)

    @property
    def missing_count(self) -> int:
        return sum(1 for d in self.days if d.missing)


def month_overview(*, patient: Patient, month: dt.date, today: dt.date) -> MonthOverview:
    """Build a Monday-first calendar of one month from two small queries: the month's
    days (with their figures) and the first logged day."""
    weeks_of_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    logs = {log.date: log for log in DayLog.objects.for_patient(patient).between(first, last)}
    # Days before the diary began are not "missing": there was nothing to log yet.
    first_log = DayLog.objects.for_patient(patient).logged().aggregate(first=Min("date"))["first"]
    joined = patient.created_at.astimezone(patient.zone).date()
    diary_start = min(first_log, joined) if first_log else joined

    weeks = []
    for week in weeks_of_dates:
        cells = []
        for date in week:
            cell = DayCell(
                date=date,
                in_month=date.month == month.month,
                future=date > today,
                before_diary=date < diary_start,
            )
            log = logs.get(date)
            if log is not None:
                cell.logged = log.is_logged
                grades = [g for e in log.figures.values() if (g := figure(e, GRADE)) is not None]
                cell.worst_grade = max(grades) if grades else None
                cell.dose = log.dose
            cells.append(cell)
        weeks.append(cells)

    previous_month = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return MonthOverview(
        month=month,
        today=today,
        weeks=weeks,
        previous_month=previous_month,
        next_month=following if following <= today else None,
    )
