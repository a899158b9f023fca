"""The dashboard: every chart on one time axis, with words, tables and flags beside it."""

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import orjson

from ..models import Patient, Therapy, TimelineEvent
from .charts import GRADE_LABELS, adherence_figure, grade_figure, marker_tags, measure_figure
from .flags import Flag, FlagContext, flags
from .series import ROLLING_DAYS, DayRow, column_baseline, columns, rolling_mean
from .summaries import JOINT_PAIN_CHANGE, Summary, _buckets, _table, summarize


class Marker(NamedTuple):
    """A line on the charts: a therapy start, a treatment, an appointment or a scan."""

    date: dt.date
    label: str
    kind: str
    tag: str  # what the chart writes beside the line (see charts.marker_tags)


def _words(value, unit: str) -> str:
    """A value in words: grades get their name, measures their unit."""
    if value is None:
        return "not logged"
    if unit == "grade":
        # Half-up, not Python's round-half-to-even: 2.5 reads as "severe", like 1.5 as "moderate".
        return f"{value:g} ({GRADE_LABELS[min(3, math.floor(value + 0.5))]})"
    return f"{value:g}{unit}"


@dataclass
class Chart:
    key: str
    title: str
    figure: dict
    summary: Summary
    unit: str
    table: list[tuple[str, float | None, float | None]]  # (period, highest, average)
    explains: str = ""  # symptom slug, for the "learn more" link
    values: list = field(default_factory=list, repr=False)  # the daily values drawn

    @property
    def figure_json(self) -> str:
        # orjson is plotly's own fast JSON engine: a fifth of json.dumps's time here.
        return orjson.dumps(self.figure).decode()

    @property
    def summary_text(self) -> str:
        """The chart in words: the text alternative and the summary beside it."""
        s = self.summary
        if self.key == "adherence":
            if not s.days_logged:
                return "No doses recorded in this period."
            return f"Medicine taken on {s.now}% of the {s.days_logged} days answered."
        if not s.days_logged:
            return "Nothing logged in this period."
        parts = [f"Last 7 days: {_words(s.now, self.unit)}"]
        if s.baseline is not None:
            parts.append(f"baseline: {_words(s.baseline, self.unit)}")
        change = s.change_from_previous
        if change is not None:
            unit = "" if self.unit == "grade" else self.unit
            if change:
                direction = "higher" if change > 0 else "lower"
                parts.append(
                    f"this period averaged {abs(change):g}{unit} {direction} than the one before"
                )
            else:
                parts.append("this period averaged the same as the one before")
        date, value = s.worst
        return (
            "; ".join(parts)
            + f". Logged on {s.days_logged} days; the highest was {_words(value, self.unit)} on {date:%d %b %Y}."
        )


def build_dashboard(
    *, days, symptoms, therapies, events, start, end
) -> tuple[list[Chart], list[Flag], list]:
    """Every chart of the dashboard, the flags for the week ending at `end`, and the markers."""
    markers = [
        (t.started_on, t.display_name, "therapy") for t in therapies if start <= t.started_on <= end
    ]
    markers += [(e.starts_on, e.title, e.kind) for e in events if start <= e.starts_on <= end]
    # Treatments that began earlier and are still going show at the left edge.
    markers += [
        (start, f"{e.title} (since {e.starts_on:%d %b %Y})", e.kind)
        for e in events
        if e.starts_on < start and (e.ends_on is None or e.ends_on >= start)
    ]
    markers.sort()
    markers = [Marker(*m, tag) for m, tag in zip(markers, marker_tags(markers), strict=True)]
    length = (end - start).days + 1
    # Columns start at the first logged day (or the range, if earlier): nothing is
    # logged before it, so the period before the range needs no room of its own.
    origin = min(days[0].date, start) if days else start
    slugs = [s.slug for s in symptoms]
    cols = columns(days, origin, (end - origin).days + 1, slugs)
    here = (start - origin).days
    therapy_index = (therapies[0].started_on - origin).days if therapies else None
    charts: list[Chart] = []
    baselines: dict[str, float | None] = {}
    buckets = _buckets(start, length)
    lead = min(here, ROLLING_DAYS - 1)  # the days before the range that its first means need

    def add(key, title, column, *, kind, unit, figure_kwargs, explains=""):
        values = cols[column][here:]
        base = baselines[column] = column_baseline(cols[column], therapy_index)
        previous = cols[column][max(0, here - length) : here]
        summary = summarize(values, previous, start=start, baseline_value=base, kind=kind)
        make = grade_figure if kind == "grade" else measure_figure
        figure = make(
            start=start, end=end, daily=values, baseline=base,
            rolling=rolling_mean(cols[column][here - lead :], skip=lead),
            markers=markers, labelled=not charts, **figure_kwargs,
        )  # fmt: skip
        table = _table(values, buckets)
        charts.append(Chart(key, title, figure, summary, unit, table, explains, values))

    if "joint-pain" in slugs:
        add("worst-pain", "Worst joint pain (0–10)", "worst_pain", kind="worst_pain", unit="/10",
            figure_kwargs={"y_max": 10, "unit": "/10", "band": JOINT_PAIN_CHANGE}, explains="joint-pain")  # fmt: skip
        add("stiffness", "Morning stiffness (minutes)", "stiffness_minutes", kind="minutes",
            unit=" min", figure_kwargs={"y_max": 30, "unit": " min"}, explains="joint-pain")  # fmt: skip
    if "hot-flashes" in slugs:
        add("flash-count", "Hot flashes a day", "flash_count", kind="flash_count", unit="",
            figure_kwargs={"y_max": 5, "unit": "", "bars": True}, explains="hot-flashes")  # fmt: skip
        add("flash-score", "Hot-flash score (episodes × severity)", "flash_score", kind="score", unit="",
            figure_kwargs={"y_max": 8, "unit": ""}, explains="hot-flashes")  # fmt: skip
    for symptom in symptoms:
        add(f"grade-{symptom.slug}", symptom.name, symptom.slug, kind="grade", unit="grade",
            figure_kwargs={}, explains=symptom.slug)  # fmt: skip

    doses = [d or "" for d in cols["dose"][here:]]
    taken = doses.count("taken")
    answered = length - doses.count("")
    adherence = Summary(
        days_logged=answered, now=round(100 * taken / answered) if answered else None
    )
    charts.append(
        Chart("adherence", "Medicine taken", adherence_figure(start=start, end=end, doses=doses, markers=markers),
              adherence, "%", [])
    )  # fmt: skip

    context = FlagContext(
        days=[d for d in days if d.date >= end - dt.timedelta(days=13)],
        end=end,
        baselines={slug: baselines.get(slug) for slug in slugs},
        names={s.slug: s.name for s in symptoms},
        pain_baseline=baselines.get("worst_pain"),
    )
    return charts, flags(context), markers


def read_dashboard(patient: Patient, *, days: list[DayRow], start: dt.date, end: dt.date):
    """build_dashboard() for a patient, with their symptoms, therapies and timeline read
    in three queries: (charts, flags, markers, therapies in order)."""
    therapies = list(Therapy.objects.for_patient(patient).order_by("started_on", "id"))
    events = list(TimelineEvent.objects.for_patient(patient).overlapping(start, end))
    charts, flags_, markers = build_dashboard(
        days=days,
        symptoms=list(patient.symptoms_to_ask()),
        therapies=therapies,
        events=events,
        start=start,
        end=end,
    )
    return charts, flags_, markers, therapies
