"""The appointment report as a PDF: what its pages say, and what happens without Chromium."""

import datetime as dt
import io
import logging
import re
import threading

import pytest
from django.db import transaction
from pypdf import PdfReader

from tests.factories import make_patient
from tracker import branching
from tracker.models import DayLog, Symptom, SymptomLog
from tracker.recording import rescore
from tracker.reports import pdf, pdf_charts
from tracker.reports.pdf_charts import BROWSER
from tracker.reports.report import build_report

END = dt.date(2026, 3, 31)
START = END - dt.timedelta(days=89)
NOTES = "1. Is the joint pain the anastrozole?\n2. When is my next bone scan?\n\nThank you."
HEADINGS = [
    "At a glance",
    "What changed",
    "Medicine",
    "Worth discussing",
    "Questions and notes from the patient",
    "Summary",
    "Charts",
    "Medicine taken",
]
# Answers that give each composite grade 0-3, by the questions a symptom asks. Where
# it can, grade 0 comes from a later 0, so that the extra measures stay asked.
GRADED = {
    ("frequency", "severity", "interference"): [(1, 0, 0), (1, 1, 1), (1, 2, 2), (2, 3, 3)],
    ("frequency", "severity"): [(0, 0), (1, 1), (2, 2), (3, 3)],
    ("severity", "interference"): [(0, 0), (1, 1), (2, 2), (3, 3)],
    ("severity",): [(0,), (1,), (2,), (3,)],
}


def log_days(patient, *, start=START, days=90):
    """A day's diary for each day: every symptom at a grade that steps up each week,
    joint pain 3/10 for 45 days, then 6/10. Stored in bulk, then derived by the app's
    writer (rescore), as the demo does."""
    symptoms = list(Symptom.objects.defaults())
    DayLog.objects.bulk_create(
        DayLog(
            patient=patient,
            date=start + dt.timedelta(days=offset),
            dose="missed" if offset % 10 == 9 else "taken",
        )
        for offset in range(days)
    )
    logs = []
    for offset in range(days):
        for index, symptom in enumerate(symptoms):
            asked = symptom.attributes
            answers = GRADED[tuple(asked)][(offset // 7 + index) % 4]
            changes = dict(zip(asked, answers, strict=True))
            if symptom.asks_pain_details:
                changes |= {"worst_pain": 3 if offset < 45 else 6, "stiffness_minutes": 20}
            if symptom.asks_hot_flash_episodes:
                changes |= {
                    "episodes_mild": offset % 3,
                    "episodes_moderate": 1,
                    "episodes_severe": 0,
                }
            columns = branching.apply(
                asked=asked, extras=symptom.extras, stored={}, changes=changes
            )
            logs.append(
                SymptomLog(
                    patient=patient,
                    date=start + dt.timedelta(days=offset),
                    symptom=symptom,
                    **columns,
                )
            )
    SymptomLog.objects.bulk_create(logs)
    rescore(patients=[patient])  # the grades, the days' figures and the baselines


def read(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def ninety_days(django_db_setup, django_db_blocker):
    """One 90-day report, drawn with Chromium once for the tests that read it. Those
    tests carry the django_db mark so that pytest-django runs them with the other
    database tests, before any transactional test empties the database."""
    with django_db_blocker.unblock(), transaction.atomic():
        patient = make_patient(
            "pdf-ann", first_name="Ann", last_name="Smith", started_on=START - dt.timedelta(days=30)
        )
        patient.visit_notes = NOTES
        log_days(patient)
        report = build_report(patient, start=START, end=END)
        content = pdf.render_pdf(report)
        transaction.set_rollback(True)
    return report, *read(content)


@pytest.mark.browser
@pytest.mark.django_db
def test_the_pdf_of_ninety_days_fits_on_two_pages(ninety_days):
    _, reader, _ = ninety_days
    assert 1 <= len(reader.pages) <= 2
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4


@pytest.mark.browser
@pytest.mark.django_db
def test_the_header_names_the_patient_the_period_and_what_ripple_is(ninety_days):
    _, _, text = ninety_days
    flat = words(text)
    assert "Ann Smith" in flat
    assert "1 Jan 2026 to 31 Mar 2026" in flat
    assert "90 days, 90 logged" in flat
    assert "Generated " in flat
    assert "Made with Ripple: what the patient reported, not a diagnosis." in flat
    assert "Nobody is alerted by entries; a clinician sees them only when they open them." in flat


@pytest.mark.browser
@pytest.mark.django_db
def test_the_sections_come_in_the_order_of_the_report(ninety_days):
    _, _, text = ninety_days
    lines = [line.strip() for line in text.splitlines()]
    position = 0
    for heading in HEADINGS:  # each after the one before ("Medicine" also names a row above)
        position = lines.index(heading, position)


@pytest.mark.browser
@pytest.mark.django_db
def test_the_summary_gives_each_measure_its_numbers_and_judgement(ninety_days):
    _, _, text = ninety_days
    flat = words(text)
    # Days logged, median, worst, average (period before), baseline, last 7 days, change.
    assert re.search(
        r"Joint pain or stiffness: worst pain \(0–10\) 90 4\.5 6 [\d.]+ \([\d.–]+\) 3 6 \+3", flat
    ), flat
    assert "Up 3 points from baseline: at or over the 2 points studies count as meaningful." in flat
    assert "Started Anastrozole (Arimidex) on 02 Dec 2025." in flat
    assert (
        "Worst joint pain or stiffness 4/10 or more on 7 of the last 7 days, up to 6/10 (31 Mar 2026)."
        in flat
    )
    assert "it doesn't judge how urgent they are" in flat
    assert "Taken on 90% of the 90 days answered: 81 taken, 9 missed, 0 not sure." in flat


@pytest.mark.browser
@pytest.mark.django_db
def test_a_grade_row_counts_the_days_at_each_grade(ninety_days):
    report, _, text = ninety_days
    fatigue = next(row for row in report.rows if row.title == "Tiredness or low energy")
    counts = " · ".join(map(str, fatigue.grade_days))
    assert sum(fatigue.grade_days) == 90
    assert counts in words(text)


@pytest.mark.browser
@pytest.mark.django_db
def test_each_chart_is_a_picture_at_print_resolution(ninety_days):
    report, reader, text = ninety_days
    # By name: WeasyPrint lists every picture in each page's resources.
    images = {i.name: i.image for page in reader.pages for i in page.images}.values()
    assert len(images) == len(pdf.charts_to_draw(report))  # the symptoms' and the medicine's
    # 300 dots an inch: a chart is 340 CSS pixels (1/96 inch) wide, the medicine's 700.
    widths = sorted(image.width for image in images)
    assert widths == [1062] * (len(images) - 1) + [2187]
    assert "could not be drawn" not in text


@pytest.mark.browser
@pytest.mark.django_db
def test_the_export_command_writes_the_pdf_with_its_charts(tmp_path):
    from django.core.management import call_command

    patient = make_patient("pdf-cli", started_on=START - dt.timedelta(days=30))
    start = patient.today() - dt.timedelta(days=29)
    log_days(patient, start=start, days=30)
    output = tmp_path / "report.pdf"
    call_command("export_report", patient="pdf-cli", format="pdf", days=30, output=str(output))
    reader, text = read(output.read_bytes())
    charts = pdf.charts_to_draw(build_report(patient, start=start, end=patient.today()))
    assert len({i.name for page in reader.pages for i in page.images}) == len(charts)
    assert "30 days, 30 logged" in words(text) and "could not be drawn" not in text


@pytest.mark.browser
@pytest.mark.django_db
def test_the_notes_keep_the_patients_own_line_breaks(ninety_days):
    _, _, text = ninety_days
    lines = [line.strip() for line in text.splitlines()]
    first = lines.index("1. Is the joint pain the anastrozole?")
    assert lines[first + 1] == "2. When is my next bone scan?"
    assert "Thank you." in lines[first + 2 :]


@pytest.mark.django_db
def test_without_chromium_the_pdf_shows_each_charts_table_instead(monkeypatch, caplog):
    BROWSER.close()  # one started by an earlier test would be used
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    patient = make_patient("ann", first_name="Ann", last_name="Smith")
    log_days(patient)
    report = build_report(patient, start=START, end=END)
    with caplog.at_level(logging.WARNING, logger="tracker.reports.pdf"):
        _, text = read(pdf.render_pdf(report))
    flat = words(text)
    assert "The charts could not be drawn, so their data are shown as tables instead." in flat
    assert "Joint pain or stiffness: worst pain (0–10) Period Highest Average" in flat
    assert "Week of 29 Dec 2025 3 3.0" in flat  # the first (Monday) week: 1-4 Jan, 3/10
    assert "Taken on 90%" in flat
    assert "could not draw the report's charts" in caplog.text.lower()


@pytest.mark.django_db
def test_any_failure_of_the_export_is_logged_and_gives_no_images(monkeypatch, caplog):
    def crash(figures, **kwargs):
        raise RuntimeError("Chromium crashed")

    monkeypatch.setattr(BROWSER, "draw", crash)
    patient = make_patient("ann")
    log_days(patient, days=10)
    report = build_report(patient, start=START, end=START + dt.timedelta(days=9))
    with caplog.at_level(logging.WARNING, logger="tracker.reports.pdf"):
        assert pdf.chart_images(report.charts) is None
    assert "Chromium crashed" in caplog.text


@pytest.mark.django_db
def test_an_empty_period_says_so_without_starting_chromium(monkeypatch):
    def must_not_run(figures, **kwargs):
        raise AssertionError("no charts to draw")

    monkeypatch.setattr(BROWSER, "draw", must_not_run)
    patient = make_patient("ann", first_name="Ann", last_name="Smith")
    patient.visit_notes = NOTES
    report = build_report(patient, start=START, end=END)
    reader, text = read(pdf.render_pdf(report))
    flat = words(text)
    assert len(reader.pages) == 1
    assert "Nothing was logged between 1 Jan 2026 and 31 Mar 2026." in flat
    assert "Summary" not in flat and "could not be drawn" not in flat
    assert "When is my next bone scan?" in flat  # the questions still go to the appointment


@pytest.mark.django_db
def test_only_the_sections_asked_for_are_printed():
    patient = make_patient("ann")
    log_days(patient, days=10)
    patient.visit_notes = NOTES
    report = build_report(patient, start=START, end=END, sections=["notes", "summary"])
    _, text = read(pdf.render_pdf(report))
    lines = [line.strip() for line in text.splitlines()]
    assert lines.index("Questions and notes from the patient") < lines.index("Summary")
    assert not {"Medicine", "Worth discussing", "Charts", "Medicine taken"} & set(lines)


@pytest.mark.django_db
def test_a_letter_pdf_has_letter_pages_and_names_a_patient_by_username():
    patient = make_patient("ann-without-a-name")
    log_days(patient, days=10)
    report = build_report(patient, start=START, end=END, sections=["summary"])
    reader, text = read(pdf.render_pdf(report, page_size="Letter"))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((612, 792), abs=0.5)
    assert "ann-without-a-name" in text


def test_an_unknown_page_size_is_refused_before_any_work():
    with pytest.raises(ValueError, match="A4, Letter"):
        pdf.render_pdf(None, page_size="A5")


def test_the_pdf_fetches_its_own_charts_and_nothing_else():
    fetcher = pdf.ChartFetcher({"fatigue": b"\x89PNG fatigue"})
    assert fetcher("chart:fatigue").read() == b"\x89PNG fatigue"
    for url in [
        "chart:hot-flashes",
        "data:text/plain;base64,aGk=",
        "https://example.org/tracker.png",
        "file:///etc/passwd",
    ]:
        with pytest.raises(ValueError, match="Not a chart of this report"):
            fetcher(url)


def test_a_figure_for_print_is_a_small_copy_without_marker_labels():
    from tracker.trends.charts import grade_figure

    markers = [(START + dt.timedelta(days=40), "Exemestane", "therapy")]
    figure = grade_figure(
        start=START, end=END, daily=[1] * 90, rolling=[1.0] * 90, baseline=1.0,
        markers=markers, labelled=True,
    )  # fmt: skip
    printed = pdf.print_figure(figure, width=340, height=84)
    assert (printed["layout"]["width"], printed["layout"]["height"]) == (340, 84)
    assert printed["layout"]["annotations"] == []
    assert printed["layout"]["xaxis"]["tickformat"] == "%d %b"  # the year is in the header
    assert printed["data"][0]["marker"]["size"] < figure["data"][0]["marker"]["size"]
    assert figure["layout"]["annotations"] and "width" not in figure["layout"]  # untouched
    year = grade_figure(
        start=END - dt.timedelta(days=364), end=END, daily=[1] * 365, rolling=[1.0] * 365,
        baseline=None, markers=[],
    )  # fmt: skip
    printed = pdf.print_figure(year, width=340, height=84)
    assert printed["layout"]["xaxis"]["tickformat"] == "%b %Y"
    assert len(printed["data"]) == 2


def test_beyond_a_year_a_chart_prints_only_its_seven_day_average():
    from tracker.trends.charts import measure_figure

    start = END - dt.timedelta(days=729)
    figure = measure_figure(
        start=start, end=END, daily=[2] * 730, rolling=[2.0] * 730, baseline=2.0, markers=[],
        y_max=10, unit="/10",
    )  # fmt: skip
    printed = pdf.print_figure(figure, width=340, height=84)
    assert [trace["name"] for trace in printed["data"]] == ["7-day average"]


@pytest.mark.browser
@pytest.mark.django_db
def test_ninety_days_on_letter_paper_fit_on_two_pages_too():
    patient = make_patient("pdf-lee", started_on=START - dt.timedelta(days=30))
    patient.visit_notes = NOTES
    log_days(patient)
    content = pdf.render_pdf(build_report(patient, start=START, end=END), page_size="Letter")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) <= 2
    assert float(reader.pages[0].mediabox.height) == pytest.approx(792, abs=1)  # 11 inches


def test_a_browser_that_hangs_at_its_start_gives_tables_in_time_and_leaves_no_process(
    tmp_path, monkeypatch
):
    """The review found a hung Chromium still running after the fallback to tables."""
    import subprocess
    from types import SimpleNamespace

    BROWSER.close()  # one started by an earlier test would be used
    hung = tmp_path / "chromium"
    hung.write_text(f"#!/bin/sh\nexec sleep 300 # {tmp_path}\n")
    hung.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(hung))
    monkeypatch.setattr(pdf_charts, "EXPORT_TIMEOUT", 2)
    figure = {"data": [], "layout": {"xaxis": {"range": ["2026-01-01", "2026-02-01"]}}}
    assert pdf.chart_images([SimpleNamespace(key="fatigue", figure=figure)]) is None
    left = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True)  # noqa: S603, S607
    assert left.stdout == ""


def png(width: int) -> bytes:
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (width, 8), "white").save(picture, format="PNG")
    return picture.getvalue()


@pytest.mark.django_db
def test_the_charts_are_drawn_while_the_page_is_read(monkeypatch):
    """The browser draws in another thread while WeasyPrint reads the page: a drawing
    that waits for the page to be written would never end if it came first."""
    written = threading.Event()
    render_to_string = pdf.render_to_string

    def write(*args, **kwargs):
        written.set()
        return render_to_string(*args, **kwargs)

    def draw(figures, **kwargs):
        assert written.wait(20), "the page was only written after the charts were drawn"
        return [png(40 + number) for number, _ in enumerate(figures)]

    monkeypatch.setattr(pdf, "render_to_string", write)
    monkeypatch.setattr(BROWSER, "draw", draw)
    patient = make_patient("ann", first_name="Ann", last_name="Smith")
    log_days(patient, days=30)
    report = build_report(patient, start=START, end=START + dt.timedelta(days=29))
    reader, text = read(pdf.render_pdf(report))
    assert "could not be drawn" not in words(text)
    widths = {image.image.width for page in reader.pages for image in page.images}
    drawn = len(pdf.charts_to_draw(report))
    assert drawn > 0 and widths == {40 + number for number in range(drawn)}
