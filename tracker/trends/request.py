"""The dashboard a request asks for: its range comes from the query string. Shared by
the patient's trends page and a clinician's read-only view of them."""

from ..models import Patient
from .dashboard import read_dashboard
from .forms import RangeForm
from .series import load_days


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
