"""A patient's course over time: daily series, rolling means, baselines, summaries
and the flags of the clinical brief. Pure functions of the data, apart from
load_days(), which reads the days in one query, and read_dashboard(), which reads
what goes beside them."""

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import orjson
from django.db.models import TextField
from django.db.models.functions import Cast

from .models import DayLog, Patient, Therapy, TimelineEvent

ROLLING_DAYS = 7
ROLLING_LEAST = 4  # days logged of the 7 for a 7-day average
BASELINE_DAYS = 7
JOINT_PAIN_CHANGE = 2  # points on 0-10: a meaningful change (SWOG S0927, S1202)
FLASH_FALL = 0.5  # a fall of half or more in hot flashes a day is a meaningful improvement


class Marker(NamedTuple):
    """A line on the charts: a therapy start, a treatment, an appointment or a scan."""

    date: dt.date
    label: str
    kind: str
    tag: str  # what the chart writes beside the line (see charts.marker_tags)


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


def _mean(values):
    present = [v for v in values if v is not None]
    return round(mean(present), 1) if present else None


def summarize(
    values: list[float | None],
    previous: list[float | None],
    *,
    start: dt.date,
    baseline_value: float | None,
    kind: str = "grade",
) -> Summary:
    present = [v for v in values if v is not None]
    summary = Summary(
        days_logged=len(present), baseline=baseline_value and round(baseline_value, 1)
    )
    if not present:
        return summary
    summary.now = _mean(values[-ROLLING_DAYS:])
    summary.period_mean = round(sum(present) / len(present), 1)
    summary.previous_mean = _mean(previous)
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
            return f"Up {change:g} points from baseline: at or over the 2 points studies count as meaningful."
        if change <= -JOINT_PAIN_CHANGE:
            return f"Down {-change:g} points from baseline: at or over the 2 points studies count as meaningful."
        return "Within 2 points of baseline: under the change studies count as meaningful."
    if kind == "flash_count" and summary.baseline:
        fall = (summary.baseline - summary.now) / summary.baseline
        if fall >= FLASH_FALL:
            return f"{fall:.0%} fewer than baseline: at or over the fall by half that studies count as meaningful."
    return ""


@dataclass(frozen=True)
class Flag:
    rule: str
    why: str
    date: dt.date


@dataclass
class FlagContext:
    days: list[DayRow]
    end: dt.date
    baselines: dict[str, float | None] = field(default_factory=dict)  # grade baseline by slug
    names: dict[str, str] = field(default_factory=dict)  # symptom names by slug
    pain_baseline: float | None = None


def flags(context: FlagContext) -> list[Flag]:
    """The brief's reasons to talk to the care team, at most one per rule for the week
    ending on `end`. They prompt a conversation; they never triage."""
    week_start = context.end - dt.timedelta(days=6)
    fortnight_start = context.end - dt.timedelta(days=13)
    week = [d for d in context.days if week_start <= d.date <= context.end]
    fortnight = [d for d in context.days if fortnight_start <= d.date <= context.end]
    found: list[Flag] = []

    for day in reversed(week):
        grades = day.scores.get("grades", {})
        severe = [slug for slug, grade in grades.items() if grade == 3]
        severe += [s for s in day.scores.get("very_severe", []) if s not in severe]
        if severe:
            names = ", ".join(context.names.get(s, s).lower() for s in severe)
            found.append(
                Flag("severe", f"{names} reached the highest grade or “very severe”", day.date)
            )
            break

    pains = [
        (d.date, d.scores.get("worst_pain")) for d in week if d.scores.get("worst_pain") is not None
    ]
    high = [p for p in pains if p[1] >= 4]
    if high:
        date, value = high[-1]
        found.append(
            Flag("joint_pain", f"worst joint pain {value}/10 (Ripple flags 4 or more)", date)
        )
    elif pains and context.pain_baseline is not None:
        week_mean = mean(v for _, v in pains)
        if week_mean - context.pain_baseline >= JOINT_PAIN_CHANGE:
            found.append(
                Flag(
                    "joint_pain",
                    f"joint pain up {week_mean - context.pain_baseline:.1f} points from baseline",
                    pains[-1][0],
                )
            )

    stopping = [d for d in week if d.considering_stopping]
    missed = [d for d in week if d.dose == DayLog.Dose.MISSED]
    if stopping:
        found.append(
            Flag("stopping", "thinking about stopping because of side effects", stopping[-1].date)
        )
    elif len(missed) >= 3:
        found.append(
            Flag("stopping", f"doses missed on {len(missed)} of the last 7 days", missed[-1].date)
        )

    for slug, base in context.baselines.items():
        if base is None:
            continue
        worse = [
            d
            for d in fortnight
            if (g := d.scores.get("grades", {}).get(slug)) is not None and g > base
        ]
        if len(worse) >= 8:
            name = context.names.get(slug, slug)
            found.append(
                Flag(
                    "worse",
                    f"{name.lower()} worse than baseline on {len(worse)} of the last 14 days",
                    worse[-1].date,
                )
            )
            break
    return found


# --- The dashboard -----------------------------------------------------------


def _words(value, unit: str) -> str:
    """A value in words: grades get their name, measures their unit."""
    if value is None:
        return "not logged"
    if unit == "grade":
        from .charts import GRADE_LABELS

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


def _buckets(start: dt.date, length: int) -> list[tuple[str, int, int]]:
    """Rows of the table alternative as (label, first index, last index + 1): daily up
    to a month, weekly up to a year (a Monday start), then monthly."""
    buckets: list[tuple[str, int, int]] = []
    index = 0
    while index < length:
        day = start + dt.timedelta(days=index)
        if length <= 31:
            label, following = day.strftime("%a %d %b"), day + dt.timedelta(days=1)
        elif length <= 366:
            monday = day - dt.timedelta(days=day.weekday())
            label, following = f"Week of {monday:%d %b %Y}", monday + dt.timedelta(days=7)
        else:
            label = day.strftime("%B %Y")
            following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        stop = min(length, (following - start).days)
        buckets.append((label, index, stop))
        index = stop
    return buckets


def _table(values, buckets) -> list[tuple[str, float | None, float | None]]:
    """The chart as rows: the highest daily value of each period, as a recall over the
    period would give (Mendoza 2017), and the average."""
    rows = []
    for label, first, stop in buckets:
        present = [v for v in values[first:stop] if v is not None]
        rows.append(
            (label, max(present) if present else None, round(mean(present), 1) if present else None)
        )
    return rows


# Series besides each symptom's grade. The hot-flash score is episodes × weighted
# severity (Sloan, JCO 2001), which comes to mild + 2 × moderate + 3 × severe.
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


def build_dashboard(
    *, days, symptoms, therapies, events, start, end
) -> tuple[list[Chart], list[Flag], list]:
    """Every chart of the dashboard, the flags for the week ending at `end`, and the markers."""
    from .charts import adherence_figure, grade_figure, marker_tags, measure_figure

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


def flags_now(*, days: list[DayRow], symptoms, therapies, today: dt.date) -> list[Flag]:
    """The flags for the week ending today, as the dashboard shows them, from days
    that include the baseline's (those before therapy, or the first logged)."""
    if not days:
        return []
    origin = days[0].date
    slugs = [s.slug for s in symptoms]
    cols = columns(days, origin, (today - origin).days + 1, slugs)
    therapy_index = (therapies[0].started_on - origin).days if therapies else None
    context = FlagContext(
        days=[d for d in days if d.date >= today - dt.timedelta(days=13)],
        end=today,
        baselines={slug: column_baseline(cols[slug], therapy_index) for slug in slugs},
        names={s.slug: s.name for s in symptoms},
        pain_baseline=column_baseline(cols["worst_pain"], therapy_index),
    )
    return flags(context)


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
