"""The appointment report, its exports, share links and the care team: the
patient's side. What others see of it is in views_shared.py."""

import logging
import smtplib

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import InviteForm, ReportForm, ShareLinkForm, VisitNotesForm
from .models import AccessLog, CareAccess, Patient, ReportSection, ShareLink, digest
from .report import Report, build_report, default_period
from .views import INVALID, patient_required

EXPORTS = {"pdf", "csv", "fhir"}
PAPER = {"a4": "A4", "letter": "Letter"}
INVITATIONS_A_DAY = 5  # enough for a care team; too few to make Ripple a mailer
logger = logging.getLogger(__name__)


def private(response):
    """Health data and one-time secrets: no cache keeps a copy, no robot indexes it."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


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


def export_response(request, report, fmt: str) -> HttpResponse:
    """The report as a download, named by its period (not by whose it is: files travel)."""
    name = f"ripple-report-{report.start}-to-{report.end}"
    if fmt == "pdf":
        from .pdf import render_pdf  # WeasyPrint is heavy to import: only when asked

        paper = PAPER.get(request.GET.get("paper", ""), "A4")
        response = HttpResponse(render_pdf(report, page_size=paper), content_type="application/pdf")
        extension = "pdf"
    elif fmt == "csv":
        from .exports import daily_csv

        csv = daily_csv(report.patient, start=report.start, end=report.end)
        response = HttpResponse(csv, content_type="text/csv; charset=utf-8")
        extension = "csv"
    elif fmt == "fhir":
        from .fhir import bundle_json

        data = bundle_json(report.patient, start=report.start, end=report.end)
        response = HttpResponse(data, content_type="application/fhir+json")
        extension = "fhir.json"
    else:
        raise Http404("No such format.")
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return private(response)


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
    template = "tracker/report.html#report-page" if request.htmx else "tracker/report.html"
    return render(request, template, context)


def report_query(report) -> str:
    """The report's period and sections as a query string, for its exports and links."""
    query = QueryDict(mutable=True)
    query["start"], query["end"] = report.start.isoformat(), report.end.isoformat()
    query.setlist("sections", report.sections)
    return query.urlencode()


@require_GET
@patient_required
def report_export(request, fmt):
    if fmt not in EXPORTS:
        raise Http404("No such format.")
    report_, _, _ = report_for_request(request, request.patient, figures=fmt == "pdf")
    return export_response(request, report_, fmt)


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
            "tracker/report.html#notes-status",
            {"notes_form": form, "saved": saved},
            status=200 if saved else INVALID,
        )
    if saved:
        messages.success(request, "Your questions are saved.")
        return redirect(reverse("tracker:report") + "#visit-notes")
    report_, report_form, note = report_for_request(request, request.patient)
    context = {"report": report_, "form": report_form, "note": note, "notes_form": form}
    context["query"] = report_query(report_)
    return render(request, "tracker/report.html", context, status=INVALID)


# --- Share links ---------------------------------------------------------------

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
            _hand_over(request, response, NEW_TOKEN, token, path=detail)
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
        "tracker/share_new.html",
        {"form": form, "report": report_, "note": note},
        status=status,
    )


def _hand_over(request, response, name, secret, *, path):
    """A one-time secret for the next page only: a signed cookie for that page's path,
    unreadable by scripts, gone with the browser session, and good for ten minutes
    and this account only (the salt), so another login on a shared browser can't read it."""
    response.set_signed_cookie(
        name, secret, salt=f"{path}:{request.user.pk}", path=path,
        secure=request.is_secure(), httponly=True, samesite="Strict",
    )  # fmt: skip


def _take_over(request, response, name):
    """The secret _hand_over() left for this page, once: the cookie goes with this response."""
    salt = f"{request.path}:{request.user.pk}"
    secret = request.get_signed_cookie(name, default=None, salt=salt, max_age=600)
    response.delete_cookie(name, path=request.path)
    return secret


@require_GET
@patient_required
def share_list(request):
    links = ShareLink.objects.for_patient(request.patient).prefetch_related("openings")
    return render(request, "tracker/share_list.html", {"links": links})


@require_GET
@patient_required
def share_detail(request, pk):
    link = get_object_or_404(ShareLink.objects.for_patient(request.patient), pk=pk)
    response = HttpResponse()
    token = _take_over(request, response, NEW_TOKEN)
    url = qr = None
    if token and link.status == "open" and ShareLink.objects.find(token) == link:
        url = request.build_absolute_uri(reverse("tracker:shared-report", args=[token]))
        qr = _qr_svg(url)
    response.content = render(
        request,
        "tracker/share_detail.html",
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


# --- The care team -------------------------------------------------------------

NEW_CODE = "ripple-new-code"


@require_http_methods(["GET", "POST"])
@patient_required
def care_team(request):
    patient = request.patient
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # The patient's row is locked, so parallel posts count one after another.
            Patient.objects.select_for_update().filter(pk=patient.pk).exists()
            since = timezone.now() - timezone.timedelta(days=1)
            made = CareAccess.objects.for_patient(patient).filter(created_at__gte=since).count()
            access = code = None
            if made < INVITATIONS_A_DAY:
                access, code = CareAccess.invite(patient=patient, email=form.cleaned_data["email"])
        if access is None:
            form.add_error(
                None,
                f"You have made {INVITATIONS_A_DAY} invitations today, the most Ripple allows "
                "in a day. Codes you made still work; you can make more tomorrow.",
            )
        else:
            if access.email and not _send_invitation(request, access, code):
                messages.error(
                    request,
                    "We couldn't send the email just now. The code below still works: "
                    "pass it on yourself, or try again later.",
                )
            response = redirect("tracker:care-team")
            _hand_over(request, response, NEW_CODE, code, path=reverse("tracker:care-team"))
            return response
    accesses = CareAccess.objects.for_patient(patient).select_related("clinician")
    log = Paginator(AccessLog.objects.for_patient(patient), 50).get_page(request.GET.get("page"))
    response = HttpResponse(status=INVALID if form.errors else 200)
    code = _take_over(request, response, NEW_CODE) if request.method == "GET" else None
    if code and not accesses.pending().filter(code_hash=digest(code)).exists():
        code = None  # only a code of this patient's, still waiting to be used
    response.content = render(
        request,
        "tracker/care_team.html",
        {
            "form": form,
            "code": code,
            "invitation_days": CareAccess.INVITATION_DAYS,
            "current": accesses.current(),
            "pending": accesses.pending(),
            "log": log,
        },
    ).content
    return private(response)


def _send_invitation(request, access, code) -> bool:
    """Email the code; False if the mail server couldn't take it (the code still works).
    The email holds nothing the patient typed and says nothing of their health:
    an address may be mistyped, and Ripple must not be a way to send anyone words."""
    from django.core.mail import send_mail

    accept = request.build_absolute_uri(reverse("tracker:clinician-accept"))
    join = request.build_absolute_uri(reverse("tracker:clinician-join"))
    try:
        send_mail(
            subject="An invitation to a patient's Ripple diary",
            message=(
                "A patient who keeps a symptom diary in Ripple would like you to be able to "
                "read it.\n\n"
                f"If you expected this, sign in to Ripple with your clinician account, go to "
                f"{accept} and enter this code:\n\n    {code}\n\n"
                f"No Ripple account yet? Make one with the same code at {join}\n\n"
                f"The code works once, until {access.expires_at:%d %B %Y}. If you did not "
                "expect this email, you can ignore it: nothing happens unless the code is used."
            ),
            from_email=None,
            recipient_list=[access.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("The invitation email could not be sent.")
        return False
    return True


@require_POST
@patient_required
def care_team_remove(request, pk):
    access = get_object_or_404(CareAccess.objects.for_patient(request.patient), pk=pk)
    access.end()
    if access.clinician:
        who = access.clinician.get_full_name() or access.clinician.username
        messages.success(request, f"{who} can no longer see your diary.")
    else:
        messages.success(request, "The invitation is withdrawn: its code no longer works.")
    return redirect("tracker:care-team")
