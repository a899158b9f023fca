"""The dashboard: every chart on one time axis, with words, tables and flags beside it."""

import datetime as dt
import html
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

import orjson
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import rules
from ..models import Baseline, Patient, Therapy, TimelineEvent
from ..rules import Adherence
from ..text import join, padded_date
from .charts import (
    adherence_figure,
    grade_figure,
    grade_names,
    marker_tags,
    measure_figure,
    number,
)
from .flags import JOINT_PAIN_CHANGE, Flag, flags, remembered
from .overview import Overview, build_overview, level
from .series import (
    DAILY_DAYS,
    ROLLING_DAYS,
    Sampled,
    columns,
    load_days,
    measures,
    rolling_mean,
    weekly_means,
)
from .summaries import Summary, summarize, table_periods, table_rows


class Marker(NamedTuple):
    """A line on the charts: a therapy start, a treatment, an appointment or a scan."""

    date: dt.date
    label: str
    kind: str
    tag: str  # what the chart writes beside the line (see charts.marker_tags)
    until: dt.date | None = None  # a treatment's last day in the period; None: a one-off
    earlier: bool = False  # a treatment begun before the period (its label says since when)


def _words(value, unit: str) -> str:
    """A value in words: grades get their name, measures their unit."""
    if value is None:
        return _("not logged")
    if unit == "grade":
        # Half-up, not Python's round-half-to-even: 2.5 reads as "severe", like 1.5 as "moderate".
        return f"{number(value)} ({grade_names()[level(value)]})"
    return f"{number(value)}{unit}"


def _cell(value, decimal: str = ".") -> str:
    if value is None:
        return "–"
    return str(value) if decimal == "." else str(value).replace(".", decimal)


@cache  # every chart's table has the same periods
def _label(text: str) -> str:
    return html.escape(text)  # the standard library's: no lazy-text checks


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
    series: str = ""  # "grade", "worst_pain", … (see rules.SERIES)
    adherence: Adherence | None = None  # the adherence chart's counts
    baseline_words: str = ""  # what the baseline is ("before letrozole", …)

    @property
    def table_body(self) -> str:
        """The table's rows as HTML. Built here, not by a template loop: five years have
        about 3,000 cells, and the template engine's localizing of each number was
        about a third of the whole dashboard's time. Numbers print as the template
        printed them; labels are escaped."""
        cell, escape = _cell, _label
        decimal = formats.get_format("DECIMAL_SEPARATOR")  # the language's, as a template's
        return mark_safe(  # noqa: S308 - every label escaped, numbers only otherwise
            "".join(
                f'<tr><th scope="row">{escape(label)}</th><td>{cell(high, decimal)}</td>'
                f"<td>{cell(average, decimal)}</td></tr>"
                for label, high, average in self.table
            )
        )

    @property
    def figure_json(self) -> str:
        # orjson is plotly's own fast JSON engine: a fifth of json.dumps's time here.
        return orjson.dumps(self.figure).decode()

    @property
    def summary_text(self) -> str:
        """The chart in words: the text alternative and the summary beside it."""
        s = self.summary
        if self.adherence is not None:
            return self.adherence.words
        if not s.days_logged:
            return _("Nothing logged in this period.")
        n = s.days_logged
        if s.worst is None:  # logged, but never with every question answered
            if s.weekly:
                text = ngettext(
                    "Answered once a week, %(count)s time, each about the past 7 days, never "
                    "with every question answered, so there is no grade to show.",
                    "Answered once a week, %(count)s times, each about the past 7 days, never "
                    "with every question answered, so there is no grade to show.",
                    n,
                )
            else:
                text = ngettext(
                    "Logged on %(count)s day, never with every question answered, so there is "
                    "no grade to show.",
                    "Logged on %(count)s days, never with every question answered, so there "
                    "is no grade to show.",
                    n,
                )
            return text % {"count": n}
        if s.now is not None or not s.weekly:
            # Translators: the first sentence of a chart's summary is made of these
            # parts, joined by semicolons: "Last 7 days: …; baseline (…): …; this
            # period averaged …". %(value)s is a value in words ("1.3 (mild)", "4/10").
            parts = [_("Last 7 days: %(value)s") % {"value": _words(s.now, self.unit)}]
        else:
            parts = [_("No weekly answer in the last 7 days")]
        if s.baseline is not None:
            parts.append(
                # Translators: a part of a chart's summary; %(what)s says what the
                # baseline is ("before letrozole"), %(value)s is its value.
                _("baseline (%(what)s): %(value)s")
                % {"what": self.baseline_words, "value": _words(s.baseline, self.unit)}
            )
        elif self.baseline_words:
            # Translators: a part of a chart's summary; %(what)s says what the baseline
            # is, or that it is still being set.
            parts.append(_("baseline %(what)s") % {"what": self.baseline_words})
        change = s.change_from_previous
        if change is not None:
            unit = "" if self.unit == "grade" else self.unit
            amount = {"change": f"{number(abs(change))}{unit}"}
            if change > 0:
                parts.append(
                    # Translators: a part of a chart's summary; %(change)s is a number
                    # with its unit, if any ("1.5", "2/10", "10 min").
                    _("this period averaged %(change)s higher than the one before") % amount
                )
            elif change < 0:
                parts.append(
                    _("this period averaged %(change)s lower than the one before") % amount
                )
            else:
                parts.append(_("this period averaged the same as the one before"))
        date, value = s.worst
        highest = {
            "count": n,
            "value": _words(value, self.unit),
            "date": padded_date(date),
        }
        if s.weekly:
            last = ngettext(
                "Answered once a week, %(count)s time, each about the past 7 days; the "
                "highest was %(value)s on %(date)s.",
                "Answered once a week, %(count)s times, each about the past 7 days; the "
                "highest was %(value)s on %(date)s.",
                n,
            )
        else:
            last = ngettext(
                "Logged on %(count)s day; the highest was %(value)s on %(date)s.",
                "Logged on %(count)s days; the highest was %(value)s on %(date)s.",
                n,
            )
        words = "; ".join(parts) + ". " + last % highest
        if self.series == "flash_score":
            words += f" {FLASH_SCORE_NOTE}"
        return words


# Ripple's diary has three levels of hot flash (after the FDA guidance), Sloan's NCCTG
# diary four: the scores are not on the same scale (CLINICAL.md, derived figures).
FLASH_SCORE_NOTE = gettext_lazy(
    "Ripple's score counts three levels of hot flash, so it can't be compared with "
    "scores published from four-level diaries."
)

# The measures charted beside the grades: how each is titled (%(name)s: the symptom's
# name), its unit and axis.
MEASURES = {
    "worst_pain": ("worst-pain", gettext_lazy("%(name)s: worst pain (0–10)"), "/10", {"y_max": 10, "unit": "/10", "band": JOINT_PAIN_CHANGE}),
    "stiffness_minutes": ("stiffness", gettext_lazy("%(name)s: morning stiffness (minutes)"), " min", {"y_max": 30, "unit": " min"}),
    "flash_count": ("flash-count", gettext_lazy("%(name)s a day"), "", {"y_max": 5, "unit": "", "bars": True}),
    "flash_score": ("flash-score", gettext_lazy("%(name)s: score (episodes × severity)"), "", {"y_max": 8, "unit": ""}),
}  # fmt: skip


def build_dashboard(
    *, days, symptoms, therapies, events, baselines, start, end
) -> tuple[list[Chart], list[Flag], list]:
    """Every chart of the dashboard, the flags for the week ending at `end`, and the
    markers. `days` must hold the range, the period of the same length before it and
    the 13 days before `end` (see window()); `baselines` are the stored ones by
    symptom id."""

    def until(event):  # a treatment goes on to its stop date; anything else is one day
        return min(event.ends_on or end, end) if event.is_period else None

    def since(event):  # a treatment that began before the period
        # Translators: a treatment begun before the period shown, and since when.
        return _("%(title)s (since %(date)s)") % {
            "title": event.title,
            "date": padded_date(event.starts_on),
        }

    markers = [
        (t.started_on, t.display_name, "therapy", None, False)
        for t in therapies
        if start <= t.started_on <= end
    ]
    markers += [
        (e.starts_on, e.title, e.kind, until(e), False)
        for e in events
        if start <= e.starts_on <= end
    ]
    # Treatments that began earlier and are still going show at the left edge.
    markers += [
        (start, since(e), e.kind, until(e), True)
        for e in events
        if e.starts_on < start and e.is_period and (e.ends_on is None or e.ends_on >= start)
    ]
    markers.sort(key=lambda m: m[:3])
    markers = [
        Marker(date, label, kind, tag, stop, earlier)
        for (date, label, kind, stop, earlier), tag in zip(
            markers, marker_tags(markers), strict=True
        )
    ]
    length = (end - start).days + 1
    origin = min(days[0].date, start) if days else start
    cols = columns(days, origin=origin, length=(end - origin).days + 1, symptoms=symptoms)
    here = (start - origin).days
    charts: list[Chart] = []
    periods = table_periods(start, length)
    lead = min(here, ROLLING_DAYS - 1)  # the days before the range that its first means need

    def add(series, symptom, title, unit, figure_kwargs):
        column = cols[series, symptom.pk]
        values = column[here:]
        baseline = baselines.get(symptom.pk)
        # A baseline still being set compares with nothing: a first day of 8/10 is not
        # "no change from baseline".
        base = baseline.of(series) if baseline and baseline.complete else None
        # A grade chart counts the days the symptom was logged, answered in full or not.
        logged, weekly = None, None
        if series == "grade":
            logged = len(values) - cols["entry", symptom.pk][here:].count(None)
            weekly = cols["weekly", symptom.pk]
            if not logged and weekly[here:].count(None) != len(values):
                # Asked weekly in this period: its words and table are of the weekly
                # answers, each a point about its 7 days.
                column, values = weekly, weekly[here:]
                logged, weekly = None, None
                figure_kwargs = {**figure_kwargs, "weekly": values}
            else:
                figure_kwargs = {**figure_kwargs, "weekly": weekly[here:]}
        summary = summarize(
            values, column[max(0, here - length) : here], start=start, baseline_value=base,
            kind=series, days_logged=logged,
        )  # fmt: skip
        summary.weekly = series == "grade" and weekly is None
        make = grade_figure if series == "grade" else measure_figure
        if summary.weekly:  # its weekly answers are the chart (figure_kwargs["weekly"])
            daily, rolling = [None] * len(values), [None] * len(values)
        elif length > DAILY_DAYS:  # the 7-day average once a week: days would be a smear
            daily, rolling = None, weekly_means(values)
        else:
            daily, rolling = values, rolling_mean(column[here - lead :], skip=lead)
        rolling = _until_last(rolling, values)
        figure = make(
            start=start, end=end, daily=daily, rolling=rolling, baseline=base,
            markers=markers, labelled=not charts, **figure_kwargs,
        )  # fmt: skip
        key = f"{MEASURES[series][0] if series in MEASURES else 'grade'}-{symptom.slug}"
        table = table_rows(values, periods)
        chart = Chart(key, title, figure, summary, unit, table, symptom.slug, values, series)
        if baseline is not None and baseline.days:
            chart.baseline_words = (
                baseline.label(therapies)
                if baseline.complete
                else _("still being set (%(days)s of %(total)s days logged)")
                % {"days": baseline.days, "total": rules.BASELINE_DAYS}
            )
        charts.append(chart)

    for series, (_key, title, unit, options) in MEASURES.items():
        for symptom in symptoms:
            if series in measures(symptom):
                add(series, symptom, title % {"name": symptom.display_name}, unit, options)
    for symptom in symptoms:
        add("grade", symptom, symptom.display_name, "grade", {})

    doses = [d or "" for d in cols["dose"][here:]]
    adherence = Adherence.of(doses, days=length)
    charts.append(
        Chart("adherence", _("Medicine taken"), adherence_figure(start=start, end=end, doses=doses, markers=markers),
              Summary(days_logged=adherence.answered, now=adherence.percent), "%", [],
              adherence=adherence)
    )  # fmt: skip
    flags_ = flags(days=days, end=end, symptoms=symptoms, baselines=baselines)
    return charts, flags_, markers


def _until_last(rolling, values):
    """The 7-day average stops at the last day logged: past it, it would go on
    averaging old days as if they were recent."""
    last = next((i for i in range(len(values) - 1, -1, -1) if values[i] is not None), -1)
    if isinstance(rolling, Sampled):
        means = [
            None if rolling.first + k * rolling.every > last else mean
            for k, mean in enumerate(rolling.means)
        ]
        return rolling._replace(means=means)
    return rolling[: last + 1] + [None] * (len(rolling) - last - 1)


def window(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The days the dashboard for start..end reads: the range, the period of the same
    length before it (for "the period before" and the first 7-day averages) and the
    last 14 days to `end` (for the flags). Never the whole diary."""
    length = (end - start).days + 1
    before = min(
        start - dt.timedelta(days=max(length, ROLLING_DAYS - 1)), end - dt.timedelta(days=13)
    )
    return before, end


@dataclass
class Dashboard:
    charts: list[Chart]
    flags: list[Flag]
    markers: list[Marker]
    therapies: list  # in order of start
    days: list  # every day read (see window())
    baselines: dict  # by symptom id
    symptoms: list = field(default_factory=list)  # tracked, in order
    overview: Overview | None = None


def read_dashboard(
    patient: Patient, *, start: dt.date, end: dt.date, therapies: list | None = None
) -> Dashboard:
    """build_dashboard() for a patient, reading in five queries the days it needs, the
    symptoms they track, their baselines, therapies and timeline; a sixth (and a write
    when they change) keeps the flags when the range ends today. `therapies`, in order
    of start, saves reading them again where the caller has."""
    days = load_days(patient, start=window(start, end)[0], end=end)
    if therapies is None:
        therapies = list(Therapy.objects.for_patient(patient).order_by("started_on", "id"))
    events = list(TimelineEvent.objects.for_patient(patient).overlapping(start, end))
    baselines = {b.symptom_id: b for b in Baseline.objects.filter(patient=patient)}
    symptoms = list(patient.symptoms_to_ask())
    charts, flags_, markers = build_dashboard(
        days=days,
        symptoms=symptoms,
        therapies=therapies,
        events=events,
        baselines=baselines,
        start=start,
        end=end,
    )
    if end == patient.today():  # flags of today are kept, and show when they were seen
        flags_ = remembered({patient.pk: flags_}, {patient.pk: end})[patient.pk]
    overview = build_overview(
        charts=charts, therapies=therapies, markers=markers, start=start, end=end
    )
    return Dashboard(charts, flags_, markers, therapies, days, baselines, symptoms, overview)


def baseline_text(baselines, therapies) -> str:
    """Where the baselines come from, in words: a reader must know what they compare
    with (see baselines.baseline_rule). Baselines still being set compare with nothing."""
    whole = [b for b in baselines if b.days and b.complete]
    windows = {(b.label(therapies), b.starts_on, b.ends_on) for b in whole}
    if not windows:
        return "" if not baselines else _("still being set, so nothing is compared with it yet")
    if len(windows) > 1:
        labels = join(sorted({label for label, _first, _last in windows}))
        # Translators: %(labels)s lists what each symptom's baseline is.
        return _("each symptom's own: %(labels)s") % {"labels": labels}
    label, first, last = windows.pop()
    # Translators: what the baseline is ("before letrozole"), and its first and last days.
    return _("%(label)s (%(first)s to %(last)s)") % {
        "label": label,
        "first": padded_date(first),
        "last": padded_date(last),
    }
