"""Who may see what: the checks every private view starts with, and the log of every
view of a patient's data by someone else. One module, so a reviewer reads it whole."""

import datetime as dt
from functools import partial, wraps

from axes.helpers import get_client_ip_address
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import roles
from .models import EARLIEST_DATE, AccessLog, CareAccess, Patient, User
from .privacy import notice as privacy_notice
from .text import without_direction_marks

INVALID = 422  # a rejected value: the page comes back with a message beside it
BACKEND = "tracker.access.PatientBackend"


class PatientBackend(ModelBackend):
    """Django's own sign-in, which also reads the user's patient record in the query
    that loads the user on every request: each patient page needs it."""

    def get_user(self, user_id):
        try:
            user = User.objects.select_related("patient").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def patient_required(view=None, *, onboarded=True, consented=True):
    """Only a signed-in patient gets through, and (unless onboarded=False) only
    once onboarding is done, and (unless consented=False) only once they agreed to
    the current privacy notice. Anyone else signed in gets a 404: patient pages
    hold nothing for them.
    """
    if view is None:
        return partial(patient_required, onboarded=onboarded, consented=consented)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.htmx:
                # A redirect would swap the login page into the answer's status
                # line; a 401 lets the page say plainly that this answer wasn't saved.
                return HttpResponse(_("Not saved: you have been logged out."), status=401)
            return redirect_to_login(request.get_full_path())
        patient = getattr(request.user, "patient", None)
        if patient is None:
            raise Http404("Only patients have a diary.")
        if consented and not privacy_notice.agreed(request):
            if request.htmx:
                return HttpResponse(_("Not saved: please reload the page."), status=403)
            return redirect_to_login(request.get_full_path(), reverse("tracker:privacy-consent"))
        if onboarded and patient.onboarded_at is None:
            return redirect("tracker:onboarding")
        request.patient = patient
        return view(request, *args, **kwargs)

    return wrapper


def loggable_date(patient: Patient, date: dt.date) -> dt.date:
    """The date itself, or a 404 for a day that can't be logged (future or too early)."""
    if date > patient.today():
        raise Http404("That day hasn't happened yet.")
    if date < EARLIEST_DATE:
        raise Http404("That day is too long ago to log.")
    return date


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


def private(response):
    """Health data and one-time secrets: no cache keeps a copy, no robot indexes it."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def record_view(request, *, patient, what, clinician=None, link=None):
    record_views(request, patients=[patient], what=what, clinician=clinician, link=link)


def record_views(request, *, patients, what, clinician=None, link=None):
    """One access-log line per patient whose data this request shows, in one query."""
    if clinician is not None:
        who = without_direction_marks(clinician.get_full_name()) or clinician.username
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
