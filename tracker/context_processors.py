from django.conf import settings
from django.utils import translation
from django.utils.crypto import salted_hmac


def safety(request):
    """The crisis line every page that names it shows, in the page's language
    (settings.CRISIS_LINE, or CRISIS_LINE_ES on a Spanish page when one is set)."""
    spanish = (translation.get_language() or "").startswith("es")
    return {"CRISIS_LINE": spanish and settings.CRISIS_LINE_ES or settings.CRISIS_LINE}


def offline_user(request):
    """Whose diary the page shows, as an opaque tag: answers a phone kept while
    offline are sent again only from a page of the same user (templates/sw.js).
    Worked out only when a page asks for it."""

    def tag():
        user = request.user
        if not user.is_authenticated:
            return ""
        return salted_hmac("ripple.offline-user", user.pk, algorithm="sha256").hexdigest()[:20]

    return {"offline_user": tag}
