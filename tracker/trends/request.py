"""The dashboard a request asks for: its range comes from the query string. Shared by
the patient's trends page and a clinician's read-only view of them."""

import datetime as dt

from django.db.models import Min
from django.utils.translation import gettext as _

from ..models import DayLog, Patient, Therapy, TimelineEvent
from ..text import short_date
from .dashboard import baseline_text, read_dashboard
from .forms import RangeForm
from .series import DAILY_DAYS

SWITCH_LEAD = 30  # days shown before a switch, so that both sides of it show
SWITCH_RECENT = 365  # a switch longer ago than this no longer sets the default


def default_start(
    patient: Patient, today: dt.date, *, therapies: list, clinician: bool
) -> tuple[dt.date, str]:
    """Where the trends open without a range asked for, and why in words: for a
    clinician, since the last appointment, else 90 days; for anyone, early enough to
    show a switch of medicine in the last year, with a month before it. `therapies`
    are the patient's, in order of start."""
    start, why = today - dt.timedelta(days=89), ""
    if clinician:
        last = TimelineEvent.objects.for_patient(patient).last_appointment(today)
        if last is not None:
            why = _("Since the last appointment, on %(date)s.") % {"date": short_date(last)}
            start = last
    therapies = [t for t in therapies if t.started_on <= today]
    switch = therapies[-1] if len(therapies) > 1 else None
    if switch and today - switch.started_on <= dt.timedelta(days=SWITCH_RECENT):
        before = switch.started_on - dt.timedelta(days=SWITCH_LEAD)
        if before < start:
            start = before
            why = _("From a month before the switch to %(medicine)s on %(date)s.") % {
                "medicine": switch.display_name,
                "date": short_date(switch.started_on),
            }
    return start, why


def dashboard_context(request, patient: Patient, *, clinician: bool = False) -> dict:
    """The dashboard for the range in the query string: the patient's own, or read-only."""
    today_ = patient.today()
    form = RangeForm(request.GET)
    first_day = None
    if form.is_valid() and form.cleaned_data["range"] == "all":
        first_day = (
            DayLog.objects.for_patient(patient).logged().aggregate(first=Min("date"))["first"]
        )
    # Read once: where the period opens depends on them, and the dashboard draws them.
    therapies = list(Therapy.objects.for_patient(patient).order_by("started_on", "id"))
    opening, why = default_start(patient, today_, therapies=therapies, clinician=clinician)
    start, end, chosen, note = form.period(today=today_, first_day=first_day, default_start=opening)
    if request.GET.get("range"):
        why = ""
    else:  # the dates shown are the ones chosen for the patient: easy to adjust from
        form = RangeForm(initial={"range": chosen, "start": start, "end": end})
    dashboard = read_dashboard(patient, start=start, end=end, therapies=therapies)
    return {
        "charts": dashboard.charts,
        "overview": dashboard.overview,
        "flags": dashboard.flags,
        "markers": dashboard.markers,
        "start": start,
        "end": end,
        "chosen": chosen,
        "note": note,
        "form": form,
        "choices": RangeForm.CHOICES,
        "days_in_range": (end - start).days + 1,
        "weekly_points": (end - start).days + 1 > DAILY_DAYS,
        "today": today_,
        "why_period": why,
        "baseline_text": baseline_text(dashboard.baselines.values(), dashboard.therapies),
    }
