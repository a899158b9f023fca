"""The timeline: treatments, appointments, scans and fractures beside the diary."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import INVALID, patient_required
from ..models import Patient, Therapy, TimelineEvent
from .forms import TimelineEventForm


def _get_event_for_patient(patient: Patient, pk: int) -> TimelineEvent:
    return get_object_or_404(TimelineEvent.objects.for_patient(patient), pk=pk)


@require_GET
@patient_required
def timeline(request):
    events = TimelineEvent.objects.for_patient(request.patient)
    therapies = Therapy.objects.for_patient(request.patient).order_by("-started_on")
    return render(
        request, "tracker/timeline/timeline.html", {"events": events, "therapies": therapies}
    )


@require_http_methods(["GET", "POST"])
@patient_required
def timeline_edit(request, pk=None):
    patient = request.patient
    event = _get_event_for_patient(patient, pk) if pk else TimelineEvent(patient=patient)
    form = TimelineEventForm(request.POST or None, instance=event, patient=patient)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved to your timeline."))
        return redirect("tracker:timeline")
    return render(
        request,
        "tracker/timeline/timeline_form.html",
        {"form": form, "event": event},
        status=INVALID if form.errors else 200,
    )


@require_POST
@patient_required
def timeline_delete(request, pk):
    _get_event_for_patient(request.patient, pk).delete()
    messages.success(request, _("Removed from your timeline."))
    return redirect("tracker:timeline")
