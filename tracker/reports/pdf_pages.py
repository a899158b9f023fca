"""The pages of a report's PDF, the same for the patient, a clinician and a share link:
each view checks who may look, then hands its Requester to these.

A GET never starts any work: a link scanner or a bookmark may follow the address.
It sends the PDF at once when one of the same report of the diary as it is now is
ready; shows the requester's PDF in progress; or offers a button that POSTs."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from ..access import private, record_view
from ..models import AskedBy, ReportPdf
from .exports import PAPER
from .pdf_queue import PdfOrder, Requester, current_pdf, order_pdf, ready_pdf, why_not
from .request import report_query

TEMPLATE = "tracker/reports/pdf.html"
TOO_MANY = 429


class PollForm(forms.Form):
    """The progress the page shows already (see ReportPdf.progress), as htmx polls."""

    shown = forms.CharField(required=False, max_length=20)


def asked_paper(request) -> str:
    """?paper=letter, or A4 for anything else."""
    return PAPER.get(request.GET.get("paper", ""), "A4")


def asked_order(request, report) -> PdfOrder:
    """The PDF a request asks for: the report's period and sections, on the paper asked."""
    return PdfOrder(
        start=report.start, end=report.end, sections=report.sections, paper=asked_paper(request)
    )


def pdf_page(request, requester: Requester, order: PdfOrder):
    """The address of a report's PDF (GET and POST)."""
    now = timezone.now()
    if request.method == "POST":
        made = order_pdf(requester, order, now=now)
        if isinstance(made, ReportPdf):
            return redirect(_url(requester, "status", made))
        return _page(request, requester, order=order, refusal=made, status=TOO_MANY)
    ready = ready_pdf(requester, order)
    if ready is not None:
        return _file(request, requester, ready)
    current = current_pdf(requester, now=now)
    if current is not None:
        return _page(request, requester, pdf=current, asked=order)
    return _page(request, requester, order=order, refusal=why_not(requester, now=now))


def pdf_status(request, requester: Requester, pk: int):
    """One PDF's progress: its page, or (htmx, polling) its status fragment, or
    nothing (204) while the progress the page shows is still right."""
    pdf = get_object_or_404(requester.pdfs().defer("content"), pk=pk)
    if pdf.in_progress and pdf.is_stuck(timezone.now()):
        pdf.fail()
    if request.htmx:
        poll = PollForm(request.GET)
        if poll.is_valid() and poll.cleaned_data["shown"] == pdf.progress:
            return private(HttpResponse(status=204))
        return _page(request, requester, pdf=pdf, fragment=True)
    return _page(request, requester, pdf=pdf)


def pdf_download(request, requester: Requester, pk: int):
    return _file(request, requester, get_object_or_404(requester.pdfs().ready(), pk=pk))


def _file(request, requester: Requester, pdf: ReportPdf):
    """The PDF as a download; a look by a clinician or through a link is logged."""
    if requester.asked_by == AskedBy.CLINICIAN:
        record_view(request, patient=requester.patient, what="pdf", clinician=requester.clinician)
    elif requester.asked_by == AskedBy.LINK:
        record_view(request, patient=requester.patient, what="pdf", link=requester.link)
    response = HttpResponse(bytes(pdf.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    return private(response)


def _page(request, requester, *, pdf=None, order=None, asked=None, refusal="", status=200,
          fragment=False):  # fmt: skip
    order = order or PdfOrder.of(pdf)
    context = {
        "pdf": pdf,
        "order": order,
        # The PDF in progress is of another period than the one just asked for.
        "other_asked": asked is not None and asked != order,
        "refusal": refusal,
        "make_url": _url(requester, "make", order=order),
        "report_url": _url(requester, "report", order=order),
        "status_url": pdf and _url(requester, "status", pdf),
        "download_url": pdf and _url(requester, "download", pdf),
    }
    template = f"{TEMPLATE}#pdf-status" if fragment else TEMPLATE
    return private(render(request, template, context, status=status))


def _url(requester: Requester, page: str, pdf: ReportPdf | None = None, *, order=None) -> str:
    """The address of one of the requester's pages: "report", "make" (both for an
    order), "status" or "download" (for a PDF)."""
    if page in ("status", "download"):
        names = {
            AskedBy.PATIENT: f"tracker:report-pdf-{page}",
            AskedBy.CLINICIAN: f"tracker:clinician-pdf-{page}",
            AskedBy.LINK: f"tracker:shared-pdf-{page}",
        }
        args = [requester.token, pdf.pk] if requester.link else [pdf.pk]
        return reverse(names[requester.asked_by], args=args)
    paper = "paper=letter" if order.paper == "Letter" else ""
    if requester.link is not None:
        name = "tracker:shared-report" if page == "report" else "tracker:shared-report-pdf"
        url = reverse(name, args=[requester.token])
        return f"{url}?{paper}" if paper and page == "make" else url
    query = report_query(order)
    if page == "make" and paper:
        query = f"{query}&{paper}"
    if requester.clinician is not None:
        name = "tracker:clinician-report" if page == "report" else "tracker:clinician-report-pdf"
        return f"{reverse(name, args=[requester.patient.pk])}?{query}"
    name = "tracker:report" if page == "report" else "tracker:report-pdf"
    return f"{reverse(name)}?{query}"
