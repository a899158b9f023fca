"""The daily check-in, each answer saved as it is chosen, and the history calendar."""

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import INVALID, loggable_date, patient_required
from ..models import DayLog
from ..recording import lock_diary, record_answers, record_day
from ..text import join
from .day import day_form_initial, load_day, tracked_day
from .forms import DayForm, GivenAtForm, MonthForm, QuickForm, SymptomForm
from .history import month_overview
from .quick import NOTHING, answer_quickly, unanswered_daily


@require_GET
@patient_required
def today(request):
    return redirect("tracker:checkin", date=request.patient.today())


def _checkin_context(day, *, bound_forms=None, day_form=None):
    for symptom_day in day.symptoms:
        symptom_day.form = (bound_forms or {}).get(symptom_day.symptom.pk) or SymptomForm(
            initial=symptom_day.initial(),
            symptom=symptom_day.symptom,
            is_today=day.is_today,
            weekly=symptom_day.weekly,
        )
    day.day_form = day_form or DayForm(
        initial=day_form_initial(day.log), prefix="day", is_today=day.is_today
    )
    return {
        "day": day,
        "quick": bool(unanswered_daily(day)) or not (day.log and day.log.dose),
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
    if request.method == "GET":
        day = load_day(patient, date)
        return render(request, "tracker/checkin/checkin.html", _checkin_context(day))

    with transaction.atomic():
        lock_diary(patient)
        day = load_day(patient, date)
        forms = {
            s.symptom.pk: SymptomForm(
                request.POST, symptom=s.symptom, is_today=day.is_today, weekly=s.weekly
            )
            for s in day.symptoms
        }
        day_form = DayForm(request.POST, prefix="day", is_today=day.is_today)
        saved = all(form.is_valid() for form in forms.values()) and day_form.is_valid()
        if saved:
            # Only what this page changed is saved, so a page left open in another
            # tab cannot overwrite answers saved since it was drawn.
            for symptom_day in day.symptoms:
                if changes := forms[symptom_day.symptom.pk].changes(only_changed=True):
                    record_answers(
                        patient=patient,
                        date=date,
                        symptom=symptom_day.symptom,
                        changes=changes,
                        read=symptom_day.read,
                    )
            if fields := day_form.changes(only_changed=True):
                record_day(patient=patient, date=date, fields=fields)
    if saved:
        # Translators: a date format (the letters of Django's "date" filter): weekday,
        # day and month, e.g. "Tuesday 2 December" (Spanish: l j \d\e F).
        day_name = dateformat.format(date, pgettext("date format", "l j F"))
        messages.success(request, _("Saved your answers for %(day)s.") % {"day": day_name})
        return redirect(reverse("tracker:checkin", args=[date]) + "#day-summary")
    context = _checkin_context(day, bound_forms=forms, day_form=day_form)
    context["has_errors"] = True
    return render(request, "tracker/checkin/checkin.html", context, status=INVALID)


@require_POST
@patient_required
def checkin_symptom(request, date, slug):
    """Save one symptom's answers (often just one of them), then report back."""
    patient = request.patient
    loggable_date(patient, date)
    with transaction.atomic():
        lock_diary(patient)
        day = tracked_day(patient, date)
        symptom_day = day.symptom(slug)
        if symptom_day is None:
            raise Http404("You don't track that symptom.")
        symptom = symptom_day.symptom
        form = SymptomForm(
            request.POST, symptom=symptom, is_today=day.is_today, weekly=symptom_day.weekly
        )
        if not form.has_posted_fields():
            return HttpResponseBadRequest(
                _("There was no answer in that request, so nothing was saved.")
            )
        saved = form.is_valid()
        if saved:
            recorded = record_answers(
                patient=patient,
                date=date,
                symptom=symptom,
                changes=form.changes(),
                read=symptom_day.read,
                at=GivenAtForm.given_at(request),
            )
            symptom_day.log, day.log = recorded.log, recorded.day
    if not request.htmx:
        if saved:
            return redirect(reverse("tracker:checkin", args=[date]) + f"#symptom-{slug}")
        day = load_day(patient, date)
        context = _checkin_context(day, bound_forms={symptom.pk: form})
        return render(request, "tracker/checkin/checkin.html", context, status=INVALID)
    if not saved:
        day.log = DayLog.objects.filter(patient=patient, date=date).first()
    symptom_day.form = form
    return render(
        request,
        "tracker/checkin/checkin.html#symptom-feedback",
        {"day": day, "s": symptom_day, "saved": saved, "oob": True},
        status=200 if saved else INVALID,
    )


@require_POST
@patient_required
def checkin_day(request, date):
    """Save the dose, the reason for a missed dose, thoughts of stopping, or the note."""
    patient = request.patient
    loggable_date(patient, date)
    form = DayForm(request.POST, prefix="day", is_today=date == patient.today())
    if not form.has_posted_fields():
        return HttpResponseBadRequest(
            _("There was no answer in that request, so nothing was saved.")
        )
    saved = form.is_valid()
    log = None
    if saved and (fields := form.changes()):
        log = record_day(
            patient=patient, date=date, fields=fields, at=GivenAtForm.given_at(request)
        )
    if not request.htmx:
        if saved:
            return redirect(reverse("tracker:checkin", args=[date]) + "#your-day")
        day = load_day(patient, date)
        return render(
            request,
            "tracker/checkin/checkin.html",
            _checkin_context(day, day_form=form),
            status=INVALID,
        )
    day = tracked_day(patient, date)
    day.log = log or DayLog.objects.filter(patient=patient, date=date).first()
    day.day_form = form
    return render(
        request,
        "tracker/checkin/checkin.html#day-feedback",
        {"day": day, "saved": saved, "oob": True},
        status=200 if saved else INVALID,
    )


@require_POST
@patient_required
def checkin_quick(request, date):
    """One tap for the day: nothing to report, or the same as yesterday. Only what is
    still unanswered is filled in; the page then shows it all, to change any of it."""
    patient = request.patient
    loggable_date(patient, date)
    form = QuickForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("That quick answer wasn't recognized, so nothing changed."))
    filled = answer_quickly(patient, date, form.cleaned_data["action"])
    if form.cleaned_data["action"] == NOTHING:
        if filled:
            words = _(
                "Saved: nothing to report for %(symptoms)s, and your medicine as taken "
                "unless already answered."
            ) % {"symptoms": join(filled)}
        else:
            words = _(
                "Saved: nothing to report, and your medicine as taken unless already answered."
            )
        messages.success(request, words)
    elif filled:
        messages.success(
            request,
            _(
                "Copied the day before's answers for %(symptoms)s. Change any that are "
                "different today: each change saves as you make it."
            )
            % {"symptoms": join(filled)},
        )
    else:
        messages.info(request, _("Nothing was logged the day before to copy."))
    return redirect("tracker:checkin", date=date)


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
        "tracker/checkin/history.html",
        {
            "overview": overview,
            "month_note": None
            if form.is_valid()
            else _("That month wasn't recognized, so here is this month."),
            "weekday_names": [WEEKDAYS_ABBR[i] for i in range(7)],
        },
    )
