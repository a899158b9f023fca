"""Measure issue 13's PDF budgets: the report of 90 days as a PDF, A4, made
- by a running `manage.py db_worker`: its first report, asked for 3 s after the worker
  started (which readies Chromium and WeasyPrint as it starts), and the later ones (seconds from the task's start to the file saved, as
  ReportPdf.started_at and finished_at say);
- by a fresh `manage.py export_report` process (wall time, Python's start included).

Run with `python3 -m uv run python bench/pdf_speed.py` from the project root. It needs
Debian's Chromium (`make chromium`). It builds its own SQLite database in a temporary
folder: a made-up year of diary, every question answered every day (as
bench/report.py), of which the last 90 days are printed.
"""

import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import time

from common import ROOT, WORK, prepare
from report import one_year

WORKERS = 3  # worker processes started, each making REPORTS reports one after another
REPORTS = 4
FRESH = 5  # export_report processes
DAYS = 90
ROUNDS = 5  # of each way of drawing the charts, in this process (the browser warm)
# How the charts can be drawn: SVG (vectors, as before issue 13), or pictures at so many
# dots an inch (PNG; JPEG, lossy, for comparison).
DRAWINGS = [
    ("SVG", "svg", None),
    ("PNG 300 dpi", "png", 300),
    ("PNG 200 dpi", "png", 200),
    ("JPEG 300 dpi", "jpeg", 300),
]


def calibration() -> float:
    """Seconds for a pure-Python loop of 10 million additions: how fast this machine is
    just now (PERFORMANCE.md compares runs by it)."""
    begin = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - begin


def environment() -> dict:
    return {**os.environ, "LOG_LEVEL": "WARNING"}


def worker_run(patient) -> list[float]:
    """Seconds each of REPORTS PDFs took in one db_worker process, in order."""
    from tracker.models import ReportPdf
    from tracker.reports.report import ALL_SECTIONS
    from tracker.tasks import make_report_pdf

    today = patient.today()
    worker = subprocess.Popen(  # noqa: S603 - our own app, as `make run` starts it
        [sys.executable, "manage.py", "db_worker", "--verbosity", "0", "--interval", "0.05",
         "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = []
    try:
        time.sleep(3)  # the worker is up and idle, as it is when someone first asks
        for _ in range(REPORTS):
            pdf = ReportPdf.objects.create(
                patient=patient,
                asked_by="patient",
                starts_on=today - dt.timedelta(days=DAYS - 1),
                ends_on=today,
                sections=ALL_SECTIONS,
                paper="A4",
                diary_state="bench",
            )
            make_report_pdf.enqueue(pdf.pk)
            while True:
                pdf.refresh_from_db(fields=["status", "started_at", "finished_at"])
                if not pdf.in_progress:
                    break
                time.sleep(0.05)
            if pdf.status != "ready":
                raise SystemExit(f"The worker could not make PDF {pdf.pk}: {pdf.status}")
            seconds.append((pdf.finished_at - pdf.started_at).total_seconds())
    finally:
        worker.terminate()
        worker.wait()
    return seconds


def fresh_run() -> float:
    output = WORK / "report.pdf"
    begin = time.perf_counter()
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "export_report", "--patient", "bench", "--format", "pdf",
         "--days", str(DAYS), "--output", str(output)],
        cwd=ROOT, env=environment(), check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - begin


def drawings(patient):
    """For each way of drawing the charts: median seconds to draw them (the browser
    warm) and for WeasyPrint to lay out and paint the PDF, its pages and size."""
    from pypdf import PdfReader

    from tracker.reports import pdf, pdf_charts
    from tracker.reports.report import build_report

    today = patient.today()
    report = build_report(patient, start=today - dt.timedelta(days=DAYS - 1), end=today)
    charts = pdf.charts_to_draw(report)
    pdf.chart_images(charts)  # the browser started
    rows, print_dpi = [], pdf_charts.PRINT_DPI
    for label, format, dpi in DRAWINGS:
        pdf_charts.PRINT_DPI = dpi or print_dpi
        draws, layouts = [], []
        for _ in range(ROUNDS):
            begin = time.perf_counter()
            images = pdf.chart_images(charts, format=format)
            drawn = time.perf_counter()
            content = pdf.write_pdf(report, images=images)
            layouts.append(time.perf_counter() - drawn)
            draws.append(drawn - begin)
            if not images:
                raise SystemExit("Chromium could not draw the charts: is it installed?")
        pages = len(PdfReader(io.BytesIO(content)).pages)
        rows.append(
            (label, statistics.median(draws), statistics.median(layouts), pages, len(content))
        )
    pdf_charts.PRINT_DPI = print_dpi
    pdf_charts.BROWSER.close()
    return rows


def main():
    prepare()
    from tests.factories import make_patient

    patient = make_patient("bench", first_name="Alex", last_name="Morgan")
    one_year(patient)
    print(
        f"{patient.day_logs.count()} days logged; the last {DAYS} printed, A4; {os.cpu_count()} CPUs"
    )
    print(f"calibration: 10 million additions in {calibration():.2f} s")

    runs = [worker_run(patient) for _ in range(WORKERS)]
    firsts = [run[0] for run in runs]
    seconds = [run[1] for run in runs]
    laters = [s for run in runs for s in run[1:]]
    fresh = [fresh_run() for _ in range(FRESH)]
    median = statistics.median

    def line(label, samples):
        print(
            f"{label:42} median {median(samples):5.2f} s  ({', '.join(f'{s:.2f}' for s in samples)})"
        )

    line(f"worker, first report ({WORKERS} workers)", firsts)
    line("worker, second report", seconds)
    line(f"worker, later reports (2nd to {REPORTS}th)", laters)
    line(f"fresh export_report process ({FRESH} runs)", fresh)

    print(
        f"\nDrawing the {DAYS} days' charts, median of {ROUNDS} in this process, the browser warm:"
    )
    print(
        f"{'charts as':12} {'draw s':>7} {'WeasyPrint s':>13} {'total s':>8} {'pages':>6} {'KB':>6}"
    )
    for label, draw, layout, pages, size in drawings(patient):
        print(
            f"{label:12} {draw:7.2f} {layout:13.2f} {draw + layout:8.2f} {pages:6d} {size / 1024:6.0f}"
        )
    print(f"calibration again: {calibration():.2f} s")


if __name__ == "__main__":
    main()
