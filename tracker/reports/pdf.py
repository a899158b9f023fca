"""The appointment report as a PDF: WeasyPrint lays out the pages, and plotly.js draws
the charts, as on screen, in a Chromium kept warm by pdf_charts.

Chromium is a heavy dependency that can be missing or broken on a server; then the
PDF still comes out, with each chart's table in its place."""

import copy
import datetime as dt
import logging
import ssl
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..text import short_date, short_month
from ..trends.charts import ROLLING_NAME, WEEKLY_NAME
from ..trends.dashboard import Chart
from ..trends.series import DAILY_DAYS
from .pdf_charts import BROWSER
from .report import Report, Row

logger = logging.getLogger(__name__)

PAGE_SIZES = {"A4": "A4", "Letter": "letter"}
# Sizes in CSS pixels, drawn 1:1 on the page: a chart fills half the width of the
# page's text (186 mm), the adherence chart all of it. Letter pages are 18 mm shorter
# than A4, so their charts are lower, to keep 90 days on two pages (with the period's
# counts since issue 10: 74 and 56 px before).
CHART_WIDTH = 340
CHART_HEIGHT = {"A4": 68, "Letter": 48}
WIDE_CHART_SIZE = (700, 64)
PRINT_FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
# Beyond a year, daily values are a smear at this size, and thousands of marks each
# cost WeasyPrint time (five years: 10 s): such charts print the 7-day average only
# (the dashboard's figures of such a range already hold nothing else).


def print_figure(figure: dict, *, width: int, height: int) -> dict:
    """A copy of a dashboard figure laid out for paper: small and static, thinner
    marks, and no marker labels (the report lists the markers in words)."""
    layout = copy.deepcopy(figure["layout"])
    first, last = (dt.date.fromisoformat(d[:10]) for d in layout["xaxis"]["range"])
    days = (last - first).days
    layout.update(
        width=width,
        height=height,
        margin={"l": 52, "r": 6, "t": 4, "b": 16},
        font={**layout.get("font", {}), "family": PRINT_FONT, "size": 8},
        annotations=[],
    )
    # The period is in the report's header, so a short one needs no year on its ticks.
    # Month names follow the active language: see plotly_locale.
    layout["xaxis"].update(tickformat="%d %b" if days <= 190 else "%b %Y", nticks=7, ticklen=2)
    for shape in layout.get("shapes", []):
        if shape["type"] == "line":
            shape["line"] = {**shape["line"], "width": 1}
    data = []
    for trace in figure["data"]:
        trace = dict(trace)
        if "line" in trace:
            trace["line"] = {**trace["line"], "width": 1.5}
        if trace.get("type") == "scatter" and "marker" in trace:
            trace["marker"] = {**trace["marker"], "size": trace["marker"]["size"] * 0.6}
        data.append(trace)
    average = [t for t in data if t.get("name") == ROLLING_NAME]
    if days > DAILY_DAYS and average:
        # Beyond a year, days are too many to print; weekly answers are few, and stay.
        data = average + [t for t in data if t.get("name") == WEEKLY_NAME]
    printed = {"data": data, "layout": layout}
    if (config := plotly_locale()) is not None:
        printed["config"] = config
    return printed


def plotly_locale() -> dict | None:
    """plotly.js's config for the active language: its month and day names (as Django's
    date filter writes them) and decimal mark, for the charts' axes. None in English,
    plotly's own."""
    language = get_language()
    if not language or language.split("-")[0] == "en":
        return None
    # plotly.js (d3) counts the days of the week from Sunday; Django from Monday.
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    return {
        "locale": language,
        "locales": {
            language: {
                "format": {
                    "days": [str(WEEKDAYS[d]) for d in sunday_first],
                    "shortDays": [str(WEEKDAYS_ABBR[d]) for d in sunday_first],
                    "months": [str(MONTHS[m]) for m in range(1, 13)],
                    "shortMonths": [short_month(m) for m in range(1, 13)],
                    "decimal": formats.get_format("DECIMAL_SEPARATOR"),
                    "thousands": formats.get_format("THOUSAND_SEPARATOR"),
                }
            }
        },
    }


def chart_figures(charts: list[Chart], *, page_size: str = "A4") -> list[dict]:
    """The charts' figures laid out for paper, in order (built here, in the caller's
    thread: a chart's figure may read the diary)."""
    return [
        print_figure(chart.figure, width=width, height=height)
        for chart in charts
        for width, height in [
            WIDE_CHART_SIZE if chart.key == "adherence" else (CHART_WIDTH, CHART_HEIGHT[page_size])
        ]
    ]


def _draw(keys: list[str], figures: list[dict], format: str) -> dict[str, bytes] | None:
    try:
        images = BROWSER.draw(figures, format=format)
    except Exception:
        logger.warning("Could not draw the report's charts; the PDF shows tables", exc_info=True)
        return None
    return dict(zip(keys, images, strict=True))


def chart_images(
    charts: list[Chart], *, page_size: str = "A4", format: str = "png"
) -> dict[str, bytes] | None:
    """The charts as images (PNG at print resolution, or SVG) by chart key, or None
    when Chromium can't draw them."""
    if not charts:
        return {}
    return _draw([c.key for c in charts], chart_figures(charts, page_size=page_size), format)


# One thread that waits for the browser's drawings while WeasyPrint, in the caller's
# thread, reads the page and works out its styles: about 0.2 s each for 90 days, so
# the drawing costs a report nearly nothing (docs/PERFORMANCE.md, "Issue 13: the PDF").
_DRAWING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ripple-chart-drawing")


class DrawnLater(Mapping):
    """A report's chart images by key, being drawn: asking for one waits for them all.
    A key is missing if the drawing failed (then `failed` is true)."""

    def __init__(self, charts: list[Chart], *, page_size: str = "A4"):
        self.chart_keys = [chart.key for chart in charts]
        figures = chart_figures(charts, page_size=page_size)
        self.future = _DRAWING.submit(_draw, self.chart_keys, figures, "png")

    @property
    def failed(self) -> bool:
        return self.future.result() is None

    def __getitem__(self, key: str) -> bytes:
        images = self.future.result()
        if images is None:
            raise KeyError(key)
        return images[key]

    def __iter__(self):
        return iter(self.chart_keys)

    def __len__(self) -> int:
        return len(self.chart_keys)


def _decimal(text: str) -> str:
    """A number written by Python with the active language's decimal mark."""
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


def _number(value: float | None) -> str:
    return "–" if value is None else _decimal(f"{round(value, 1):g}")


def _change(value: float | None) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "0"
    return _decimal(f"{value:+g}".replace("-", "−"))


def _css_string(text: str) -> str:
    """Text as the inside of a CSS string, safe within a <style> element."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", " ")


def page_numbers() -> str:
    """The pages' footer, "Page 1 of 2", as a CSS content value with WeasyPrint's counters."""
    # Translators: the footer of each page of the PDF report.
    words = _css_string(_("Page %(page)s of %(pages)s"))
    counters = {"page": '" counter(page) "', "pages": '" counter(pages) "'}
    return mark_safe(f'"{words % counters}"')  # noqa: S308 - our own words, escaped for CSS


@dataclass
class Line:
    """A summary row as the table prints it."""

    row: Row
    median: str
    worst: str
    baseline: str
    now: str
    change: str
    grade_days: str


def _line(row: Row) -> Line:
    return Line(
        row=row,
        median=_number(row.median),
        worst=_number(row.worst),
        baseline=_number(row.baseline),
        now=_number(row.now),
        change=_change(row.change),
        grade_days=" · ".join(map(str, row.grade_days)) if row.grade_days else "",
    )


# For a fetcher that never goes online: a context without the system's certificates
# (the default one loads them, 0.2 s a PDF).
NO_NETWORK = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class ChartFetcher(URLFetcher):
    """WeasyPrint's fetcher for the report: its charts, as chart:<key>, and nothing from
    the network or the disk, whatever the HTML asks for. (As data: URIs in the HTML,
    PNGs cost WeasyPrint's HTML parser about 0.2 s a report.)"""

    def __init__(self, images: Mapping[str, bytes]):
        super().__init__(ssl_context=NO_NETWORK)
        self.images = images

    def fetch(self, url, headers=None):
        scheme, _colon, key = url.partition(":")
        if scheme != "chart" or key not in self.images:
            raise ValueError(f"Not a chart of this report: {url}")
        # No type: WeasyPrint tries Pillow, then SVG, and headers cost it 10 ms each.
        return URLFetcherResponse(url, body=self.images[key])


def charts_to_draw(report: Report) -> list[Chart]:
    """The charts the report shows: those with something logged, in the sections asked for."""
    if report.is_empty:
        return []
    charts = []
    if "charts" in report:
        # Each symptom's grade is on the overview at the top: on paper, where 90 days
        # must fit two pages, the charts are the measures it doesn't show.
        overview = report.overview is not None and report.overview.rows
        charts += [c for c in report.symptom_charts if not (overview and c.series == "grade")]
    if "adherence" in report:
        charts += [c for c in report.charts if c.key == "adherence" and c.summary.days_logged]
    return charts


def write_pdf(
    report: Report, *, images: Mapping[str, bytes] | None, page_size: str = "A4"
) -> bytes:
    """Lay out the report with the given chart images (None: tables instead)."""
    drawn = charts_to_draw(report)
    shown = {key: f"chart:{key}" for key in images or {}}
    html = render_to_string(
        "tracker/reports/report_pdf.html",
        {
            "report": report,
            "name": report.patient.shown_name,
            "page_size": PAGE_SIZES[page_size],
            "page_numbers": page_numbers(),
            "language": get_language() or "en",
            "generated_on": report.generated_at.astimezone(report.patient.zone).date(),
            "lines": [_line(row) for row in report.rows],
            "charts_failed": images is None,
            "daily_values": report.days <= DAILY_DAYS,
            "figures": [(c, shown.get(c.key)) for c in drawn if c.key != "adherence"],
            "adherence_image": shown.get("adherence"),
            "unlogged": report.unlogged_titles,
            # For lists in sentences (the and_list filter): "1 Bone scan", "Letrozole (3 Mar 2025)".
            "overview_events": [f"{e.label} {e.title}" for e in report.overview.events]
            if report.overview
            else [],
            "marker_words": [
                m.label if m.date == report.start else f"{m.label} ({short_date(m.date)})"
                for m in report.markers
            ],
        },
    )
    return HTML(string=html, url_fetcher=ChartFetcher(images or {})).write_pdf()


def render_pdf(report: Report, *, page_size: str = "A4") -> bytes:
    """The report as a PDF: one or two pages for a typical 90 days."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page_size must be one of {', '.join(PAGE_SIZES)}")
    charts = charts_to_draw(report)
    if not charts:
        return write_pdf(report, images={}, page_size=page_size)
    images = DrawnLater(charts, page_size=page_size)
    content = write_pdf(report, images=images, page_size=page_size)
    if images.failed:  # rare: laid out once more, with each chart's table instead
        return write_pdf(report, images=None, page_size=page_size)
    return content
