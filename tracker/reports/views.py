"""The appointment report, the patient's questions for the visit, and its exports."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import INVALID, patient_required
from .exports import export_for, export_response
from .forms import VisitNotesForm
from .pdf_pages import asked_order, pdf_download, pdf_page, pdf_status
from .pdf_queue import Requester
from .request import report_for_request, report_query


@require_GET
@patient_required
def report(request):
    report_, form, note = report_for_request(request, request.patient)
    context = {
        "report": report_,
        "form": form,
        "note": note,
        "notes_form": VisitNotesForm(instance=request.patient),
        "query": report_query(report_),
    }
    template = (
        "tracker/reports/report.html#report-page" if request.htmx else "tracker/reports/report.html"
    )
    return render(request, template, context)


@require_GET
@patient_required
def report_export(request, fmt):
    export = export_for(fmt)
    report_, _form, _note = report_for_request(
        request, request.patient, figures=export.needs_charts
    )
    return export_response(request, report_, fmt)


@require_http_methods(["GET", "POST"])
@patient_required
def report_pdf(request):
    """The report as a PDF, made by the background queue (see pdf_pages)."""
    report_, _form, _note = report_for_request(request, request.patient, figures=False)
    return pdf_page(request, Requester(request.patient), asked_order(request, report_))


@require_GET
@patient_required
def report_pdf_status(request, pk):
    return pdf_status(request, Requester(request.patient), pk)


@require_GET
@patient_required
def report_pdf_download(request, pk):
    return pdf_download(request, Requester(request.patient), pk)


@require_POST
@patient_required
def report_notes(request):
    """Saves the questions for the visit: as the patient types (htmx), or on Save."""
    form = VisitNotesForm(request.POST, instance=request.patient)
    saved = form.is_valid()
    if saved:
        form.save()
    if request.htmx:
        return render(
            request,
            "tracker/reports/report.html#notes-status",
            {"notes_form": form, "saved": saved},
            status=200 if saved else INVALID,
        )
    if saved:
        messages.success(request, _("Your questions are saved."))
        return redirect(reverse("tracker:report") + "#visit-notes")
    report_, report_form, note = report_for_request(request, request.patient)
    context = {"report": report_, "form": report_form, "note": note, "notes_form": form}
    context["query"] = report_query(report_)
    return render(request, "tracker/reports/report.html", context, status=INVALID)
