import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_sends_a_strict_content_security_policy(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_pages_carry_no_inline_script(patient_client, patient):
    for url in [
        reverse("tracker:checkin", args=[patient.today()]),
        reverse("tracker:history"),
        reverse("tracker:settings"),
        reverse("tracker:report"),
        reverse("tracker:share-list"),
        reverse("tracker:care-team"),
    ]:
        html = patient_client.get(url).text
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, tag
        assert " onclick=" not in html and " onchange=" not in html


def test_htmx_is_served_from_our_own_static_files(client):
    html = client.get(reverse("login")).text
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js"', html)
    assert "//cdn" not in html and "unpkg" not in html


def test_passwords_are_hashed_with_argon2(argon2):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def _settings_with(env):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); print(settings.DEBUG)",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_the_development_secret_key_is_refused_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_come_from_the_environment():
    result = _settings_with(
        {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "ripple.example.org"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_missing_page_is_kind_and_plain(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn" in response.text


def test_the_favicon_is_found_on_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("ripple/favicon.svg")


# Pages anyone may open; every other tracker page needs a signed-in owner.
# clinician-join asks for an invitation code; the service worker, the manifest, the
# privacy notice and the page after an account is deleted hold nothing private.
PUBLIC = {"home", "signup", "clinician-join", "service-worker", "manifest", "offline", "privacy",
          "account-deleted"}  # fmt: skip
SAMPLE_ARGS = {
    "date": dt.date(2026, 1, 1),
    "slug": "hot-flashes",
    "pk": 1,
    "fmt": "csv",
    "token": "x" * 43,
}


def test_no_tracker_page_shows_anything_to_someone_signed_out(client):
    from django.urls import get_resolver

    resolver = get_resolver("tracker.urls")
    checked = 0
    for pattern in resolver.url_patterns:
        name = getattr(pattern, "name", None)
        if not name or name in PUBLIC:
            continue
        kwargs = {key: SAMPLE_ARGS[key] for key in pattern.pattern.converters}
        response = client.get(reverse(f"tracker:{name}", kwargs=kwargs))
        assert response.status_code in (302, 404, 405), (name, response.status_code)
        if response.status_code == 302:
            assert response.url.startswith(reverse("login")), name
        checked += 1
    assert checked > 25  # the guard sees the whole app, not a corner of it


@pytest.mark.parametrize(
    "name",
    [
        "today",
        "history",
        "trends",
        "timeline",
        "report",
        "settings",
        "share-list",
        "care-team",
        "reminders",
    ],  # fmt: skip
)
def test_health_pages_tell_every_cache_to_keep_no_copy(patient_client, name):
    response = patient_client.get(reverse(f"tracker:{name}"), follow=True)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_are_left_to_their_own_caching(client):
    assert "no-store" not in client.get(reverse("education:library")).get("Cache-Control", "")


def test_pages_travel_compressed_to_browsers_that_accept_it(patient_client):
    import gzip

    response = patient_client.get(reverse("tracker:trends"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    page = gzip.decompress(response.content).decode()
    assert "Trends" in page and len(response.content) < len(page) / 3
    assert "Content-Encoding" not in patient_client.get(reverse("tracker:trends"))
