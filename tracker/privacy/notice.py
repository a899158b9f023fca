"""The privacy notice's version. Its words are in templates/tracker/privacy/notice.html;
when they change in a way that matters, set VERSION to the day of the change and say
what changed in CHANGES: every patient is asked to agree again at their next visit."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

VERSION = "2026-12-02"
# Translators: shown before the privacy notice, when a patient is asked to agree to it.
CHANGES = _("This is the first version of Ripple's privacy notice.")
SESSION_KEY = "ripple_privacy_version"


def agreed(request) -> bool:
    """Has the signed-in person agreed to this version? Looked up at login (below) or
    at the first page of a session, then remembered in it."""
    if request.session.get(SESSION_KEY) == VERSION:
        return True
    if request.user.consents.filter(version=VERSION).exists():
        request.session[SESSION_KEY] = VERSION
        return True
    return False


def agree(request, user) -> None:
    from ..models import Consent

    Consent.objects.get_or_create(user=user, version=VERSION)
    request.session[SESSION_KEY] = VERSION


@receiver(user_logged_in)
def remember_agreement(sender, request, user, **kwargs):
    """Looked up once, at login, so no page of the session asks the database again."""
    if request is not None and hasattr(request, "session"):
        agreed_now = user.consents.filter(version=VERSION).exists()
        if agreed_now:
            request.session[SESSION_KEY] = VERSION
