"""Measure the appointment report as a PDF for 90 days and for one year of daily data:
seconds to make it (chart export in Chromium, then WeasyPrint), pages and size.

Run with `python3 -m uv run python bench/report.py` from the project root. It needs
Debian's Chromium (`make chromium`). Rounds are few: each starts a browser (for its
first chart) and keeps it for the rest, as a worker's first PDF does; a worker's
later PDFs find it running (bench/pdf_speed.py).
"""

import datetime as dt
import io
import statistics
import time

from common import made_up_diary, prepare

ROUNDS = 5
PERIODS = [("90 days", 90), ("1 year", 365)]
NOTES = """Questions for Dr Patel:
1. The joint pain is worst in the morning. Is it the anastrozole?
2. Would a switch to another aromatase inhibitor help?
3. When is my next bone density scan due?

Walking helps; swimming twice a week since October."""


def one_year(patient):
    """A year of daily diary, a few days skipped, as bench/trends.py makes five."""
    made_up_diary(
        patient, days=365, seed=1, skip=0.08, doses=("taken",) * 18 + ("missed", "unsure")
    )
    patient.visit_notes = NOTES
    patient.save()


def measure(report, rounds=ROUNDS):
    """Median seconds of each step of render_pdf, the page count and the size."""
    from pypdf import PdfReader

    from tracker.reports.pdf import chart_images, charts_to_draw, write_pdf
    from tracker.reports.pdf_charts import BROWSER

    charts = charts_to_draw(report)
    first, exports, layouts, totals = [], [], [], []
    for _ in range(rounds):
        BROWSER.close()
        begin = time.perf_counter()
        chart_images(charts[:1])
        first.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        images = chart_images(charts)
        drawn = time.perf_counter()
        pdf = write_pdf(report, images=images)
        done = time.perf_counter()
        assert images, "Chromium could not draw the charts: is /usr/bin/chromium installed?"
        exports.append(drawn - begin)
        layouts.append(done - drawn)
        totals.append(done - begin)
    begin = time.perf_counter()
    fallback = write_pdf(report, images=None)
    fallback_seconds = time.perf_counter() - begin
    median = statistics.median
    return {
        "charts": len(charts),
        "total": median(totals),
        "export": median(exports),
        "first": median(first),
        "layout": median(layouts),
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "kb": len(pdf) / 1024,
        "fallback": (fallback_seconds, len(PdfReader(io.BytesIO(fallback)).pages)),
    }


def main():
    prepare()
    from tests.factories import make_patient
    from tracker.reports.report import build_report

    patient = make_patient("bench", first_name="Alex", last_name="Morgan")
    one_year(patient)
    today = patient.today()
    print(f"{patient.day_logs.count()} days logged; median of {ROUNDS} rounds, A4")
    print(
        f"{'period':8} {'charts':>6} {'total s':>8} {'export s':>9} {'(1 chart)':>10} "
        f"{'WeasyPrint s':>13} {'pages':>6} {'KB':>6} {'tables only: s, pages':>22}"
    )
    for label, days in PERIODS:
        report = build_report(patient, start=today - dt.timedelta(days=days - 1), end=today)
        m = measure(report)
        seconds, pages = m["fallback"]
        print(
            f"{label:8} {m['charts']:6d} {m['total']:8.2f} {m['export']:9.2f} {m['first']:10.2f} "
            f"{m['layout']:13.2f} {m['pages']:6d} {m['kb']:6.0f} {seconds:16.2f}, {pages:3d}"
        )


if __name__ == "__main__":
    main()
