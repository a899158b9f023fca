"""Share links: the patient makes, lists and closes them; whoever holds one reads
the report behind it, and every opening is logged for the patient."""

from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import INVALID, patient_required, private, record_view
from ..models import ReportSection, ShareLink
from ..reports.pdf_pages import asked_paper, pdf_download, pdf_page, pdf_status
from ..reports.pdf_queue import PdfOrder, Requester
from ..reports.report import build_report, default_period
from ..reports.request import report_for_request
from .forms import ShareLinkForm
from .handover import hand_over, take_over

NEW_TOKEN = "ripple-new-link"  # noqa: S105 - a cookie name: it carries a new token to its page once


@require_http_methods(["GET", "POST"])
@patient_required
def share_new(request):
    patient = request.patient
    today = patient.today()
    if request.method == "POST":
        form = ShareLinkForm(request.POST, today=today)
        if form.is_valid():
            start, end, note = form.period(today=today, default=default_period(patient, today))
            link, token = ShareLink.make(
                patient=patient,
                sections=form.chosen_sections(),
                starts_on=start,
                ends_on=end,
                days_valid=form.cleaned_data["days_valid"],
                label=form.cleaned_data["label"],
            )
            if note:
                messages.info(request, note)
            # Post/redirect/get. The token rides to that one page in a short-lived
            # cookie of the patient's own browser: the server keeps no copy, not even
            # in the session.
            detail = reverse("tracker:share-detail", args=[link.pk])
            response = redirect(detail)
            hand_over(request, response, NEW_TOKEN, token, path=detail)
            return response
        status = INVALID
    report_, _form, note = report_for_request(request, patient, figures=False)
    if request.method == "GET":
        # The report's own period and sections, as the report page had them.
        initial = {"start": report_.start, "end": report_.end, "sections": report_.sections}
        form = ShareLinkForm(initial=initial, today=today)
        status = 200
    return render(
        request,
        "tracker/sharing/share_new.html",
        {"form": form, "report": report_, "note": note},
        status=status,
    )


@require_GET
@patient_required
def share_list(request):
    links = ShareLink.objects.for_patient(request.patient).prefetch_related("openings")
    return render(request, "tracker/sharing/share_list.html", {"links": links})


@require_GET
@patient_required
def share_detail(request, pk):
    link = get_object_or_404(ShareLink.objects.for_patient(request.patient), pk=pk)
    response = HttpResponse()
    token = take_over(request, response, NEW_TOKEN)
    url = qr = None
    if token and link.status == "open" and ShareLink.objects.find(token) == link:
        url = request.build_absolute_uri(reverse("tracker:shared-report", args=[token]))
        qr = _qr_svg(url)
    response.content = render(
        request,
        "tracker/sharing/share_detail.html",
        {
            "link": link,
            "url": url,
            "qr": qr,
            "openings": link.openings.all(),
            "section_names": [ReportSection(s).label for s in link.sections],
        },
    ).content
    return private(response)


def _qr_svg(url: str) -> str:
    """The link as a QR code, in SVG without inline styles (the CSP allows none)."""
    import segno

    return segno.make(url, error="m").svg_inline(
        scale=5, dark="#1b2330", omitsize=True, title=_("QR code of your link")
    )


@require_POST
@patient_required
def share_revoke(request, pk):
    link = get_object_or_404(ShareLink.objects.for_patient(request.patient), pk=pk)
    link.revoke()
    messages.success(request, _("That link is closed. Nobody can open it any more."))
    return redirect("tracker:share-list")


def _link_invalid(request):
    """Unknown, expired, revoked and malformed tokens all get the same kind page with a
    404: it tells nothing apart."""
    response = private(render(request, "tracker/sharing/link_invalid.html", status=404))
    # Django would log "Not Found: /r/<token>/": a typo there is most of a live
    # token in the logs. The 404 is expected, so it is marked as logged already.
    response._has_been_logged = True
    return response


@require_GET
def shared_report(request, token):
    """The report behind a share link."""
    link = ShareLink.objects.find(token)
    if link is None:
        return _link_invalid(request)
    report = build_report(
        link.patient, start=link.starts_on, end=link.ends_on, sections=link.sections
    )
    record_view(request, patient=link.patient, what="report", link=link)
    return private(
        render(
            request,
            "tracker/sharing/shared_report.html",
            {"report": report, "link": link, "token": token},
        )
    )


# A link's PDF: made once for the link and the diary as it is, then sent again to
# whoever opens it (see reports/pdf_queue.py). Each PDF sent is logged.
def _link_pdfs(view):
    """The view gets the link's Requester in place of its token; a link that can't be
    opened, or a PDF it never asked for, gets the same kind 404 as its report."""

    @wraps(view)
    def wrapper(request, token, **kwargs):
        link = ShareLink.objects.find(token)
        if link is None:
            return _link_invalid(request)
        try:
            response = view(request, Requester(link.patient, link=link, token=token), **kwargs)
        except Http404:
            return _link_invalid(request)
        # Django logs each 4xx with its path: here, a live token (as in _link_invalid).
        response._has_been_logged = response.status_code >= 400
        return response

    return wrapper


@require_http_methods(["GET", "POST"])
@_link_pdfs
def shared_report_pdf(request, requester):
    link = requester.link
    order = PdfOrder(
        start=link.starts_on, end=link.ends_on, sections=link.sections, paper=asked_paper(request)
    )
    return pdf_page(request, requester, order)


@require_GET
@_link_pdfs
def shared_pdf_status(request, requester, pk):
    return pdf_status(request, requester, pk)


@require_GET
@_link_pdfs
def shared_pdf_download(request, requester, pk):
    return pdf_download(request, requester, pk)
