"""The browser that draws the PDF's charts: started once and kept for the next report,
started again when it died or stopped answering, killed with its helpers when it hangs."""

import datetime as dt
import os
import signal
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tracker.reports import pdf, pdf_charts
from tracker.reports.pdf_charts import BROWSER
from tracker.trends.charts import grade_figure

pytestmark = pytest.mark.browser

END = dt.date(2026, 3, 31)
START = END - dt.timedelta(days=29)


def charts():
    """Two charts of a month, as a report has them."""
    figure = grade_figure(
        start=START, end=END, daily=[1, 2] * 15, rolling=[1.5] * 30, baseline=1.0, markers=[]
    )
    return [
        SimpleNamespace(key="fatigue", figure=figure),
        SimpleNamespace(key="mood", figure=figure),
    ]


def running(group: int) -> set[int]:
    """The processes of a process group still running (not the dead waiting to be reaped)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def gone(group: int) -> bool:
    for _ in range(50):  # a killed process takes a moment to end
        if not running(group):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def browser():
    """The process's chart browser, stopped before and after: each test starts its own."""
    BROWSER.close()
    yield BROWSER
    BROWSER.close()


def test_the_browser_warmed_before_a_report_draws_it_and_the_next_one(browser):
    starts = browser.starts
    browser.warm()  # returns at once: the browser starts meanwhile
    first = pdf.chart_images(charts())
    pid = browser.pid
    browser.warm()
    second = pdf.chart_images(charts())
    assert browser.starts == starts + 1 and browser.pid == pid and running(pid)
    for images in (first, second):
        assert set(images) == {"fatigue", "mood"}
        assert all(image.startswith(b"\x89PNG") for image in images.values())


def test_a_browser_that_died_is_started_again_and_the_report_has_its_charts(browser):
    pdf.chart_images(charts())
    dead = browser.pid
    os.killpg(dead, signal.SIGKILL)
    assert gone(dead)
    assert pdf.chart_images(charts())
    assert browser.pid not in (None, dead)


def test_a_browser_that_stopped_answering_is_killed_and_replaced_before_drawing(
    browser, monkeypatch, caplog
):
    monkeypatch.setattr(pdf_charts, "PING_TIMEOUT", 0.5)
    pdf.chart_images(charts())
    hung = browser.pid
    os.killpg(hung, signal.SIGSTOP)
    assert pdf.chart_images(charts())
    assert browser.pid not in (None, hung)
    assert gone(hung)  # killed with its helpers, stopped as they were
    assert "Starting another chart browser" in caplog.text


def test_a_browser_that_hangs_while_drawing_is_killed_and_the_pdf_gets_tables(browser, monkeypatch):
    pdf.chart_images(charts())
    hung = browser.pid
    monkeypatch.setattr(pdf_charts, "EXPORT_TIMEOUT", 1)
    monkeypatch.setattr(pdf_charts, "DRAW", "(() => new Promise(() => {}))")  # never answers
    assert pdf.chart_images(charts()) is None
    assert gone(hung)
    monkeypatch.undo()
    assert pdf.chart_images(charts())  # the next report starts another
