"""The overview at the top of trends and the report: every tracked symptom's grade
over the period in one picture (a row a symptom, a cell a week), the medicine taken
and what else happened marked above it, and a sentence or two of what changed.

It is drawn on the server as inline SVG, not by plotly: it is the first thing on
the page, so it shows at once, without a script, on a slow phone and in the PDF.
Horizontal positions are percentages of the drawing's width, so it fits any screen
and its text is never stretched."""

import datetime as dt
import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import mark_safe

from ..text import join
from .charts import label_lines
from .summaries import mean_logged, table_periods

LEVELS = ["none", "mild", "moderate", "severe"]
# Light to dark as the grade rises, so the order reads in grey too; a table and the
# words beside it say the same without colour.
LEVEL_COLOURS = ["#dbe9f6", "#f9c98b", "#e0703a", "#8c1c13"]
CHANGE = 0.5  # a move of half a grade or more in the average counts as a change
MOST_NAMED = 3  # the largest moves each way are named; the rest are counted
COMPARE_DAYS = 28  # the weeks compared: up to four on each side


def level(value: float | None) -> int | None:
    """A mean grade as the nearest grade, half up (2.5 is severe, as on the charts)."""
    return None if value is None else min(3, math.floor(value + 0.5))


@dataclass(slots=True)
class Cell:
    x: float  # where it starts, in % of the width
    width: float
    label: str  # the period: "Week of 3 Mar 2026"
    mean: float | None

    @property
    def level(self) -> int | None:
        return level(self.mean)

    @property
    def colour(self) -> str:
        return LEVEL_COLOURS[self.level]

    @property
    def words(self) -> str:
        if self.mean is None:
            return "not logged"
        return f"{LEVELS[self.level]} (average {self.mean:g})"


@dataclass
class Row:
    title: str
    slug: str
    cells: list[Cell]
    weekly: bool  # answered once a week


@dataclass
class Span:
    """Something drawn above the grid: a medicine taken, or a treatment, over a stretch
    of days; a one-off event (appointment, scan) is a span of no width."""

    x: float
    width: float
    label: str  # written on the drawing: a medicine's name, or an event's number
    title: str  # in full, for the tooltip
    line: int = 0  # which line of labels it sits on, so that labels never overlap

    @property
    def text_y(self) -> int:
        return 12 + 14 * self.line


def _stack(spans: list[Span]) -> int:
    """Give each span's label a line where it overlaps no earlier label; the number of
    lines used."""
    lines = label_lines([(span.x, span.label) for span in spans])
    for span, line in zip(spans, lines, strict=True):
        span.line = line
    return max(lines, default=0) + 1


@dataclass
class Overview:
    start: dt.date
    end: dt.date
    rows: list[Row]
    medicines: list[Span]
    events: list[Span]
    switches: list[Span]  # a line down the grid where a medicine began in the period
    changes: str  # what changed, in a sentence or two
    medicine_lines: int = 1
    event_lines: int = 1

    @property
    def periods(self) -> list[str]:
        return [cell.label for cell in self.rows[0].cells] if self.rows else []

    levels = LEVELS

    @property
    def has_weekly(self) -> bool:
        return any(row.weekly for row in self.rows)

    @property
    def unit(self) -> str:
        """What a cell covers (see summaries.table_periods)."""
        days = (self.end - self.start).days + 1
        return "day" if days <= 31 else "week" if days <= 366 else "month"

    @property
    def medicine_height(self) -> int:
        return 6 + 14 * self.medicine_lines

    @property
    def event_height(self) -> int:
        return 6 + 14 * self.event_lines

    @property
    def grid(self) -> str:
        """A row a symptom: its name, and a strip of cells with the switch and event
        lines across it. Built here, not by a template loop: five years are about 800
        cells, which the template engine took most of the page's time to draw."""
        lines = "".join(
            f'<line x1="{s.x}%" x2="{s.x}%" y1="0" y2="100%" stroke="#007a5a" stroke-width="2"></line>'
            for s in self.switches
        ) + "".join(
            f'<line x1="{e.x}%" x2="{e.x}%" y1="0" y2="100%" stroke="#6b7280" '
            'stroke-width="1" stroke-dasharray="2 2"></line>'
            for e in self.events
            if not e.width
        )
        rows = []
        for row in self.rows:
            cells = "".join(
                f'<rect x="{x}%" y="1" width="{width}%" height="14" fill="{colour}"></rect>'
                for x, width, colour in _runs(row.cells)
            )
            rows.append(
                f'<div class="ov-row"><span class="ov-name">{escape(row.title)}</span>'
                f'<svg class="ov-strip ov-grades" width="100%" height="16">{cells}{lines}</svg></div>'
            )
        return mark_safe("\n".join(rows))  # noqa: S308 - titles escaped, the rest numbers

    @property
    def table_body(self) -> str:
        """The table's rows, built here for the same reason as the grid."""
        return mark_safe(  # noqa: S308 - titles escaped, the rest our own words
            "".join(
                f'<tr><th scope="row">{escape(row.title)}</th>'
                + "".join(f"<td>{cell.words}</td>" for cell in row.cells)
                + "</tr>"
                for row in self.rows
            )
        )

    @property
    def ticks(self) -> list[tuple[float, str]]:
        """Dates along the bottom: a handful, evenly spread, never crowded."""
        days = (self.end - self.start).days + 1
        count = 3 if days > 14 else 2
        ticks = []
        for i in range(count):
            offset = round(i * (days - 1) / (count - 1))
            date = self.start + dt.timedelta(days=offset)
            ticks.append((round(100 * offset / days, 2), f"{date:%-d %b %Y}"))
        return ticks


def _runs(cells: list[Cell]):
    """Neighbouring cells of one grade as one stretch: (x, width, colour) each. A
    quarter of the rectangles for a steady symptom, and no seams between them."""
    runs: list[list] = []
    for cell in cells:
        if cell.mean is None:
            continue
        colour = cell.colour
        if runs and runs[-1][2] == colour and abs(runs[-1][0] + runs[-1][1] - cell.x) < 0.01:
            runs[-1][1] += cell.width
        else:
            runs.append([cell.x, cell.width, colour])
    return [(x, round(width, 3), colour) for x, width, colour in runs]


def _x(date: dt.date, start: dt.date, days: int) -> float:
    return round(100 * (date - start).days / days, 2)


def _medicines(therapies, start, end, days) -> tuple[list[Span], list[Span]]:
    """Each medicine's stretch within the period (until the next began), and a switch
    line wherever one began inside it (not at its first day, where nothing changed)."""
    spans, switches = [], []
    for i, therapy in enumerate(therapies):
        following = therapies[i + 1].started_on if i + 1 < len(therapies) else None
        first = max(therapy.started_on, start)
        last = min(end, following - dt.timedelta(days=1)) if following else end
        if therapy.started_on > end or last < first:
            continue
        name = therapy.display_name.split(" (")[0]
        day = f"{therapy.started_on:%-d %b %Y}"
        x = _x(first, start, days)
        width = round(100 * ((last - first).days + 1) / days, 2)
        spans.append(Span(x, width, name, f"{name} from {day}"))
        if i and therapy.started_on > start:
            switches.append(Span(x, 0, name, f"Switched to {name} on {day}"))
    return spans, switches


def _events(markers, start, days) -> list[Span]:
    """Treatments as a stretch (to their stop date, or the period's end while they go
    on), one-off events (an appointment, a scan) as a mark on their day."""
    spans = []
    for marker in markers:
        if marker.kind == "therapy":
            continue
        x = _x(marker.date, start, days)
        width = 0
        if marker.until is not None:
            width = round(100 * ((marker.until - marker.date).days + 1) / days, 2)
        # Treatments that began before the period already say since when.
        title = (
            marker.label
            if "(since " in marker.label
            else f"{marker.label} ({marker.date:%-d %b %Y})"
        )
        spans.append(Span(x, min(width, 100 - x), marker.tag, title))
    return spans


def _row(chart, places) -> Row:
    """A symptom's cells: each period's average, as its chart's table has it (the
    same periods, see summaries.table_periods)."""
    cells = [
        Cell(x, width, label, average)
        for (x, width, label), (_, _, average) in zip(places, chart.table, strict=True)
    ]
    return Row(chart.title, chart.explains, cells, chart.summary.weekly)


def _moves(rows: list[Row], charts, before: slice, after: slice) -> tuple[list, list]:
    """The symptoms whose average grade rose or fell by half a grade or more between
    two stretches of days: (name, from, to) each, largest move first."""
    rose, fell = [], []
    for row, chart in zip(rows, charts, strict=True):
        old, new = mean_logged(chart.values[before]), mean_logged(chart.values[after])
        if old is None or new is None or abs(new - old) < CHANGE:
            continue
        (rose if new > old else fell).append((abs(new - old), row.title, old, new))
    return [m[1:] for m in sorted(rose, reverse=True)], [m[1:] for m in sorted(fell, reverse=True)]


def _moved(moves) -> str:
    def words(title, old, new):
        old_level, new_level = LEVELS[level(old)], LEVELS[level(new)]
        if old_level == new_level:
            return f"{title.lower()} ({old_level}, average {old:g} to {new:g})"
        return f"{title.lower()} ({old_level} to {new_level})"

    named = [words(*move) for move in moves[:MOST_NAMED]]
    if len(moves) > MOST_NAMED:
        named.append(f"{len(moves) - MOST_NAMED} more")
    return join(named)


def _changes(rows, charts, switches, start, end) -> str:
    """A sentence or two of what changed: around the latest switch of medicine in the
    period when there is one (the four weeks before it against the last four weeks,
    if it is at least two weeks old), else the start of the period against its end."""
    length = (end - start).days + 1
    if not any(row.cells and any(c.mean is not None for c in row.cells) for row in rows):
        return "Nothing was logged in this period."
    switch = switches[-1] if switches else None
    if switch is not None:
        at = round(switch.x * length / 100)
        if length - at >= 14:
            before = slice(max(0, at - COMPARE_DAYS), at)
            after = slice(max(at, length - COMPARE_DAYS), length)
            rose, fell = _moves(rows, charts, before, after)
            opening = switch.title.replace("Switched to", "Since the switch to", 1)
            return _sentence(opening, "the weeks before", rose, fell)
    span = min(COMPARE_DAYS, length // 2)
    if span < 3:
        return ""
    rose, fell = _moves(rows, charts, slice(0, span), slice(length - span, length))
    unit = "weeks" if span >= 14 else "days"
    return _sentence(f"From the first {unit} of this period to the last", "the start", rose, fell)


def _sentence(opening: str, than: str, rose, fell) -> str:
    if not rose and not fell:
        return f"{opening}, no symptom's average grade moved by half a grade or more."
    parts = []
    if fell:
        parts.append(f"lower: {_moved(fell)}")
    if rose:
        parts.append(f"higher: {_moved(rose)}")
    return (
        f"{opening}, compared with {than}, the average grade was "
        + "; ".join(parts)
        + ". Other symptoms moved less than half a grade."
    )


def build_overview(*, charts, therapies, markers, start, end) -> Overview:
    """The overview of a dashboard's grade charts (tracker.trends.dashboard), its
    therapies in order of start and its markers."""
    days = (end - start).days + 1
    grade_charts = [c for c in charts if c.series == "grade"]
    places = [
        (round(100 * first / days, 3), round(100 * (stop - first) / days, 3), label)
        for label, first, stop in table_periods(start, days)
    ]
    rows = [_row(chart, places) for chart in grade_charts]
    medicines, switches = _medicines(therapies, start, end, days)
    spans = _events(markers, start, days)
    overview = Overview(
        start, end, rows, medicines, spans, switches,
        _changes(rows, grade_charts, switches, start, end),
    )  # fmt: skip
    overview.medicine_lines = _stack(medicines)
    overview.event_lines = _stack(spans)
    return overview
