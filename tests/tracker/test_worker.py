"""The task worker: django_tasks_db's, which gets the PDF's tools ready as it starts."""

import threading

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker

from tracker.management.commands import db_worker as ours
from tracker.reports import exports, pdf_charts


@pytest.fixture
def started(monkeypatch):
    """The worker's loop and signal handlers stubbed (this is the test process); the
    list says each time the PDF's tools were readied."""
    readied = []
    monkeypatch.setattr(ours, "prepare_worker", lambda: readied.append(True))
    monkeypatch.setattr(db_worker.Worker, "run", lambda self: None)
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda self: None)
    return readied


@pytest.mark.django_db
def test_a_worker_readies_the_pdf_tools_as_it_starts(started):
    call_command("db_worker", reload=False, verbosity=0)
    assert started == [True]


@pytest.mark.django_db
def test_a_batch_that_drains_the_queue_and_ends_starts_no_browser(started):
    call_command("db_worker", batch=True, verbosity=0)
    assert started == []


def test_readying_starts_the_browser_and_imports_weasyprint_in_the_background(monkeypatch):
    warmed, imported = [], threading.Event()
    monkeypatch.setattr(pdf_charts.BROWSER, "warm", lambda: warmed.append(True))
    monkeypatch.setattr(exports, "_import_pdf", imported.set)
    exports.prepare_worker()
    assert warmed == [True]
    assert imported.wait(10)
