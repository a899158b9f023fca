"""The appointment report: one period of the diary, ready for a two-minute look.

The same Report feeds the page, the print and PDF versions, the share link and
the clinician's view, so they never disagree. It reads the diary in a constant
number of queries (see build_report)."""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.utils import timezone

from .models import EventKind, Patient, ReportSection, Therapy, TimelineEvent
from .trends import Chart, Flag, build_dashboard, load_days

DEFAULT_DAYS = 90
ALL_SECTIONS = list(ReportSection.values)


def default_period(patient: Patient, today: dt.date) -> tuple[dt.date, dt.date]:
    """Since the last recorded appointment before today, else the last 90 days."""
    last = (
        TimelineEvent.objects.for_patient(patient)
        .filter(kind=EventKind.APPOINTMENT, starts_on__lt=today)
        .order_by("-starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    return (last or today - dt.timedelta(days=DEFAULT_DAYS - 1)), today


@dataclass
class Row:
    """One line of the summary table."""

    title: str
    unit: str
    days_logged: int
    median: float | None
    worst: float | None
    average: float | None
    previous: float | None  # the average of the period of the same length before
    baseline: float | None
    now: float | None
    change: float | None
    judgement: str  # the meaningful-change verdict, where the brief gives a threshold
    grade_days: list[int] | None = None  # days at none, mild, moderate, severe

    @property
    def is_grade(self) -> bool:
        return self.grade_days is not None


def _row(chart: Chart) -> Row:
    present = [v for v in chart.values if v is not None]
    summary = chart.summary
    grade_days = [present.count(g) for g in range(4)] if chart.unit == "grade" else None
    return Row(
        title=chart.title,
        unit="" if chart.unit == "grade" else chart.unit,
        days_logged=summary.days_logged,
        median=statistics.median(present) if present else None,
        worst=max(present) if present else None,
        average=summary.period_mean,
        previous=summary.previous_mean,
        baseline=summary.baseline,
        now=summary.now,
        change=summary.change_from_baseline,
        judgement=summary.meaningful,
        grade_days=grade_days,
    )


@dataclass
class Adherence:
    taken: int = 0
    missed: int = 0
    unsure: int = 0

    @property
    def answered(self) -> int:
        return self.taken + self.missed + self.unsure

    @property
    def percent(self) -> int | None:
        return round(100 * self.taken / self.answered) if self.answered else None


@dataclass
class Report:
    patient: Patient
    start: dt.date
    end: dt.date
    sections: list[str]
    days_logged: int
    therapies: list[Therapy]
    charts: list[Chart]
    rows: list[Row]
    flags: list[Flag]
    markers: list
    adherence: Adherence
    notes: str
    generated_at: dt.datetime = field(default_factory=timezone.now)

    def __contains__(self, section: str) -> bool:
        return section in self.sections

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_empty(self) -> bool:
        return self.days_logged == 0

    @property
    def symptom_charts(self) -> list[Chart]:
        return [c for c in self.charts if c.key != "adherence"]

    @property
    def therapy_lines(self) -> list[str]:
        """The medicine in words: what was taken when, switches included."""
        lines = []
        for index, therapy in enumerate(self.therapies):
            following = self.therapies[index + 1] if index + 1 < len(self.therapies) else None
            if following and following.started_on <= self.start:
                continue  # ended before the period
            verb = "Started" if index == 0 else "Switched to"
            until = f", until {following.started_on:%d %b %Y}" if following else ""
            lines.append(f"{verb} {therapy.display_name} on {therapy.started_on:%d %b %Y}{until}.")
        return lines


def build_report(
    patient: Patient, *, start: dt.date, end: dt.date, sections=ALL_SECTIONS, days=None
) -> Report:
    """The report for start..end. Five queries: the days, the symptoms, the
    therapies, the timeline (and the patient, if not loaded)."""
    if days is None:
        days = load_days(patient, until=end)
    therapies = list(Therapy.objects.for_patient(patient).order_by("started_on", "id"))
    events = list(TimelineEvent.objects.for_patient(patient).overlapping(start, end))
    charts, flags, markers = build_dashboard(
        days=days,
        symptoms=list(patient.symptoms_to_ask()),
        therapies=therapies,
        events=events,
        start=start,
        end=end,
    )
    in_period = [d for d in days if start <= d.date <= end]
    adherence = Adherence(
        taken=sum(d.dose == "taken" for d in in_period),
        missed=sum(d.dose == "missed" for d in in_period),
        unsure=sum(d.dose == "unsure" for d in in_period),
    )
    return Report(
        patient=patient,
        start=start,
        end=end,
        sections=[s for s in ALL_SECTIONS if s in sections],
        days_logged=len(in_period),
        therapies=therapies,
        charts=charts,
        rows=[_row(c) for c in charts if c.key != "adherence"],
        flags=flags,
        markers=markers,
        adherence=adherence,
        notes=patient.visit_notes,
    )
