"""The diary as a CSV file: one row a logged day, one column per question, the
values exactly as stored (opt-outs in words), for a spreadsheet or a study."""

import csv
import datetime as dt
import io

from ..models import Answer, Attribute, DayLog, Patient

DAY_COLUMNS = ["date", "medicine taken", "reason missed", "thinking about stopping", "note"]
ATTRIBUTE_ORDER = {attribute: index for index, attribute in enumerate(Attribute.values)}


def _text(value: str) -> str:
    """Free text that a spreadsheet would run as a formula gets a leading quote (OWASP)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def daily_csv(patient: Patient, *, start: dt.date, end: dt.date) -> str:
    """Two queries: the days, and the answers with their symptoms."""
    days = list(DayLog.objects.filter(patient=patient, date__range=(start, end)).order_by("date"))
    answers = list(
        Answer.objects.for_patient(patient)
        .between(start, end)
        .select_related("symptom")
        .order_by("date")
    )
    # Only the questions that were answered in the period, in the check-in's order.
    questions = sorted(
        {(a.symptom.position, a.symptom.name, a.attribute) for a in answers},
        key=lambda q: (q[0], q[1], ATTRIBUTE_ORDER[q[2]]),
    )
    headers = [f"{name}: {Attribute(attribute).label}" for _, name, attribute in questions]
    column = {(name, attribute): i for i, (_, name, attribute) in enumerate(questions)}
    by_date: dict[dt.date, list[str]] = {}
    for answer in answers:
        row = by_date.setdefault(answer.date, [""] * len(questions))
        cell = str(answer.value) if answer.value is not None else answer.get_status_display()
        row[column[(answer.symptom.name, answer.attribute)]] = cell

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DAY_COLUMNS + headers)
    logged = {day.date: day for day in days}
    for date in sorted(logged.keys() | by_date.keys()):
        day = logged.get(date) or DayLog(date=date)
        writer.writerow(
            [
                date.isoformat(),
                day.get_dose_display() if day.dose else "",
                day.get_missed_reason_display() if day.missed_reason else "",
                _yes_no(day.considering_stopping),
                _text(day.note),
                *by_date.get(date, [""] * len(questions)),
            ]
        )
    return out.getvalue()
