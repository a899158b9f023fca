"""What others see of a patient's diary: a share link's report, and a clinician's
panel, dashboard and report. Everything here is read-only, and every view of a
patient's data is written to the access log the patient reads."""

from functools import wraps

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from . import roles
from .forms import AcceptInvitationForm, ClinicianSignupForm
from .models import AccessLog, CareAccess, Patient, ShareLink, digest
from .panel import panel
from .report import build_report
from .views import INVALID, dashboard_context
from .views_report import (
    EXPORTS,
    PAPER,
    export_response,
    private,
    report_for_request,
    report_query,
)


def record_view(request, *, patient, what, clinician=None, link=None):
    record_views(request, patients=[patient], what=what, clinician=clinician, link=link)


def record_views(request, *, patients, what, clinician=None, link=None):
    """One access-log line per patient whose data this request shows, in one query."""
    if clinician is not None:
        who = clinician.get_full_name() or clinician.username
    elif request.user.is_authenticated and request.user.pk == patients[0].user_id:
        who = f"You, through your link “{link}”"
    else:
        who = f"Someone with your link “{link}”"
    ip = get_client_ip_address(request) or None
    browser = request.headers.get("User-Agent", "")[:300]
    AccessLog.objects.bulk_create(
        AccessLog(
            patient=patient, what=what, clinician=clinician, share_link=link,
            who=who[:150], ip=ip, browser=browser,
        )
        for patient in patients
    )  # fmt: skip


# --- Share links -----------------------------------------------------------------


@require_GET
def shared_report(request, token, fmt=None):
    """The report behind a share link. Unknown, expired, revoked and malformed
    tokens all get the same kind page with a 404: it tells nothing apart."""
    link = ShareLink.objects.find(token)
    if link is None or fmt not in (None, "pdf"):
        response = private(render(request, "tracker/link_invalid.html", status=404))
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
            request, "tracker/shared_report.html", {"report": report, "link": link, "token": token}
        )
    )


def shared_pdf(request, link, report):
    """A link's PDF. Anyone holding the link can ask for it, and each one keeps a
    Chromium busy for seconds, so one made in the last 5 minutes is sent again."""
    from django.core.cache import cache

    paper = PAPER.get(request.GET.get("paper", ""), "A4")
    # The key changes with anything the PDF shows, so a fresh note or day shows at once.
    latest = link.patient.day_logs.aggregate(latest=Max("updated_at"))["latest"]
    shown = f"{latest}|{link.patient.visit_notes}|{link.patient.shown_name}"
    key = f"ripple:share-pdf:{link.token_hash}:{paper}:{digest(shown)}"
    response = cache.get(key)
    if response is None:
        response = export_response(request, report, "pdf")
        cache.set(key, response, timeout=300)
    return response


# --- Clinicians ------------------------------------------------------------------


def clinician_required(view):
    """Signed in, in the Clinician role; anyone else signed in gets a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.in_role(roles.CLINICIAN):
            raise Http404("Only clinicians have a panel.")
        return view(request, *args, **kwargs)

    return wrapper


def patient_of(clinician, pk) -> Patient:
    """A patient who invited this clinician and hasn't removed them; else a 404."""
    current = CareAccess.objects.current().filter(clinician=clinician)
    patient = (
        Patient.objects.filter(pk=pk, pk__in=current.values("patient"))
        .select_related("user")
        .first()
    )
    if patient is None:
        raise Http404("No such patient.")
    return patient


@require_GET
@clinician_required
def clinician_panel(request):
    rows = panel(request.user)
    # Flags, last log and adherence are the patients' data too: each patient's log
    # gets one line a day for the panel, however often it is reloaded.
    today = timezone.now().date()
    seen = set(
        AccessLog.objects.filter(
            clinician=request.user,
            what="panel",
            at__date=today,
            patient__in=[r.patient for r in rows],
        ).values_list("patient_id", flat=True)
    )
    unseen = [r.patient for r in rows if r.patient.pk not in seen]
    if unseen:
        record_views(request, patients=unseen, what="panel", clinician=request.user)
    return private(render(request, "tracker/clinician_panel.html", {"rows": rows}))


@require_http_methods(["GET", "POST"])
@clinician_required
def clinician_accept(request):
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        access = CareAccess.accept(code=form.cleaned_data["code"], clinician=request.user)
        if access is not None:
            name = access.patient.shown_name
            messages.success(request, f"You can now see {name}'s diary.")
            return redirect("tracker:clinician-panel")
        form.add_error(
            "code",
            "That code doesn't work. It may be mistyped, used already, expired or withdrawn; "
            "your patient can make a new one.",
        )
    status = INVALID if form.errors else 200
    return render(request, "tracker/clinician_accept.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def clinician_join(request):
    """A clinician without a Ripple account makes one with a patient's invitation code,
    and the same step accepts the invitation."""
    if request.user.is_authenticated:
        return redirect("tracker:clinician-accept")
    form = ClinicianSignupForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            user.groups.add(Group.objects.get(name=roles.CLINICIAN))
            access = CareAccess.accept(code=form.cleaned_data["code"], clinician=user)
            if access is None:  # used by someone else a moment ago: make nothing
                transaction.set_rollback(True)
        if access is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, f"Welcome. You can now see {access.patient.shown_name}'s diary."
            )
            return redirect("tracker:clinician-panel")
        form.add_error("code", "That code was used a moment ago; your patient can make a new one.")
    status = INVALID if form.errors else 200
    return render(request, "tracker/clinician_join.html", {"form": form}, status=status)


@require_GET
@clinician_required
def clinician_dashboard(request, pk):
    patient = patient_of(request.user, pk)
    context = {**dashboard_context(request, patient), "patient": patient, "readonly": True}
    record_view(request, patient=patient, what="dashboard", clinician=request.user)
    template = "tracker/trends.html#dashboard" if request.htmx else "tracker/trends.html"
    return private(render(request, template, context))


@require_GET
@clinician_required
def clinician_report(request, pk, fmt=None):
    patient = patient_of(request.user, pk)
    if fmt is not None and fmt not in EXPORTS:
        raise Http404("No such format.")
    report, form, note = report_for_request(request, patient, figures=fmt in (None, "pdf"))
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
    return private(render(request, "tracker/clinician_report.html", context))
