"""A clinician's side: the panel of their patients, accepting an invitation, joining
with a code, and each patient's trends and report, read-only and logged."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import roles
from ..access import (
    BACKEND,
    INVALID,
    clinician_required,
    patient_of,
    private,
    record_view,
    record_views,
)
from ..models import AccessLog, CareAccess, RaisedFlag, ReportPdf
from ..recording import refresh_baselines
from ..reports.exports import export_for, export_response
from ..reports.pdf_pages import asked_order, pdf_download, pdf_page, pdf_status
from ..reports.pdf_queue import Requester
from ..reports.request import report_for_request, report_query
from ..text import short_date
from ..trends.request import dashboard_context
from . import join_confirmation
from .forms import AcceptInvitationForm, BaselineWeekForm, ClinicianSignupForm, FlagSeenForm
from .panel import panel


@require_GET
@clinician_required
def clinician_panel(request):
    rows = panel(request.user)
    # Flags, last log and adherence are the patients' data too: each patient's log
    # gets one line a day for the panel, however often it is reloaded.
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    seen = set(
        AccessLog.objects.filter(
            clinician=request.user,
            what="panel",
            at__gte=midnight,  # a range, not a date of each row: the index serves it
            patient__in=[r.patient for r in rows],
        ).values_list("patient_id", flat=True)
    )
    unseen = [r.patient for r in rows if r.patient.pk not in seen]
    if unseen:
        record_views(request, patients=unseen, what="panel", clinician=request.user)
    return private(render(request, "tracker/sharing/clinician_panel.html", {"rows": rows}))


@require_http_methods(["GET", "POST"])
@clinician_required
def clinician_accept(request):
    form = AcceptInvitationForm(request.POST or None, clinician=request.user)
    if request.method == "POST" and form.is_valid():
        access = CareAccess.accept(code=form.cleaned_data["code"], clinician=request.user)
        if access is not None:
            name = access.patient.shown_name
            messages.success(request, _("You can now see %(name)s's diary.") % {"name": name})
            return redirect("tracker:clinician-panel")
        form.add_error(
            "code",
            _(
                "That code doesn't work. It may be mistyped, used already, expired or "
                "withdrawn; your patient can make a new one."
            ),
        )
    status = INVALID if form.errors else 200
    return render(request, "tracker/sharing/clinician_accept.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def clinician_join(request):
    """A clinician without a Ripple account makes one with a patient's invitation code,
    and the same step accepts the invitation."""
    if request.user.is_authenticated:
        return redirect("tracker:clinician-accept")
    form = ClinicianSignupForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid() and form.invitation.email:
        # An emailed code proves the address only once the address answers: the
        # account waits, inactive, for a link sent to it (a forwarded code opens nothing).
        with transaction.atomic():
            user = form.save(commit=False)
            user.is_active = False
            user.save()
            user.groups.add(Group.objects.get(name=roles.CLINICIAN))
        sent = join_confirmation.send(request, user, form.cleaned_data["code"])
        context = {"email": user.email, "sent": sent}
        return render(request, "tracker/sharing/clinician_join_sent.html", context)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            user.groups.add(Group.objects.get(name=roles.CLINICIAN))
            access = CareAccess.accept(code=form.cleaned_data["code"], clinician=user)
            if access is None:  # used by someone else a moment ago: make nothing
                transaction.set_rollback(True)
        if access is not None:
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _("Welcome. You can now see %(name)s's diary.")
                % {"name": access.patient.shown_name},
            )
            return redirect("tracker:clinician-panel")
        form.add_error(
            "code", _("That code was used a moment ago; your patient can make a new one.")
        )
    status = INVALID if form.errors else 200
    return render(request, "tracker/sharing/clinician_join.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def clinician_join_confirm(request, token):
    """The link sent to the invited address: a page with a button (a mail program's
    link checker opening it changes nothing), whose press makes the account work,
    accepts the invitation and signs in."""
    user, code = join_confirmation.read(token)
    if user is None:
        response = render(request, "tracker/sharing/clinician_join_confirm.html", status=404)
        response._has_been_logged = True  # a Not Found line would name the token
        return private(response)
    if request.method == "GET":
        return private(
            render(request, "tracker/sharing/clinician_join_confirm.html", {"pending": user})
        )
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        access = CareAccess.accept(code=code, clinician=user)
    login(request, user, backend=BACKEND)
    if access is None:
        messages.info(
            request,
            _(
                "Your account is ready. The invitation was withdrawn or has expired meanwhile: "
                "your patient can make a new code."
            ),
        )
    else:
        messages.success(
            request,
            _("Welcome. You can now see %(name)s's diary.") % {"name": access.patient.shown_name},
        )
    return redirect("tracker:clinician-panel")


@require_GET
@clinician_required
def clinician_dashboard(request, pk):
    patient = patient_of(request.user, pk)
    context = {
        **dashboard_context(request, patient, clinician=True),
        "patient": patient,
        "readonly": True,
    }
    record_view(request, patient=patient, what="dashboard", clinician=request.user)
    template = (
        "tracker/trends/trends.html#dashboard" if request.htmx else "tracker/trends/trends.html"
    )
    return private(render(request, template, context))


@require_GET
@clinician_required
def clinician_report(request, pk, fmt=None):
    patient = patient_of(request.user, pk)
    charts = fmt is None or export_for(fmt).needs_charts
    report, form, note = report_for_request(request, patient, figures=charts)
    record_view(request, patient=patient, what=fmt or "report", clinician=request.user)
    if fmt:
        return export_response(request, report, fmt)
    context = {
        "patient": patient,
        "report": report,
        "form": form,
        "note": note,
        "query": report_query(report),
        "readonly": True,
    }
    return private(render(request, "tracker/sharing/clinician_report.html", context))


@require_http_methods(["GET", "POST"])
@clinician_required
def clinician_report_pdf(request, pk):
    """A patient's report as a PDF, made by the background queue (see pdf_pages)."""
    patient = patient_of(request.user, pk)
    report, _form, _note = report_for_request(request, patient, figures=False)
    return pdf_page(
        request, Requester(patient, clinician=request.user), asked_order(request, report)
    )


def _pdf_requester(request, pk) -> Requester:
    """The clinician asking about one of their PDFs: a 404 unless they asked for it and
    the patient still lets them see the diary."""
    asked = ReportPdf.objects.filter(clinician=request.user, pk=pk).values_list("patient")
    patient_pk = asked.first()
    if patient_pk is None:
        raise Http404("No such PDF.")
    return Requester(patient_of(request.user, patient_pk[0]), clinician=request.user)


@require_GET
@clinician_required
def clinician_pdf_status(request, pk):
    return pdf_status(request, _pdf_requester(request, pk), pk)


@require_GET
@clinician_required
def clinician_pdf_download(request, pk):
    return pdf_download(request, _pdf_requester(request, pk), pk)


@require_POST
@clinician_required
def clinician_flag_seen(request, pk):
    """Mark one of a patient's open flags seen: it leaves the panel's open flags, and
    the patient sees who saw it and when."""
    patient = patient_of(request.user, pk)
    form = FlagSeenForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("That flag couldn't be marked seen. Please reload and try again.")
        )
        return redirect("tracker:clinician-dashboard", pk=patient.pk)
    flag = RaisedFlag.objects.open().filter(patient=patient, rule=form.cleaned_data["rule"]).first()
    if flag is None:
        messages.info(request, _("That flag no longer holds, so there is nothing to mark."))
    else:
        flag.mark_seen(request.user, value=form.cleaned_data["value"])
        messages.success(
            request,
            _("Marked seen. %(name)s can see that you saw it.") % {"name": patient.shown_name},
        )
    if form.cleaned_data["back"] == "panel":
        return redirect("tracker:clinician-panel")
    return redirect("tracker:clinician-dashboard", pk=patient.pk)


@require_POST
@clinician_required
def clinician_baseline(request, pk):
    """Set the week a patient's baselines come from, or give them back to the rule."""
    patient = patient_of(request.user, pk)
    form = BaselineWeekForm(request.POST, today=patient.today())
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("tracker:clinician-dashboard", pk=patient.pk)
    if form.cleaned_data["action"] == "choose":
        patient.baseline_week = form.cleaned_data["week"]
        patient.baseline_chosen_by = request.user.get_full_name() or request.user.username
        patient.baseline_chosen_at = timezone.now()
        done = _("Baselines now come from the 7 days starting %(date)s.") % {
            "date": short_date(patient.baseline_week)
        }
    else:
        patient.baseline_week, patient.baseline_chosen_by, patient.baseline_chosen_at = (
            None,
            "",
            None,
        )
        done = _("Baselines follow Ripple's rule again.")
    with transaction.atomic():
        patient.save(update_fields=["baseline_week", "baseline_chosen_by", "baseline_chosen_at"])
        refresh_baselines(patient)
    messages.success(request, done)
    return redirect("tracker:clinician-dashboard", pk=patient.pk)
