"""Trend charts as plotly figure dicts: pure functions, data in, figure out.

Figures are plain dicts (not plotly.graph_objects, which took ~0.5 s for five
years of data) and daily series use x0/dx instead of a date per point, so five
years stay small on the wire. static/ripple/charts.js draws them.
"""

import datetime as dt
from functools import cache
from html import escape

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ..text import short_month
from .series import Sampled

DAY_MS = 86_400_000
# Okabe–Ito: safe for colour-blind readers; meaning never rests on colour alone.
BLUE, ORANGE, VERMILLION, GREEN, SKY, GREY = (
    "#0072B2",
    "#E69F00",
    "#D55E00",
    "#009E73",
    "#56B4E9",
    "#6b7280",
)
GRADE_LABELS = [
    pgettext_lazy("grade", "none"),
    pgettext_lazy("grade", "mild"),
    pgettext_lazy("grade", "moderate"),
    pgettext_lazy("grade", "severe"),
]
WEEKLY_NAME = gettext_lazy("Weekly answer (past 7 days)")
ROLLING_NAME = gettext_lazy("7-day average")
# What plotly.js writes for a date on an axis or in a hover: "%d %b %Y" is "05 Mar 2026".
HOVER_DATE = "%{x|%d %b %Y}"
# plotly.js's own English: nothing to tell it on an English page.
PLOTLY_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def plotly_text(text: str) -> str:
    """Text as plotly shows it literally: it reads <b>, <a href> and the like in
    labels, and %{...} in hover templates, so a title can't smuggle either in."""
    return escape(text).replace("%{", "%&#123;")


def grade_names() -> tuple[str, ...]:
    """GRADE_LABELS in the active language, looked up once a language: every grade
    chart's axis and words name them."""
    return _grade_names(translation.get_language() or "")


@cache
def _grade_names(language: str) -> tuple[str, ...]:
    return tuple(str(label) for label in GRADE_LABELS)


@cache
def _plotly_locale(language: str) -> tuple[dict, str]:
    """plotly.js's config and layout.separators that make it write dates and numbers
    as Django does in `language` (its month names, as short dates write them, and its
    decimal mark); empty where plotly.js's own English already does."""
    months = [short_month(month) for month in range(1, 13)]
    decimal = formats.get_format("DECIMAL_SEPARATOR", language)
    thousands = formats.get_format("THOUSAND_SEPARATOR", language)
    config = {}
    if months != PLOTLY_MONTHS:
        config = {"locale": language, "locales": {language: {"format": {"shortMonths": months}}}}
    separators = "" if decimal == "." else f"{decimal}{thousands}"
    return config, separators


def _figure(data: list, layout: dict) -> dict:
    """A figure for charts.js: in a language other than English, with what plotly.js
    needs to write its dates and numbers in it (a "config", as Plotly.newPlot takes)."""
    config, separators = _plotly_locale(translation.get_language() or "")
    if separators:
        layout["separators"] = separators
    figure = {"data": data, "layout": layout}
    if config:
        figure["config"] = config
    return figure


def number(value: float, spec: str = "g") -> str:
    """A number in words beside the charts, as the page's language writes it: `value`
    formatted by `spec` ("g": 1.5, 2), with the language's decimal mark (1,5 in
    Spanish), as the charts have it (see _plotly_locale)."""
    text = format(value, spec)
    decimal = formats.get_format("DECIMAL_SEPARATOR")
    return text if decimal == "." else text.replace(".", decimal)


def _axis_range(start: dt.date, end: dt.date) -> list[str]:
    return [start.isoformat(), (end + dt.timedelta(days=1)).isoformat()]


def marker_tags(markers) -> list[str]:
    """The label of each marker line: a medicine by its name (switches are few, and they
    are the story), anything else by a number that the words beside the charts explain
    (names of events days apart overlapped)."""
    tags, number = [], 0
    for _date, label, kind, *_rest in markers:
        if kind == "therapy":
            tags.append(label.split(" (")[0])  # "Exemestane (Aromasin)": the drug's own name
        else:
            number += 1
            tags.append(str(number))
    return tags


# A label's share of the narrowest chart (about 260 px wide on a 390 px phone) per
# character, at the 11 px font of the labels: a generous estimate, as the browser's
# measure isn't known here.
LABEL_SHARE = 2.9
LABEL_LINE = 14  # px between lines of labels


def label_lines(items) -> list[int]:
    """For labels at (x in % of the width, text), the line each goes on so that it
    overlaps no earlier label: the first line where it fits, else a new one."""
    ends: list[float] = []  # where the last label on each line ends, in %
    lines = []
    for x, text in items:
        right = x + len(text) * LABEL_SHARE + 2
        line = next((i for i, end in enumerate(ends) if x >= end), len(ends))
        if line == len(ends):
            ends.append(right)
        ends[line] = right
        lines.append(line)
    return lines


def label_room(annotations) -> int:
    """The top margin that the marker labels need (8 px without any)."""
    if not annotations:
        return 8
    return 26 + max(a["yshift"] for a in annotations)


def marker_shapes(markers, *, labelled: bool, span: tuple[dt.date, dt.date] | None = None):
    """Vertical lines for therapy starts and switches, treatments, appointments and scans;
    labelled, each label on a line of its own where it would overlap another (`span`,
    the chart's first and last day, places them)."""
    shapes, annotations = [], []
    tags = marker_tags(markers)
    lines = [0] * len(markers)
    if labelled and span:
        days = (span[1] - span[0]).days + 1
        lines = label_lines(
            [
                (100 * (m[0] - span[0]).days / days, tag)
                for m, tag in zip(markers, tags, strict=True)
            ]
        )
    for (date, label, kind, *_rest), tag, line in zip(markers, tags, lines, strict=True):
        shapes.append(
            {
                "type": "line", "xref": "x", "yref": "paper", "x0": date.isoformat(), "x1": date.isoformat(),
                "y0": 0, "y1": 1, "line": {"color": GREEN if kind == "therapy" else GREY, "width": 1.5, "dash": "dot"},
            }
        )  # fmt: skip
        if labelled:
            annotations.append(
                {
                    "x": date.isoformat(), "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom",
                    "text": plotly_text(tag), "hovertext": plotly_text(label), "showarrow": False,
                    "font": {"size": 11, "color": "#1b2330"}, "xanchor": "left",
                    "yshift": LABEL_LINE * line,
                }
            )  # fmt: skip
    return shapes, annotations


def _layout(start, end, *, y_range, height, shapes, annotations, yaxis_extra=None, top=8):
    return {
        "height": height,
        "margin": {"l": 64, "r": 10, "t": top, "b": 36},
        "xaxis": {"type": "date", "range": _axis_range(start, end), "fixedrange": True, "tickformat": "%d %b\n%Y"},
        "yaxis": {"range": y_range, "fixedrange": True, "zeroline": False, **(yaxis_extra or {})},
        "showlegend": False,
        "shapes": shapes,
        "annotations": annotations,
        "hovermode": "closest",
        "font": {"family": "system-ui, sans-serif", "size": 11, "color": "#1b2330"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }  # fmt: skip


def _daily_trace(start, values, *, name, color, unit, kind="scatter"):
    trace = {
        "type": kind, "x0": start.isoformat(), "dx": DAY_MS, "y": values, "name": name,
        "hovertemplate": f"{HOVER_DATE}: %{{y}}{unit}<extra>{plotly_text(name)}</extra>",
    }  # fmt: skip
    if kind == "bar":
        trace["marker"] = {"color": SKY}
    else:
        trace.update(mode="markers", marker={"color": color, "size": 5})
    return trace


def _rolling_trace(start, values, *, first=0, every=1):
    """The 7-day average: each day's, or from day `first` every `every` days (see
    series.Sampled), each point the average of the 7 days up to its own."""
    x0 = start + dt.timedelta(days=first)
    # Translators: a chart's hover text; %(date)s is a date, %(value)s a number.
    hover = plotly_text(_("7 days to %(date)s: average %(value)s"))
    return {
        "type": "scatter", "mode": "lines", "x0": x0.isoformat(), "dx": DAY_MS * every, "y": values,
        "name": str(ROLLING_NAME), "line": {"color": ORANGE, "width": 2.5}, "connectgaps": False,
        "hovertemplate": hover % {"date": HOVER_DATE, "value": "%{y}"} + "<extra></extra>",
    }  # fmt: skip


def _weekly_trace(start, values):
    """Weekly answers: one point each, drawn apart from the days (a diamond, joined by a
    line), as each is about a whole week."""
    points = [(start + dt.timedelta(days=i), v) for i, v in enumerate(values) if v is not None]
    # Translators: a chart's hover text; %(date)s is a date, %(value)s a grade (0–3).
    hover = plotly_text(_("7 days to %(date)s: %(value)s"))
    return {
        "type": "scatter", "mode": "lines+markers", "name": str(WEEKLY_NAME),
        "x": [day.isoformat() for day, _v in points], "y": [v for _d, v in points],
        "marker": {"color": VERMILLION, "size": 9, "symbol": "diamond"},
        "line": {"color": VERMILLION, "width": 1.5, "dash": "dot"},
        "hovertemplate": hover % {"date": HOVER_DATE, "value": "%{y}"}
        + f"<extra>{plotly_text(_('Weekly answer'))}</extra>",
    }  # fmt: skip


def _baseline_shape(baseline, *, dash="dash"):
    return {
        "type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": baseline, "y1": baseline,
        "line": {"color": "#1b2330", "width": 1.5, "dash": dash},
    }  # fmt: skip


def _averages(start, rolling):
    """The 7-day average's trace: `rolling` is a value a day, or series.Sampled (once
    a week, for a long range)."""
    if isinstance(rolling, Sampled):
        return _rolling_trace(start, rolling.means, first=rolling.first, every=rolling.every)
    return _rolling_trace(start, rolling)


def grade_figure(*, start, end, daily, rolling, baseline, markers, labelled=False, weekly=None):
    """A symptom's composite grade 0–3 a day, its 7-day average and the patient's baseline,
    and the grades of weekly answers (each about the 7 days up to its day), if any.

    The grade bands are labelled on the axis (none … severe), not told by colour."""
    shapes = [
        {
            "type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": g - 0.5, "y1": g + 0.5,
            "fillcolor": "#f1f3f5" if g % 2 else "#ffffff", "line": {"width": 0}, "layer": "below",
        }
        for g in range(4)
    ]  # fmt: skip
    if baseline is not None:
        shapes.append(_baseline_shape(round(baseline, 2)))
    lines, annotations = marker_shapes(markers, labelled=labelled, span=(start, end))
    # daily is None over a long range: the average alone (see series.DAILY_DAYS).
    data = (
        []
        if daily is None
        else [_daily_trace(start, daily, name=_("Grade that day"), color=BLUE, unit="")]
    )
    data.append(_averages(start, rolling))
    if weekly and weekly.count(None) != len(weekly):  # C-level: five years are 1,825 values
        data.append(_weekly_trace(start, weekly))
    return _figure(
        data,
        _layout(
            start, end, y_range=[-0.5, 3.5], height=160 + label_room(annotations) - 8, top=label_room(annotations),
            shapes=shapes + lines, annotations=annotations,
            yaxis_extra={"tickvals": [0, 1, 2, 3], "ticktext": list(grade_names())},
        ),
    )  # fmt: skip


def measure_figure(
    *,
    start,
    end,
    daily,
    rolling,
    baseline,
    markers,
    y_max,
    unit,
    band=None,
    bars=False,
    labelled=False,
):
    """A daily measure (worst pain, stiffness minutes, hot flashes) with its average and
    baseline; `band` shades the baseline ± a meaningful change."""
    shapes = []
    if baseline is not None and band:
        shapes.append(
            {
                "type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                "y0": max(0, baseline - band), "y1": baseline + band,
                "fillcolor": "#e8f1f8", "line": {"width": 0}, "layer": "below",
            }
        )  # fmt: skip
    if baseline is not None:
        shapes.append(_baseline_shape(round(baseline, 2)))
    lines, annotations = marker_shapes(markers, labelled=labelled, span=(start, end))
    drawn = rolling.means if daily is None else daily  # the axis fits what is drawn
    present = [v for v in drawn if v is not None]
    top = max([y_max, *present]) if present else y_max
    data = (
        []
        if daily is None
        else [
            _daily_trace(
                start,
                daily,
                name=_("That day"),
                color=BLUE,
                unit=unit,
                kind="bar" if bars else "scatter",
            )
        ]
    )
    data.append(_averages(start, rolling))
    return _figure(
        data,
        _layout(
            start, end, y_range=[0, top * 1.05], height=160 + label_room(annotations) - 8, top=label_room(annotations),
            shapes=shapes + lines, annotations=annotations,
        ),
    )  # fmt: skip


# Translators: the rows of the chart of a day's dose of the medicine.
ADHERENCE = [
    ("taken", pgettext_lazy("dose", "Taken"), "circle", BLUE),
    ("missed", pgettext_lazy("dose", "Missed"), "x", VERMILLION),
    ("unsure", pgettext_lazy("dose", "Not sure"), "diamond-open", GREY),
]


def adherence_figure(*, start, end, doses, markers):
    """One row of symbols a day: ● taken, ✕ missed, ◇ not sure (shape, not only colour)."""
    data = []
    for position, (value, label, symbol, color) in enumerate(ADHERENCE):
        label = str(label)
        data.append(
            {
                "type": "scatter", "mode": "markers", "x0": start.isoformat(), "dx": DAY_MS,
                "y": [position if dose == value else None for dose in doses], "name": label,
                "marker": {"symbol": symbol, "color": color, "size": 7},
                "hovertemplate": f"{HOVER_DATE}: {plotly_text(label.lower())}<extra></extra>",
            }
        )  # fmt: skip
    lines, annotations = marker_shapes(markers, labelled=False)
    return _figure(
        data,
        _layout(
            start, end, y_range=[-0.6, 2.6], height=130, shapes=lines, annotations=annotations,
            yaxis_extra={"tickvals": [0, 1, 2], "ticktext": [str(a[1]) for a in ADHERENCE]},
        ),
    )  # fmt: skip
