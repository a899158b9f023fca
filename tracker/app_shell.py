"""Ripple as an installable web app: its manifest, and the service worker (which
shows reminders' notifications), both from the site's root."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(no_cache=True)  # browsers check for a new one at each visit
def service_worker(request):
    """The service worker, from the root so that it may cover every page."""
    path = finders.find("ripple/sw.js")
    return HttpResponse(Path(path).read_bytes(), content_type="text/javascript")


@require_GET
@cache_control(max_age=60 * 60 * 24)
def manifest(request):
    """What a phone needs to add Ripple to its home screen: name, icons, colours, and
    the page it opens on (today's check-in)."""
    return render(request, "manifest.webmanifest", content_type="application/manifest+json")
