from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import patient_required
from .request import dashboard_context


@require_GET
@patient_required
def trends(request):
    """The dashboard: every chart on one time axis, with words beside each."""
    context = dashboard_context(request, request.patient)
    template = (
        "tracker/trends/trends.html#dashboard" if request.htmx else "tracker/trends/trends.html"
    )
    return render(request, template, context)
