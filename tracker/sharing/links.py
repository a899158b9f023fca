"""Share links: the patient makes, lists and closes them; whoever holds one reads
the report behind it, and every opening is logged for the patient."""

from django.contrib import messages
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import INVALID, patient_required, private, record_view
from ..models import ReportSection, ShareLink, digest
from ..reports.exports import PAPER, export_response
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
    report_, _, note = report_for_request(request, patient, figures=False)
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
        scale=5, dark="#1b2330", omitsize=True, title="QR code of your link"
    )


@require_POST
@patient_required
def share_revoke(request, pk):
    link = get_object_or_404(ShareLink.objects.for_patient(request.patient), pk=pk)
    link.revoke()
    messages.success(request, "That link is closed. Nobody can open it any more.")
    return redirect("tracker:share-list")


@require_GET
def shared_report(request, token, fmt=None):
    """The report behind a share link. Unknown, expired, revoked and malformed
    tokens all get the same kind page with a 404: it tells nothing apart."""
    link = ShareLink.objects.find(token)
    if link is None or fmt not in (None, "pdf"):
        response = private(render(request, "tracker/sharing/link_invalid.html", status=404))
        # Django would log "Not Found: /r/<token>/": a typo there is most of a live
        # token in the logs. The 404 is expected, so it is marked as logged already.
        response._has_been_logged = True
        return response
    report = build_report(
        link.patient, start=link.starts_on, end=link.ends_on, sections=link.sections
    )
    record_view(request, patient=link.patient, what=fmt or "report", link=link)
    if fmt:
        return shared_pdf(request, link, report)
    return private(
        render(
            request,
            "tracker/sharing/shared_report.html",
            {"report": report, "link": link, "token": token},
        )
    )


def shared_pdf(request, link, report):
    """A link's PDF. Anyone holding the link can ask for it, and each one keeps a
    Chromium busy for seconds, so one made in the last 5 minutes is sent again."""
    from django.core.cache import cache

    paper = PAPER.get(request.GET.get("paper", ""), "A4")
    # The key changes with the diary (a saved answer, or figures derived again), the
    # notes and the name, so those show at once; a change of medicines or of the
    # timeline shows once the 5 minutes have passed.
    latest = link.patient.day_logs.aggregate(latest=Max("updated_at"))["latest"]
    shown = f"{latest}|{link.patient.visit_notes}|{link.patient.shown_name}"
    key = f"ripple:share-pdf:{link.token_hash}:{paper}:{digest(shown)}"
    response = cache.get(key)
    if response is None:
        response = export_response(request, report, "pdf")
        cache.set(key, response, timeout=300)
    return response
