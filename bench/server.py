"""Requests served in one process as a production server serves them, through
Django's test client (after django.setup())."""

import statistics
import time

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


def serve_as_in_production():
    # Not setup_test_environment(): it wraps every template render to keep a copy
    # of its context for tests' assertions, work no server does (about 1 ms of a
    # saved answer). What the test client needs of it is its host name.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Queries are not recorded (DEBUG keeps a copy of each); counts still come from
    # CaptureQueriesContext.
    settings.DEBUG = False
    # As in Django's own test runner: keep one connection, so queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def server_time(request, rounds: int) -> tuple[float, float]:
    """Median and 95th percentile, in ms, of the server's own time for `rounds` calls
    of `request` (one request each): from Django's request_started signal to
    request_finished, sent when the response is closed. The test client's work of
    building the request and reading the response is left out."""
    samples, started = [], [0.0]

    def start(**kwargs):
        started[0] = time.perf_counter()

    def finish(**kwargs):
        samples.append((time.perf_counter() - started[0]) * 1000)

    request_started.connect(start)
    request_finished.connect(finish)
    try:
        for _ in range(rounds):
            response = request()
            if response.streaming:  # the server's work goes on while it streams
                b"".join(response.streaming_content)
    finally:
        request_started.disconnect(start)
        request_finished.disconnect(finish)
    assert len(samples) == rounds, "each round is one request"  # noqa: S101
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
