import calendar
import datetime as dt
from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import roles
from .checkin import day_form_initial, load_day
from .forms import (
    EARLIEST_DATE,
    DayForm,
    MonthForm,
    PatientSettingsForm,
    RangeForm,
    SignupForm,
    SymptomForm,
    TherapyForm,
    TimelineEventForm,
)
from .history import month_overview
from .models import Patient, Symptom, Therapy, TimelineEvent, save_answers, save_day_fields
from .trends import load_days, read_dashboard

INVALID = 422  # a rejected value: the page comes back with a message beside it


def patient_required(view=None, *, onboarded=True):
    """Only a signed-in patient gets through, and (unless onboarded=False) only
    once onboarding is done. Anyone else signed in gets a 404: patient pages
    hold nothing for them.
    """
    if view is None:
        return partial(patient_required, onboarded=onboarded)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.htmx:
                # A redirect would swap the login page into the answer's status
                # line; a 401 lets the page say plainly that this answer wasn't saved.
                return HttpResponse("Not saved: you have been logged out.", status=401)
            return redirect_to_login(request.get_full_path())
        patient = getattr(request.user, "patient", None)
        if patient is None:
            raise Http404("Only patients have a diary.")
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


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return render(request, "tracker/landing.html")
    if hasattr(request.user, "patient"):
        return redirect("tracker:today")
    if request.user.is_clinician:
        return redirect("tracker:clinician-panel")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "tracker/staff_home.html")


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            user.groups.add(Group.objects.get(name=roles.PATIENT))
            patient = Patient.objects.create(user=user)
            patient.tracked_symptoms.set(Symptom.objects.defaults())
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("tracker:onboarding")
    return render(
        request, "registration/signup.html", {"form": form}, status=_status(request, form)
    )


def _status(request, form) -> int:
    return INVALID if request.method == "POST" and form.errors else 200


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
        messages.success(request, "You're all set. Here is today.")
        return redirect("tracker:today")
    status = INVALID if request.method == "POST" else 200
    return render(
        request,
        "tracker/onboarding.html",
        {"settings_form": settings_form, "therapy_form": therapy_form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@patient_required
def patient_settings(request):
    patient = request.patient
    form = PatientSettingsForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("tracker:settings")
    therapies = Therapy.objects.for_patient(patient).order_by("-started_on")
    return render(
        request,
        "tracker/settings.html",
        {"form": form, "therapies": therapies},
        status=_status(request, form),
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
        form.save()
        messages.success(request, "Your medicine history is saved.")
        return redirect("tracker:settings")
    return render(
        request,
        "tracker/therapy_form.html",
        {"form": form, "therapy": therapy},
        status=_status(request, form),
    )


@require_POST
@patient_required
def therapy_delete(request, pk):
    patient = request.patient
    therapy = _get_therapy_for_patient(patient, pk)
    if Therapy.objects.for_patient(patient).count() == 1:
        messages.error(request, "Ripple needs at least one medicine; change this one instead.")
    else:
        therapy.delete()
        messages.success(request, "That medicine was removed from your history.")
    return redirect("tracker:settings")


@require_GET
@patient_required
def today(request):
    return redirect("tracker:checkin", date=request.patient.today())


def _checkin_context(day, *, bound_forms=None, day_form=None):
    for symptom_day in day.symptoms:
        symptom_day.form = (bound_forms or {}).get(symptom_day.symptom.pk) or SymptomForm(
            initial=symptom_day.initial(), symptom=symptom_day.symptom, is_today=day.is_today
        )
    day.day_form = day_form or DayForm(
        initial=day_form_initial(day.log), prefix="day", is_today=day.is_today
    )
    return {
        "day": day,
        "previous_day": day.date - dt.timedelta(days=1),
        "next_day": None if day.is_today else day.date + dt.timedelta(days=1),
    }


@require_http_methods(["GET", "POST"])
@patient_required
def checkin(request, date):
    """The day's check-in. With JavaScript each answer saves on its own; without, the
    whole page posts here at once."""
    patient = request.patient
    loggable_date(patient, date)
    day = load_day(patient, date)
    if request.method == "GET":
        return render(request, "tracker/checkin.html", _checkin_context(day))

    is_today = day.is_today
    forms = {
        s.symptom.pk: SymptomForm(request.POST, symptom=s.symptom, is_today=is_today)
        for s in day.symptoms
    }
    day_form = DayForm(request.POST, prefix="day", is_today=is_today)
    if all(form.is_valid() for form in forms.values()) and day_form.is_valid():
        # Only what this page changed is saved, so a page left open in another
        # tab cannot overwrite answers saved since it was drawn.
        with transaction.atomic():
            for form in forms.values():
                values, cleared = form.changes(only_changed=True)
                save_answers(
                    patient=patient, date=date, symptom=form.symptom, values=values, cleared=cleared
                )
            if fields := day_form.changes(only_changed=True):
                save_day_fields(patient=patient, date=date, fields=fields)
        messages.success(request, f"Saved your answers for {date:%A %-d %B}.")
        return redirect(reverse("tracker:checkin", args=[date]) + "#day-summary")
    context = _checkin_context(day, bound_forms=forms, day_form=day_form)
    context["has_errors"] = True
    return render(request, "tracker/checkin.html", context, status=INVALID)


@require_POST
@patient_required
def checkin_symptom(request, date, slug):
    """Save one symptom's answers (often just one of them), then report back."""
    patient = request.patient
    loggable_date(patient, date)
    symptoms = list(patient.symptoms_to_ask())
    symptom = next((s for s in symptoms if s.slug == slug), None)
    if symptom is None:
        raise Http404("You don't track that symptom.")
    form = SymptomForm(request.POST, symptom=symptom)
    if not form.has_posted_fields():
        return HttpResponseBadRequest("There was no answer in that request, so nothing was saved.")
    saved = form.is_valid()
    if saved:
        values, cleared = form.changes()
        save_answers(patient=patient, date=date, symptom=symptom, values=values, cleared=cleared)
    if not request.htmx:
        if saved:
            return redirect(reverse("tracker:checkin", args=[date]) + f"#symptom-{slug}")
        day = load_day(patient, date, symptoms)
        context = _checkin_context(day, bound_forms={symptom.pk: form})
        return render(request, "tracker/checkin.html", context, status=INVALID)
    day = load_day(patient, date, symptoms)
    symptom_day = next(s for s in day.symptoms if s.symptom.pk == symptom.pk)
    symptom_day.form = form
    return render(
        request,
        "tracker/checkin.html#symptom-feedback",
        {"day": day, "s": symptom_day, "saved": saved, "oob": True},
        status=200 if saved else INVALID,
    )


@require_POST
@patient_required
def checkin_day(request, date):
    """Save the dose, the reason for a missed dose, thoughts of stopping, or the note."""
    patient = request.patient
    loggable_date(patient, date)
    form = DayForm(request.POST, prefix="day")
    if not form.has_posted_fields():
        return HttpResponseBadRequest("There was no answer in that request, so nothing was saved.")
    saved = form.is_valid()
    if saved and (fields := form.changes()):
        save_day_fields(patient=patient, date=date, fields=fields)
    if not request.htmx:
        if saved:
            return redirect(reverse("tracker:checkin", args=[date]) + "#your-day")
        day = load_day(patient, date)
        return render(
            request, "tracker/checkin.html", _checkin_context(day, day_form=form), status=INVALID
        )
    day = load_day(patient, date)
    day.day_form = form
    return render(
        request,
        "tracker/checkin.html#day-feedback",
        {"day": day, "saved": saved, "oob": True},
        status=200 if saved else INVALID,
    )


@require_GET
@patient_required
def history(request):
    patient = request.patient
    form = MonthForm(request.GET)
    today_ = patient.today()
    month = (form.is_valid() and form.cleaned_data["month"]) or today_.replace(day=1)
    if month > today_:
        month = today_.replace(day=1)
    overview = month_overview(patient=patient, month=month, today=today_)
    return render(
        request,
        "tracker/history.html",
        {
            "overview": overview,
            "month_note": None
            if form.is_valid()
            else "That month wasn't recognised, so here is this month.",
            "weekday_names": [calendar.day_abbr[i] for i in range(7)],
        },
    )


def dashboard_context(request, patient: Patient) -> dict:
    """The dashboard for the range in the query string: the patient's own, or read-only."""
    today_ = patient.today()
    days = load_days(patient, until=today_)
    form = RangeForm(request.GET)
    start, end, chosen, note = form.period(today=today_, first_day=days[0].date if days else None)
    charts, flags, markers, _ = read_dashboard(patient, days=days, start=start, end=end)
    return {
        "charts": charts,
        "flags": flags,
        "markers": markers,
        "start": start,
        "end": end,
        "chosen": chosen,
        "note": note,
        "form": form,
        "choices": RangeForm.CHOICES,
        "days_in_range": (end - start).days + 1,
    }


@require_GET
@patient_required
def trends(request):
    """The dashboard: every chart on one time axis, with words beside each."""
    context = dashboard_context(request, request.patient)
    template = "tracker/trends.html#dashboard" if request.htmx else "tracker/trends.html"
    return render(request, template, context)


def _get_event_for_patient(patient: Patient, pk: int) -> TimelineEvent:
    return get_object_or_404(TimelineEvent.objects.for_patient(patient), pk=pk)


@require_GET
@patient_required
def timeline(request):
    events = TimelineEvent.objects.for_patient(request.patient)
    therapies = Therapy.objects.for_patient(request.patient).order_by("-started_on")
    return render(request, "tracker/timeline.html", {"events": events, "therapies": therapies})


@require_http_methods(["GET", "POST"])
@patient_required
def timeline_edit(request, pk=None):
    patient = request.patient
    event = _get_event_for_patient(patient, pk) if pk else TimelineEvent(patient=patient)
    form = TimelineEventForm(request.POST or None, instance=event, patient=patient)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved to your timeline.")
        return redirect("tracker:timeline")
    return render(
        request,
        "tracker/timeline_form.html",
        {"form": form, "event": event},
        status=_status(request, form),
    )


@require_POST
@patient_required
def timeline_delete(request, pk):
    _get_event_for_patient(request.patient, pk).delete()
    messages.success(request, "Removed from your timeline.")
    return redirect("tracker:timeline")
