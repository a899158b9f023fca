"""The diary as a CSV file: one row a logged day, one column per question, the
values exactly as stored (opt-outs in words), for a spreadsheet or a study. The header
row and the words in the cells follow the active language; the dates stay ISO."""

import csv
import datetime as dt
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from ..models import (
    ATTRIBUTE_MAXIMUM,
    SITE_ATTRIBUTES,
    Attribute,
    DayLog,
    OptOut,
    Patient,
    Symptom,
    SymptomLog,
    sites_in,
)

# The header row, for people opening the file in a spreadsheet (nothing reads it back).
DAY_COLUMNS = [
    gettext_lazy("date"),
    gettext_lazy("medicine taken"),
    gettext_lazy("reason missed"),
    gettext_lazy("thinking about stopping"),
    gettext_lazy("note"),
]
ATTRIBUTE_ORDER = {attribute: index for index, attribute in enumerate(Attribute.values)}
READ = ["date", "symptom_id", "recall_days", "opt_out", "sites", *ATTRIBUTE_MAXIMUM]


def _text(value: str) -> str:
    """Free text that a spreadsheet would run as a formula gets a leading quote (OWASP)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    # Translators: a cell of the CSV file: thinking about stopping the medicine that day.
    return pgettext("csv cell", "yes") if value else pgettext("csv cell", "no")


def answers(opt_out: str, sites: int | None, values: dict) -> dict[str, int | OptOut]:
    """One symptom-day's answers by question, as exports give them: numbers as stored,
    an opt-out as the severity answer, and each site as 1 or 0 once sites were answered."""
    found: dict[str, int | OptOut] = {c: v for c, v in values.items() if v is not None}
    if opt_out:
        found[Attribute.SEVERITY] = OptOut(opt_out)
    if sites is not None:
        chosen = sites_in(sites)
        found.update({site.value: int(site in chosen) for site in SITE_ATTRIBUTES})
    return found


def _header(symptom: str, recall: int, question: str) -> str:
    """A question's column: "Hot flashes: How bad at its worst"."""
    if recall == 7:
        # Translators: a column of the CSV file; a weekly answer about the past 7 days.
        return _("%(symptom)s (weekly, past 7 days): %(question)s") % {
            "symptom": symptom,
            "question": question,
        }
    # Translators: a column of the CSV file: a symptom, then one of its questions.
    return _("%(symptom)s: %(question)s") % {"symptom": symptom, "question": question}


def daily_csv(patient: Patient, *, start: dt.date, end: dt.date) -> str:
    """Three queries: the days, the symptoms' rows, and the symptoms."""
    days = {day.date: day for day in DayLog.objects.for_patient(patient).between(start, end)}
    symptoms = Symptom.objects.in_bulk()
    by_date: dict[dt.date, dict[tuple[int, int, str], str]] = {}
    for date, symptom_id, recall, opt_out, sites, *values in (
        SymptomLog.objects.for_patient(patient).between(start, end).values_list(*READ).order_by()
    ):
        found = answers(opt_out, sites, dict(zip(ATTRIBUTE_MAXIMUM, values, strict=True)))
        row = by_date.setdefault(date, {})
        for question, answer in found.items():
            text = str(answer.label) if isinstance(answer, OptOut) else str(answer)
            row[symptom_id, recall, question] = text
    # Only the questions that were answered in the period, in the check-in's order;
    # weekly answers (about the 7 days up to their date) in columns of their own.
    questions = sorted(
        {key for row in by_date.values() for key in row},
        key=lambda q: (symptoms[q[0]].position, symptoms[q[0]].name, q[1], ATTRIBUTE_ORDER[q[2]]),
    )
    headers = [
        _header(symptoms[pk].display_name, recall, Attribute(question).label)
        for pk, recall, question in questions
    ]

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(column) for column in DAY_COLUMNS] + headers)
    logged = {date for date, day in days.items() if day.is_logged} | by_date.keys()
    for date in sorted(logged):
        day = days.get(date) or DayLog(date=date)
        row = by_date.get(date, {})
        writer.writerow(
            [
                date.isoformat(),
                day.get_dose_display() if day.dose else "",
                day.get_missed_reason_display() if day.missed_reason else "",
                _yes_no(day.considering_stopping),
                _text(day.note),
                *(row.get(question, "") for question in questions),
            ]
        )
    return out.getvalue()
