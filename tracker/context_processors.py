from django.conf import settings


def safety(request):
    """The crisis line every page that names it shows (settings.CRISIS_LINE)."""
    return {"CRISIS_LINE": settings.CRISIS_LINE}
