import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone, translation
from django_htmx.http import HttpResponseClientRedirect

from .accounts import two_factor

# Pages open to someone who still owes the second step: its own pages, logging
# out, and the app shell's files, which are the same for everyone.
OPEN_VIEWS = {
    "two-factor-verify",
    "two-factor-setup",
    "logout",
    "choose-language",
    "tracker:service-worker",
    "tracker:manifest",
    "tracker:offline",
}
# The last activity is written at most this often, not on every request.
LAST_SEEN_RESOLUTION = 60  # seconds


def _redirect(request, to: str):
    """To `to` (with ?next= back here); htmx is told to load the whole page, since
    a login page swapped into a fragment would help nobody."""
    if request.htmx:
        here = request.htmx.current_url_abs_path or request.get_full_path()
        response = HttpResponseClientRedirect(redirect_to_login(here, to)["Location"])
        # Not a 200: a save the service worker sends late must count as not sent
        # (templates/sw.js keeps answers on a 401), not as stored.
        response.status_code = 401
        return response
    return redirect_to_login(request.get_full_path(), to)


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


class IdleTimeoutMiddleware:
    """Staff and clinicians are signed out after IDLE_TIMEOUT_MINUTES without a
    request: their sessions open other people's diaries and what patients read.
    Patients keep their sessions as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and two_factor.policy(request) == two_factor.REQUIRED:
            now = int(time.time())
            last_seen = request.session.get(two_factor.LAST_SEEN_KEY)
            minutes = settings.IDLE_TIMEOUT_MINUTES
            if last_seen is not None and now - last_seen > minutes * 60:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity. "
                    "Log in again to carry on.",
                )
                return _redirect(request, settings.LOGIN_URL)
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[two_factor.LAST_SEEN_KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Until someone who owes the second step has given it, every page (the Django
    admin's too) sends them to it, and brings them back after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or request.resolver_match.view_name in OPEN_VIEWS:
            return None
        if two_factor.pending(request):
            return _redirect(request, reverse("two-factor-verify"))
        return None


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


class UserLanguageMiddleware:
    """A signed-in person's own language (their settings) wins over the browser's and
    the switch's cookie, so a patient who chose Spanish gets it on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
