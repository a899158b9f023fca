"""The appointment report: one period of the diary, ready for a two-minute look.

The same Report feeds the page, the print and PDF versions, the share link and
the clinician's view, so they never disagree. It reads the diary in a constant
number of queries (see build_report)."""

import datetime as dt
import statistics
from dataclasses import dataclass, field, replace

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DayLog, Patient, ReportSection, Therapy, TimelineEvent
from ..rules import Adherence
from ..text import padded_date
from ..trends.dashboard import Chart, baseline_text, read_dashboard
from ..trends.flags import Flag
from ..trends.overview import Overview, build_overview
from .counts import PeriodCounts, count_period

DEFAULT_DAYS = 90
ALL_SECTIONS = list(ReportSection.values)
# Each measure's usual span (its chart's axis); grades run 0-3. Changes are ranked
# as a share of it, so 1 point of pain and 0.3 of a grade weigh the same.
SPANS = {"worst_pain": 10, "stiffness_minutes": 30, "flash_count": 5, "flash_score": 8}
GRADE_SPAN = 3
SMALLEST_CHANGE = 0.1  # a tenth of the span: smaller moves are left to the table
MOST_CHANGES = 4


def default_period(patient: Patient, today: dt.date) -> tuple[dt.date, dt.date]:
    """Since the last recorded appointment before today, else the last 90 days."""
    last = TimelineEvent.objects.for_patient(patient).last_appointment(today)
    return (last or today - dt.timedelta(days=DEFAULT_DAYS - 1)), today


@dataclass
class Row:
    """One line of the summary table."""

    key: str
    series: str
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
    values: list = field(default_factory=list, repr=False)  # the chart's daily values
    weekly: bool = False  # of weekly answers (each about 7 days), counted as answers

    @property
    def is_grade(self) -> bool:
        return self.grade_days is not None

    @property
    def moved(self) -> float:
        """How far the average moved from the period before, as a share of the span."""
        if self.average is None or self.previous is None:
            return 0.0
        return (self.average - self.previous) / SPANS.get(self.series, GRADE_SPAN)


def _row(chart: Chart) -> Row:
    present = [v for v in chart.values if v is not None]
    summary = chart.summary
    grade_days = [present.count(g) for g in range(4)] if chart.unit == "grade" else None
    return Row(
        key=chart.key,
        series=chart.series,
        # Translators: a symptom's row in the summary table, of weekly answers.
        title=_("%(title)s (weekly)") % {"title": chart.title} if summary.weekly else chart.title,
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
        values=chart.values,
        weekly=summary.weekly,
    )


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
    baseline_text: str = ""
    overview: Overview | None = None  # every symptom at a glance (trends.overview)
    counts: PeriodCounts | None = None  # over the whole period (see counts.py)
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @classmethod
    def period_only(cls, patient: Patient, *, start, end, sections=ALL_SECTIONS) -> "Report":
        """The period and how many days were logged in it, without the charts: enough
        for CSV and FHIR, which read the diary themselves. One query."""
        logged = DayLog.objects.for_patient(patient).between(start, end).logged().count()
        return cls(
            patient=patient, start=start, end=end,
            sections=[s for s in ALL_SECTIONS if s in sections], days_logged=logged,
            therapies=[], charts=[], rows=[], flags=[], markers=[], adherence=Adherence(),
            notes=patient.visit_notes,
        )  # fmt: skip

    def __contains__(self, section: str) -> bool:
        return section in self.sections

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_empty(self) -> bool:
        return self.days_logged == 0

    @property
    def changes(self) -> list[Row]:
        """The largest moves against the period before: what changed since the last
        visit, for a reader with two minutes. Numbers only; no verdict."""
        moved = [r for r in self.rows if abs(r.moved) >= SMALLEST_CHANGE]
        return sorted(moved, key=lambda r: -abs(r.moved))[:MOST_CHANGES]

    @property
    def switch(self) -> Therapy | None:
        """The latest change of medicine inside the period, if there was one."""
        later = [t for t in self.therapies[1:] if self.start < t.started_on <= self.end]
        return later[-1] if later else None

    @property
    def since_switch(self) -> list[Row]:
        """The largest moves between the days before the switch and those after it, as
        rows whose `previous` and `average` are those two means."""
        if self.switch is None:
            return []
        cut = (self.switch.started_on - self.start).days
        moves = []
        for row in self.rows:
            before = [v for v in row.values[:cut] if v is not None]
            after = [v for v in row.values[cut:] if v is not None]
            if before and after:
                moves.append(
                    replace(
                        row,
                        previous=round(sum(before) / len(before), 1),
                        average=round(sum(after) / len(after), 1),
                    )
                )
        moved = [m for m in moves if abs(m.moved) >= SMALLEST_CHANGE]
        return sorted(moved, key=lambda r: -abs(r.moved))[:MOST_CHANGES]

    @property
    def has_previous(self) -> bool:
        return any(r.previous is not None for r in self.rows)

    @property
    def symptom_charts(self) -> list[Chart]:
        """The symptom charts with something logged (the others are named in one line)."""
        return [c for c in self.charts if c.key != "adherence" and c.summary.days_logged]

    @property
    def unlogged_titles(self) -> list[str]:
        return [c.title for c in self.charts if c.key != "adherence" and not c.summary.days_logged]

    @property
    def adherence_chart(self) -> Chart | None:
        return next((c for c in self.charts if c.key == "adherence"), None)

    @property
    def therapy_lines(self) -> list[str]:
        """The medicine in words: what was taken when, switches included."""
        lines = []
        for index, therapy in enumerate(self.therapies):
            following = self.therapies[index + 1] if index + 1 < len(self.therapies) else None
            if following and following.started_on <= self.start:
                continue  # ended before the period
            if therapy.started_on > self.end:
                break  # began after it: a link to an old period must not tell later news
            words = {
                "medicine": therapy.display_name,
                "date": padded_date(therapy.started_on),
            }
            if following and following.started_on <= self.end:
                words["until"] = padded_date(following.started_on)
                if index == 0:
                    line = _("Started %(medicine)s on %(date)s, until %(until)s.") % words
                else:
                    line = _("Switched to %(medicine)s on %(date)s, until %(until)s.") % words
            elif index == 0:
                line = _("Started %(medicine)s on %(date)s.") % words
            else:
                line = _("Switched to %(medicine)s on %(date)s.") % words
            lines.append(line)
        return lines


def _overview(dashboard, sections, *, start, end) -> Overview | None:
    """The overview goes with the charts; the medicines on it only with the medicine
    section (a link may leave them out)."""
    if "charts" not in sections:
        return None
    if "therapy" in sections:
        return dashboard.overview
    return build_overview(
        charts=dashboard.charts, therapies=[], markers=dashboard.markers, start=start, end=end
    )


def build_report(
    patient: Patient, *, start: dt.date, end: dt.date, sections=ALL_SECTIONS
) -> Report:
    """The report for start..end, in the dashboard's reads, one count and the period's
    counts (see read_dashboard, count_period): a constant number of queries, whatever
    the period."""
    dashboard = read_dashboard(patient, start=start, end=end)
    doses = [d.dose for d in dashboard.days if start <= d.date <= end]
    return Report(
        patient=patient,
        start=start,
        end=end,
        sections=[s for s in ALL_SECTIONS if s in sections],
        days_logged=DayLog.objects.for_patient(patient).between(start, end).logged().count(),
        therapies=dashboard.therapies,
        charts=dashboard.charts,
        rows=[_row(c) for c in dashboard.charts if c.adherence is None],
        flags=dashboard.flags,
        markers=dashboard.markers,
        adherence=Adherence.of(doses, days=(end - start).days + 1),
        notes=patient.visit_notes,
        baseline_text=baseline_text(dashboard.baselines.values(), dashboard.therapies),
        overview=_overview(dashboard, sections, start=start, end=end),
        counts=count_period(
            patient, days=dashboard.days, symptoms=dashboard.symptoms, start=start, end=end
        ),
    )
