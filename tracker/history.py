"""The history calendar: a month of days, logged or missing, at a glance."""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from .checkin import GRADE_WORDS
from .models import PRO_CTCAE_ATTRIBUTES, Answer, DayLog, Patient, day_grade


@dataclass
class DayCell:
    date: dt.date
    in_month: bool
    future: bool
    logged: bool = False
    symptoms_logged: int = 0
    worst_grade: int | None = None
    dose: str = ""

    @property
    def worst_words(self) -> str:
        return GRADE_WORDS.get(self.worst_grade, "")

    @property
    def missing(self) -> bool:
        return self.in_month and not self.future and not self.logged


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
    """Build a Monday-first calendar of one month from two queries."""
    weeks_of_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks_of_dates[0][0], weeks_of_dates[-1][-1]

    logs = {
        log.date: log
        for log in DayLog.objects.filter(patient=patient, date__range=(first, last)).only(
            "date", "dose"
        )
    }
    values: dict[dt.date, dict[int, dict[str, int | None]]] = defaultdict(lambda: defaultdict(dict))
    for date, symptom_id, attribute, value in (
        Answer.objects.for_patient(patient)
        .between(first, last)
        .values_list("date", "symptom_id", "attribute", "value")
        .order_by()
    ):
        values[date][symptom_id][attribute] = value

    weeks = []
    for week in weeks_of_dates:
        cells = []
        for date in week:
            cell = DayCell(date=date, in_month=date.month == month.month, future=date > today)
            symptoms = values.get(date, {})
            cell.logged = date in logs or bool(symptoms)
            cell.symptoms_logged = len(symptoms)
            grades = [
                day_grade(attrs)
                for attrs in symptoms.values()
                if any(a in attrs for a in PRO_CTCAE_ATTRIBUTES)
            ]
            grades = [g for g in grades if g is not None]
            cell.worst_grade = max(grades) if grades else None
            cell.dose = logs[date].dose if date in logs else ""
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
