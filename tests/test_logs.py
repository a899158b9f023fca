"""No log line holds health data or a secret: requests full of marker text, failing
saves and link probes, with everything the app logs captured as the server writes it."""

import datetime as dt
import io
import logging
import random

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import get_resolver, reverse

from config.redact import RedactFilter, redact
from tests.factories import log_day
from tracker.models import DayLog, ReportSection, ShareLink

pytestmark = pytest.mark.django_db
MARKER = "ZEBRA-7731-knees-on-the-stairs"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def server_log():
    """What the console handler writes, through the filter the settings give it."""
    handlers = [h for h in logging.getLogger().handlers if any(
        isinstance(f, RedactFilter) for f in h.filters)]  # fmt: skip
    assert handlers, "the root logger's handler lost its filter"
    stream = io.StringIO()
    old = [h.setStream(stream) for h in handlers]
    yield stream
    for handler, previous in zip(handlers, old, strict=True):
        handler.setStream(previous)


def a_link(patient):
    today = patient.today()
    _, token = ShareLink.make(
        patient=patient,
        sections=list(ReportSection.values),
        starts_on=today - dt.timedelta(days=10),
        ends_on=today,
    )
    return token


def test_probes_of_a_share_link_never_log_its_token(patient, server_log):
    token = a_link(patient)
    url = reverse("tracker:shared-report", args=[token])
    csrf_checking = Client(enforce_csrf_checks=True)
    assert Client().head(url).status_code in (200, 405)
    assert Client().options(url).status_code in (200, 405)
    assert csrf_checking.post(url, {"x": MARKER}).status_code == 403
    assert Client().get(url[:-5] + "abcd/").status_code == 404  # a typo of it
    assert Client().get(reverse("tracker:reminders-stop", args=[token])).status_code < 500
    written = server_log.getvalue()
    assert "Forbidden" in written  # the CSRF failure was logged, without the token
    assert token not in written and token[:20] not in written
    assert MARKER not in written


def test_a_failing_save_logs_where_it_failed_but_not_the_row(
    patient_client, patient, server_log, monkeypatch
):
    """PostgreSQL's error quotes the failing row, note included: the review found it in
    gunicorn's log. The log keeps the exception's type and frames, not its message."""
    from tracker import recording

    def broken(patient, date, fields):
        DayLog.objects.create(patient=patient, date=date, dose="taken", missed_reason="forgot",
                              note=MARKER)  # fmt: skip

    monkeypatch.setattr(recording, "_record_day", broken)
    patient_client.raise_request_exception = False
    url = reverse("tracker:checkin-day", args=[patient.today()])
    response = patient_client.post(url, {"day-note": MARKER}, **HTMX)
    assert response.status_code == 500
    written = server_log.getvalue()
    assert "IntegrityError (message withheld from the log)" in written
    assert MARKER not in written
    assert IntegrityError.__name__ in written


def test_requests_full_of_health_text_leave_none_of_it_in_the_log(
    patient_client, patient, other_patient, server_log
):
    log_day(patient, patient.today(), note=MARKER)
    rng = random.Random(31)
    patient_client.raise_request_exception = False
    args = {"date": patient.today(), "slug": "joint-pain", "pk": other_patient.pk, "fmt": "csv",
            "token": MARKER}  # fmt: skip
    sent = 0
    for pattern in get_resolver("tracker.urls").url_patterns:
        if not getattr(pattern, "name", None):
            continue
        converters = pattern.pattern.converters
        url = reverse(f"tracker:{pattern.name}", kwargs={k: args[k] for k in converters})
        for _ in range(4):
            data = {rng.choice(["note", "day-note", "label", "email", "code", "q", "start",
                                "joint-pain-severity", "day-dose", "visit_notes"]): MARKER
                    for _ in range(3)}  # fmt: skip
            method = rng.choice(["get", "post", "put", "delete", "head"])
            extra = HTMX if rng.random() < 0.5 else {}
            if method == "get":
                response = patient_client.get(url, data, **extra)
            else:
                response = getattr(patient_client, method)(url, data, **extra)
            assert response.status_code < 500 or response.status_code == 503, (pattern.name, method)
            sent += 1
    assert sent > 100
    assert MARKER not in server_log.getvalue()


@pytest.mark.parametrize(
    "line, shown",
    [
        ('"GET /r/Abc_def-123/pdf/ HTTP/1.1" 200', '"GET /r/[link]/pdf/ HTTP/1.1" 200'),
        ("Not Found: /reminders/stop/xyz.abc/", "Not Found: /reminders/stop/[token]/"),
        ("/accounts/reset/MQ/cd3-a9f/", "/accounts/reset/[token]/"),
        ("GET /clinician/join/?code=ABCD-EFGH", "GET /clinician/join/?[query]"),
        ("Could the push service be reached?", "Could the push service be reached?"),
    ],
)
def test_secrets_in_paths_are_redacted_and_plain_words_are_not(line, shown):
    assert redact(line) == shown
