"""The report's downloads: one registry, used by the report page, share links, the
clinician's view and the export_report command, so each format is made one way."""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpResponse

from ..access import private
from .report import Report

PAPER = {"a4": "A4", "letter": "Letter"}


@dataclass(frozen=True)
class Export:
    name: str
    content_type: str
    extension: str
    needs_charts: bool  # the PDF draws the charts; CSV and FHIR read the diary themselves
    make: Callable[..., bytes]  # make(report, paper=...) -> the file
    # Called before the report is built: the PDF's browser starts meanwhile.
    prepare: Callable[[], None] = lambda: None


def _pdf(report: Report, *, paper: str) -> bytes:
    from .pdf import render_pdf  # WeasyPrint is heavy to import: only when asked

    return render_pdf(report, page_size=paper)


def _start_browser() -> None:
    from .pdf_charts import BROWSER

    BROWSER.warm()


def prepare_worker() -> None:
    """Ready a task worker for its first PDF: Chromium started, and WeasyPrint imported
    in a thread of its own (1.2 s of Python), both while the worker waits for work."""
    _start_browser()
    threading.Thread(target=_import_pdf, daemon=True).start()


def _import_pdf() -> None:
    from . import pdf  # noqa: F401 - imported to be ready, not used here


def _csv(report: Report, *, paper: str) -> bytes:
    from .csv import daily_csv

    return daily_csv(report.patient, start=report.start, end=report.end).encode()


def _fhir(report: Report, *, paper: str) -> bytes:
    from .fhir import bundle_json

    return bundle_json(report.patient, start=report.start, end=report.end)


EXPORTS = {
    export.name: export
    for export in [
        Export("pdf", "application/pdf", "pdf", True, _pdf, prepare=_start_browser),
        Export("csv", "text/csv; charset=utf-8", "csv", False, _csv),
        Export("fhir", "application/fhir+json", "fhir.json", False, _fhir),
    ]
}


def export_for(fmt: str) -> Export:
    """The export of that name, or a 404."""
    if fmt not in EXPORTS:
        raise Http404("No such format.")
    return EXPORTS[fmt]


def export_response(request, report: Report, fmt: str) -> HttpResponse:
    """The report as a download, named by its period (not by whose it is: files travel)."""
    export = export_for(fmt)
    paper = PAPER.get(request.GET.get("paper", ""), "A4")
    response = HttpResponse(export.make(report, paper=paper), content_type=export.content_type)
    name = f"ripple-report-{report.start}-to-{report.end}.{export.extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return private(response)
