"""Signing up, the second step at login, onboarding, settings and the medicine history."""

from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.views import PasswordResetView
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import roles
from ..access import BACKEND, INVALID, patient_required, private
from ..models import Patient, Reminder, Symptom, Therapy, digest
from ..privacy import notice as privacy_notice
from ..recording import refresh_baselines
from . import two_factor
from .forms import (
    PasswordCheckForm,
    PatientSettingsForm,
    SignupForm,
    TherapyForm,
    TwoFactorSetupForm,
    TwoFactorVerifyForm,
)
from .throttle import over_limit

# Reset emails an hour: from one address, and to one inbox, whether or not it has an
# account (so the limit tells nothing about who has one).
RESETS_PER_ADDRESS = 5
RESETS_PER_EMAIL = 3
django_password_reset = PasswordResetView.as_view()


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return render(request, "tracker/accounts/landing.html")
    if hasattr(request.user, "patient"):
        return redirect("tracker:today")
    if request.user.is_clinician:
        return redirect("tracker:clinician-panel")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "tracker/accounts/staff_home.html")


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Django's password reset, throttled."""
    if request.method == "POST":
        email = request.POST.get("email", "").strip().lower()
        # Both counted, always: one over its limit must not spare the other its count.
        by_address = over_limit(
            f"ripple:reset:ip:{get_client_ip_address(request)}",
            limit=RESETS_PER_ADDRESS,
            window=3600,
        )
        by_email = over_limit(
            f"ripple:reset:email:{digest(email)}", limit=RESETS_PER_EMAIL, window=3600
        )
        if by_address or by_email:
            form = PasswordResetForm(request.POST)
            context = {"form": form, "throttled": True}
            return render(request, "registration/password_reset_form.html", context, status=429)
    return django_password_reset(request)


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            # The language of the page they signed up on (their browser's, or the
            # switch's): their emails and reports follow it until they change it.
            user.language = translation.get_language()
            user.save()
            user.groups.add(Group.objects.get(name=roles.PATIENT))
            patient = Patient.objects.create(user=user)
            patient.track(Symptom.objects.defaults())
        login(request, user, backend=BACKEND)
        privacy_notice.agree(request, user)  # after login, which starts a new session
        return redirect("tracker:onboarding")
    context = {"form": form, "version": privacy_notice.VERSION}
    return render(
        request, "registration/signup.html", context, status=INVALID if form.errors else 200
    )


def _next_url(request) -> str:
    """Where the second step was asked from (a page of this site only), else home.
    Read as Django's own LoginView reads it."""
    url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(request, name: str) -> str:
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}"


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_verify(request):
    if not two_factor.pending(request):
        return redirect(_next_url(request))
    if two_factor.app_device(request.user) is None:
        return redirect(_with_next(request, "two-factor-setup"))
    form = TwoFactorVerifyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        two_factor.verified(request, form.device)
        if form.uses_recovery_code:
            left = two_factor.recovery_codes_left(request.user)
            if two_factor.policy(request) == two_factor.REQUIRED:
                message = ngettext(
                    "That recovery code is used up now; you have %(left)d left. If your "
                    "phone is lost, ask an administrator to reset your second step.",
                    "That recovery code is used up now; you have %(left)d left. If your "
                    "phone is lost, ask an administrator to reset your second step.",
                    left,
                )
            else:
                message = ngettext(
                    "That recovery code is used up now; you have %(left)d left. If your "
                    "phone is lost, turn the second step off and on again in Settings.",
                    "That recovery code is used up now; you have %(left)d left. If your "
                    "phone is lost, turn the second step off and on again in Settings.",
                    left,
                )
            messages.info(request, message % {"left": left})
        return redirect(_next_url(request))
    return private(
        render(
            request,
            "registration/two_factor_verify.html",
            {"form": form},
            status=INVALID if form.errors else 200,
        )
    )


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_setup(request):
    """Scan (or type) the secret into an app, then type its first code. Only for an
    account without an app yet: someone who has one gives its code instead."""
    if two_factor.app_device(request.user) is not None:
        return redirect(_with_next(request, "two-factor-verify"))
    device = two_factor.device_being_set_up(request)
    form = TwoFactorSetupForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        request.session[two_factor.NEW_CODES_KEY] = two_factor.confirm(request, device)
        return redirect(_with_next(request, "two-factor-codes"))
    context = {
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "required": two_factor.policy(request) == two_factor.REQUIRED,
    }
    return private(
        render(
            request,
            "registration/two_factor_setup.html",
            context,
            status=INVALID if form.errors else 200,
        )
    )


@require_GET
@login_required
def two_factor_codes(request):
    """The new recovery codes, once: they leave the session as the page is made."""
    codes = request.session.pop(two_factor.NEW_CODES_KEY, None)
    return private(
        render(
            request,
            "registration/two_factor_codes.html",
            {"codes": codes, "next": _next_url(request)},
        )
    )


@require_http_methods(["GET", "POST"])
@patient_required
def two_factor_off(request):
    """A patient turns the second step off, with their password: staff and clinicians
    can't (for them it is not a choice) and get the 404 of every patient page."""
    form = PasswordCheckForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        two_factor.turn_off(request)
        messages.success(request, _("The second step is off. Ripple asks only for your password."))
        return redirect("tracker:settings")
    return render(
        request,
        "tracker/accounts/two_factor_off.html",
        {"form": form},
        status=INVALID if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@patient_required(onboarded=False)
def onboarding(request):
    patient = request.patient
    therapy = patient.current_therapy or Therapy(patient=patient)
    settings_form = PatientSettingsForm(request.POST or None, instance=patient)
    if patient.onboarded_at is None:
        # Only a newcomer's zone is guessed from the browser; later it is theirs to set.
        settings_form.fields["time_zone"].widget.attrs["data-guess-time-zone"] = ""
    therapy_form = TherapyForm(
        request.POST or None, instance=therapy, patient=patient, prefix="therapy"
    )
    if request.method == "POST" and settings_form.is_valid() and therapy_form.is_valid():
        with transaction.atomic():
            patient = settings_form.save(commit=False)
            patient.onboarded_at = patient.onboarded_at or timezone.now()
            patient.save()
            settings_form.save_m2m()
            therapy_form.save()
            refresh_baselines(patient)
        messages.success(request, _("You're all set. Here is today."))
        return redirect("tracker:today")
    status = INVALID if request.method == "POST" else 200
    return render(
        request,
        "tracker/accounts/onboarding.html",
        {"settings_form": settings_form, "therapy_form": therapy_form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@patient_required
def patient_settings(request):
    patient = request.patient
    form = PatientSettingsForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if {"tracked_symptoms", "weekly_symptoms"} & set(form.changed_data):
                refresh_baselines(patient)  # a baseline compares answers of one recall
        messages.success(request, _("Your settings are saved."))
        return redirect("tracker:settings")
    therapies = Therapy.objects.for_patient(patient).order_by("-started_on")
    return render(
        request,
        "tracker/accounts/settings.html",
        {
            "form": form,
            "therapies": therapies,
            "reminder": Reminder.objects.filter(patient=patient).first(),
            "second_factor": two_factor.app_device(request.user) is not None,
        },
        status=INVALID if form.errors else 200,
    )


def _get_therapy_for_patient(patient: Patient, pk: int) -> Therapy:
    return get_object_or_404(Therapy.objects.for_patient(patient), pk=pk)


@require_http_methods(["GET", "POST"])
@patient_required
def therapy_edit(request, pk=None):
    patient = request.patient
    therapy = _get_therapy_for_patient(patient, pk) if pk else Therapy(patient=patient)
    form = TherapyForm(request.POST or None, instance=therapy, patient=patient)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            refresh_baselines(patient)
        messages.success(request, _("Your medicine history is saved."))
        return redirect("tracker:settings")
    return render(
        request,
        "tracker/accounts/therapy_form.html",
        {"form": form, "therapy": therapy},
        status=INVALID if form.errors else 200,
    )


@require_POST
@patient_required
def therapy_delete(request, pk):
    patient = request.patient
    therapy = _get_therapy_for_patient(patient, pk)
    if Therapy.objects.for_patient(patient).count() == 1:
        messages.error(request, _("Ripple needs at least one medicine; change this one instead."))
    else:
        with transaction.atomic():
            therapy.delete()
            refresh_baselines(patient)
        messages.success(request, _("That medicine was removed from your history."))
    return redirect("tracker:settings")
