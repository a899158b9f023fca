"""When the database can't be reached: a kind 503 with Retry-After, never a 500, a
hang until gunicorn kills the worker, or a new empty database."""

import ast
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

from tests.test_config import _settings_value
from tracker.checkin import views as checkin_views

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def database_down(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: timeout expired")

    monkeypatch.setattr(checkin_views, "load_day", unreachable)
    monkeypatch.setattr(checkin_views, "tracked_day", unreachable)


def test_a_page_is_a_kind_503_that_says_when_to_try_again(patient_client, patient, database_down):
    patient_client.raise_request_exception = False
    response = patient_client.get(reverse("tracker:today"), follow=True)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Ripple will be back in a moment" in response.text
    assert "Nothing you already saved is lost" in response.text
    assert "Traceback" not in response.text


def test_an_htmx_save_is_a_503_the_page_sends_again(patient_client, patient, database_down):
    patient_client.raise_request_exception = False
    url = reverse("tracker:checkin-symptom", args=[patient.today(), "joint-pain"])
    response = patient_client.post(url, {"joint-pain-severity": "2"}, **HTMX)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_a_bug_is_still_a_500_not_an_outage(patient_client, patient, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(checkin_views, "load_day", broken)
    patient_client.raise_request_exception = False
    response = patient_client.get(reverse("tracker:checkin", args=[patient.today()]))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text


def test_the_health_check_says_ok_and_nothing_more(client):
    response = client.get("/health/")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert "no-cache" in response["Cache-Control"]
    assert client.head("/health/").status_code == 200


def test_the_health_check_says_unavailable_when_the_database_is(client, monkeypatch):
    from tracker import health

    class Down:
        def cursor(self):
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(health, "connection", Down())
    response = client.get("/health/")
    assert (response.status_code, response.content) == (503, b"unavailable\n")


def test_postgresql_gives_up_on_connecting_and_on_statements_before_gunicorn_does():
    url = "postgres://ripple@db.internal:5432/ripple"
    options = ast.literal_eval(
        _settings_value('s.DATABASES["default"]["OPTIONS"]', DATABASE_URL=url)
    )
    assert options["connect_timeout"] == 5
    assert options["options"] == "-c statement_timeout=15000"
    gunicorn = {}
    exec((Path(settings.BASE_DIR) / "config" / "gunicorn.py").read_text(), gunicorn)  # noqa: S102 - our own file
    email_timeout = 10
    sqlite_busy = settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 20)
    assert gunicorn["timeout"] > max(5, 15, email_timeout, sqlite_busy)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_under_gunicorn_a_missing_sqlite_file_is_a_503_not_a_new_database(tmp_path):
    """As deployed: gunicorn with config/gunicorn.py and production settings. The
    share-link probe also shows gunicorn's access log keeping no token."""
    missing = tmp_path / "gone" / "db.sqlite3"
    port = free_port()
    token = "Zq8" + "x" * 40
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RIPPLE_NEW_DATABASE"}},
        "DEBUG": "0",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{missing}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "-",
        "WEB_CONCURRENCY": "1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 - our own server
        [str(gunicorn), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/r/{token}/?code=ABCD", timeout=10)  # noqa: S310
        assert failed.value.code == 503
        assert failed.value.headers["Retry-After"] == "30"
        assert "back in a moment" in failed.value.read().decode()
        with pytest.raises(urllib.error.HTTPError) as health:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=10)  # noqa: S310
        assert health.value.code == 503
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert not missing.exists() and not missing.parent.exists()
    assert "/r/[link]/" in output  # the access line, redacted
    assert token not in output and "ABCD" not in output
