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


class PrivatePagesMiddleware:
    """Whatever a signed-in person is shown is theirs: no shared cache or browser
    history keeps a copy (check-in, history, trends, report, settings, sharing…).
    A view that says otherwise with its own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
