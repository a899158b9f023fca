"""The report a request asks for: its period and sections come from the query string."""

from django.http import QueryDict

from .forms import ReportForm
from .report import Report, build_report, default_period


def report_for_request(request, patient, *, figures=True):
    """The report a query string asks for, the form showing it, and a note.
    CSV and FHIR need only its period: figures=False skips drawing the charts."""
    today = patient.today()
    form = ReportForm(request.GET or None)
    start, end, note = form.period(today=today, default=default_period(patient, today))
    sections = form.chosen_sections()
    if figures:
        report = build_report(patient, start=start, end=end, sections=sections)
    else:
        report = Report.period_only(patient, start=start, end=end, sections=sections)
    # The form shows what the report holds, which may differ from what was asked.
    shown = ReportForm(initial={"start": start, "end": end, "sections": report.sections})
    return report, shown, note


def report_query(report) -> str:
    """The report's period and sections as a query string, for its exports and links."""
    query = QueryDict(mutable=True)
    query["start"], query["end"] = report.start.isoformat(), report.end.isoformat()
    query.setlist("sections", report.sections)
    return query.urlencode()
