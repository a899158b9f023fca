"""Ripple as an installable web app: its manifest, the service worker (reminders'
notifications, and the check-in offline), and the page shown offline."""

import hashlib
from functools import cache

from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@cache
def _worker_version() -> str:
    """Changes with the worker's own source and the shell files it names (their
    addresses carry a hash of their content in production), so a new release
    replaces the files kept on devices."""
    source = get_template("sw.js").render({"version": ""})
    return hashlib.sha256(source.encode()).hexdigest()[:12]


@require_GET
@cache_control(no_cache=True)  # browsers check for a new one at each visit
def service_worker(request):
    """The service worker, from the root so that it may cover every page."""
    return render(request, "sw.js", {"version": _worker_version()}, content_type="text/javascript")


@require_GET
@cache_control(max_age=60 * 60 * 24)
def manifest(request):
    """What a phone needs to add Ripple to its home screen: name, icons, colours, and
    the page it opens on (today's check-in)."""
    return render(request, "manifest.webmanifest", content_type="application/manifest+json")


@require_GET
@cache_control(no_cache=True)
def offline(request):
    """What the service worker shows for a page it has not kept, without a connection.
    The same for everyone: it is kept on the device, so it holds nothing personal."""
    return render(request, "offline.html")
