"""The dashboard a request asks for: its range comes from the query string. Shared by
the patient's trends page and a clinician's read-only view of them."""

from django.db.models import Min

from ..models import DayLog, Patient
from .dashboard import baseline_text, read_dashboard
from .forms import RangeForm


def dashboard_context(request, patient: Patient) -> dict:
    """The dashboard for the range in the query string: the patient's own, or read-only."""
    today_ = patient.today()
    form = RangeForm(request.GET)
    first_day = None
    if form.is_valid() and form.cleaned_data["range"] == "all":
        first_day = (
            DayLog.objects.for_patient(patient).logged().aggregate(first=Min("date"))["first"]
        )
    start, end, chosen, note = form.period(today=today_, first_day=first_day)
    dashboard = read_dashboard(patient, start=start, end=end)
    return {
        "charts": dashboard.charts,
        "flags": dashboard.flags,
        "markers": dashboard.markers,
        "start": start,
        "end": end,
        "chosen": chosen,
        "note": note,
        "form": form,
        "choices": RangeForm.CHOICES,
        "days_in_range": (end - start).days + 1,
        "today": today_,
        "baseline_text": baseline_text(dashboard.baselines.values(), dashboard.therapies),
    }
