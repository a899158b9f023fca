from django.utils import timezone


class PatientTimezoneMiddleware:
    """Show every date and time in the signed-in patient's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        patient = getattr(request.user, "patient", None) if request.user.is_authenticated else None
        if patient is not None:
            timezone.activate(patient.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
