from urllib.parse import urlencode

import pytest
from django.test import TestCase

STAND_IN = b"%PDF-1.7 stand-in"


@pytest.fixture
def made_pdfs(monkeypatch):
    """WeasyPrint and Chromium are slow, and the PDF itself is tested in test_pdf.py:
    render_pdf makes a stand-in, and each (report, page size) it was asked for is kept.
    No chart browser is started for it."""
    made = []

    def render_pdf(report, *, page_size="A4"):
        made.append((report, page_size))
        return STAND_IN

    monkeypatch.setattr("tracker.reports.pdf.render_pdf", render_pdf)
    monkeypatch.setattr("tracker.reports.pdf_charts.BROWSER.warm", lambda: None)
    return made


@pytest.fixture
def ask_for_pdf(run_tasks):
    """POST to a PDF's address, as its "Make the PDF" button does (with ?query), then
    let the worker run what was queued (unless run=False). The response to the POST."""

    def ask(client, url, query=None, *, run=True):
        if query:
            url = f"{url}?{urlencode(query, doseq=True)}"
        # The task is queued once the request's transaction commits.
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(url)
        if run:
            run_tasks()
        return response

    return ask
