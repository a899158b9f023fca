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

from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..text import join, short_date
from .charts import GRADE_LABELS, grade_names, label_lines, number
from .summaries import mean_logged, table_periods

LEVELS = GRADE_LABELS  # none, mild, moderate, severe: a grade's name
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
        return cell_words()(self)


def cell_words():
    """What writes a cell in words ("moderate (average 1.5)"), its words looked up
    once: a table of five years has about 800 cells."""
    levels = grade_names()
    not_logged = _("not logged")
    # Translators: a week's (or a day's, a month's) grade, and its average grade.
    average = _("%(grade)s (average %(mean)s)")
    decimal = formats.get_format("DECIMAL_SEPARATOR")

    def words(cell: Cell) -> str:
        if cell.mean is None:
            return not_logged
        mean = f"{cell.mean:g}"
        if decimal != ".":
            mean = mean.replace(".", decimal)
        return average % {"grade": levels[cell.level], "mean": mean}

    return words


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
    date: dt.date | None = None  # a switch's: the day the medicine began

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
        """What a cell covers (see summaries.table_periods): "day", "week" or "month"."""
        days = (self.end - self.start).days + 1
        return "day" if days <= 31 else "week" if days <= 366 else "month"

    @property
    def caption(self) -> str:
        """The table's caption."""
        return {
            "day": _("Average grade of each symptom in each day"),
            "week": _("Average grade of each symptom in each week"),
            "month": _("Average grade of each symptom in each month"),
        }[self.unit]

    @property
    def key(self) -> str:
        """What the drawing's cells, lines and numbers mean, in a sentence (HTML: the
        events' titles are escaped)."""
        parts = [
            {
                # Translators: the parts of one sentence under the overview, joined by
                # semicolons: "Each cell is …; the green line marks …; the numbers mark …".
                "day": _("Each cell is the average grade of its day"),
                "week": _("Each cell is the average grade of its week"),
                "month": _("Each cell is the average grade of its month"),
            }[self.unit]
        ]
        if self.switches:
            parts.append(_("the green line marks a switch of medicine"))
        parts = [escape(part) for part in parts]
        if self.events:
            marks = join(
                [f"<strong>{escape(e.label)}</strong> {escape(e.title)}" for e in self.events]
            )
            # Translators: %(events)s lists the numbers on the drawing and what each
            # marks: "1 Physiotherapy (3 Mar 2026) and 2 Clinic (5 Mar 2026)".
            parts.append(escape(_("the numbers mark %(events)s")) % {"events": marks})
        return mark_safe("; ".join(parts) + ".")  # noqa: S308 - every text escaped

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
        words = cell_words()
        return mark_safe(  # noqa: S308 - titles escaped, the rest our own words
            "".join(
                f'<tr><th scope="row">{escape(row.title)}</th>'
                + "".join(f"<td>{words(cell)}</td>" for cell in row.cells)
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
            ticks.append((round(100 * offset / days, 2), short_date(date)))
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
        words = {
            "medicine": name,
            "date": short_date(therapy.started_on),
        }
        x = _x(first, start, days)
        width = round(100 * ((last - first).days + 1) / days, 2)
        spans.append(Span(x, width, name, _("%(medicine)s from %(date)s") % words))
        if i and therapy.started_on > start:
            switches.append(
                Span(
                    x, 0, name, _("Switched to %(medicine)s on %(date)s") % words,
                    date=therapy.started_on,
                )
            )  # fmt: skip
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
        title = marker.label if marker.earlier else f"{marker.label} ({short_date(marker.date)})"
        spans.append(Span(x, min(width, 100 - x), marker.tag, title))
    return spans


def _row(chart, places) -> Row:
    """A symptom's cells: each period's average, as its chart's table has it (the
    same periods, see summaries.table_periods)."""
    cells = [
        Cell(x, width, label, average)
        for (x, width, label), (_label, _high, average) in zip(places, chart.table, strict=True)
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
        old_level, new_level = grade_names()[level(old)], grade_names()[level(new)]
        if old_level == new_level:
            # Translators: a symptom whose average grade moved within one grade's
            # name: "hot flashes (moderate, average 1.6 to 2.3)".
            return _("%(name)s (%(grade)s, average %(old)s to %(new)s)") % {
                "name": title.lower(),
                "grade": old_level,
                "old": number(old),
                "new": number(new),
            }
        # Translators: a symptom whose average grade moved from one grade's name to
        # another: "hot flashes (moderate to mild)".
        return _("%(name)s (%(old)s to %(new)s)") % {
            "name": title.lower(),
            "old": old_level,
            "new": new_level,
        }

    named = [words(*move) for move in moves[:MOST_NAMED]]
    if len(moves) > MOST_NAMED:
        more = len(moves) - MOST_NAMED
        # Translators: the end of a list of symptoms: "…, sadness and 2 more".
        named.append(ngettext("%(count)s more", "%(count)s more", more) % {"count": more})
    return join(named)


def _changes(rows, charts, switches, start, end) -> str:
    """A sentence or two of what changed: around the latest switch of medicine in the
    period when there is one (the four weeks before it against the last four weeks,
    if it is at least two weeks old), else the start of the period against its end."""
    length = (end - start).days + 1
    if not any(row.cells and any(c.mean is not None for c in row.cells) for row in rows):
        return _("Nothing was logged in this period.")
    switch = switches[-1] if switches else None
    if switch is not None:
        at = round(switch.x * length / 100)
        if length - at >= 14:
            before = slice(max(0, at - COMPARE_DAYS), at)
            after = slice(max(at, length - COMPARE_DAYS), length)
            rose, fell = _moves(rows, charts, before, after)
            words = {
                "medicine": switch.label,
                "date": short_date(switch.date),
            }
            if not rose and not fell:
                return (
                    _(
                        "Since the switch to %(medicine)s on %(date)s, no symptom's average grade "
                        "moved by half a grade or more."
                    )
                    % words
                )
            return _(
                # Translators: %(changes)s says which symptoms' average grade was lower
                # and which higher: "lower: hot flashes (moderate to mild); higher: …".
                "Since the switch to %(medicine)s on %(date)s, compared with the weeks "
                "before, the average grade was %(changes)s. Other symptoms moved less than "
                "half a grade."
            ) % {**words, "changes": _changes_words(rose, fell)}
    span = min(COMPARE_DAYS, length // 2)
    if span < 3:
        return ""
    rose, fell = _moves(rows, charts, slice(0, span), slice(length - span, length))
    weeks = span >= 14
    if not rose and not fell:
        if weeks:
            return _(
                "From the first weeks of this period to the last, no symptom's average "
                "grade moved by half a grade or more."
            )
        return _(
            "From the first days of this period to the last, no symptom's average grade "
            "moved by half a grade or more."
        )
    changes = {"changes": _changes_words(rose, fell)}
    if weeks:
        return (
            _(
                "From the first weeks of this period to the last, compared with the start, "
                "the average grade was %(changes)s. Other symptoms moved less than half a grade."
            )
            % changes
        )
    return (
        _(
            "From the first days of this period to the last, compared with the start, the "
            "average grade was %(changes)s. Other symptoms moved less than half a grade."
        )
        % changes
    )


def _changes_words(rose, fell) -> str:
    """Which symptoms' average grade was lower, and which higher (at least one)."""
    if rose and fell:
        # Translators: %(lower)s and %(higher)s list symptoms and how their grade moved.
        return _("lower: %(lower)s; higher: %(higher)s") % {
            "lower": _moved(fell),
            "higher": _moved(rose),
        }
    if fell:
        return _("lower: %(lower)s") % {"lower": _moved(fell)}
    return _("higher: %(higher)s") % {"higher": _moved(rose)}


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
