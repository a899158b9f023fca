"""Shared set-up for the benchmarks: a throw-away SQLite database and a timer."""

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="ripple-bench-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["RIPPLE_NEW_DATABASE"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from diary import day_answers  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from server import serve_as_in_production, server_time  # noqa: E402

ROUNDS = 200
# RIPPLE_BENCH_LANGUAGE=es measures the pages and figures in Spanish.
LANGUAGE = os.environ.get("RIPPLE_BENCH_LANGUAGE", "")


def prepare():
    """A migrated database (with the curated content), served as in production, in
    RIPPLE_BENCH_LANGUAGE when set (the test client sends no Accept-Language, so
    LANGUAGE_CODE decides)."""
    call_command("migrate", verbosity=0)
    serve_as_in_production()
    if LANGUAGE:
        from django.conf import settings
        from django.utils import translation

        settings.LANGUAGE_CODE = LANGUAGE
        translation.activate(LANGUAGE)


def as_in_production():
    """Freeze what is loaded so far, as config/wsgi.py does when a worker starts: the
    garbage collector then leaves it alone, as it does in production."""
    gc.collect()
    gc.freeze()


def timed(function, rounds=ROUNDS):
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def measure(label, request, rounds=ROUNDS):
    """(label, median ms, p95 ms, queries) for one request, after a warm-up. The times
    are the server's (see server_time)."""
    as_in_production()
    response = request()
    # A redirect (to log in, or to the second step) would be timed as if it were the page.
    if response.status_code != 200:
        raise SystemExit(f"{label}: answered {response.status_code}, not the page itself")
    connection.queries_log.clear()  # DEBUG keeps at most 9,000; start empty
    with CaptureQueriesContext(connection) as queries:
        request()
    count = len(queries)  # now: the log is emptied at each request's start
    median, p95 = server_time(request, rounds)
    return label, median, p95, count


def print_table(rows):
    print(f"{'request':36} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, median, p95, queries in rows:
        print(f"{label:36} {median:10.1f} {p95:8.1f} {queries:8d}")


def made_up_diary(
    patient, *, days: int, seed: int, skip: float = 0.0, doses=("taken",) * 9 + ("missed",)
):
    """`days` of diary ending today, every tracked symptom answered in full each day
    (as a realistic worst case), each day skipped with probability `skip`; therapy
    began 30 days in. The derived figures are made by the app's own writer."""
    import datetime as dt
    import random

    from tracker.models import DayLog, SymptomLog
    from tracker.recording import rebuild

    rng = random.Random(seed)  # noqa: S311 - made-up benchmark data
    today = patient.today()
    symptoms = list(patient.symptoms_to_ask())
    patient.therapies.update(started_on=today - dt.timedelta(days=days - 30))
    logs, rows = [], []
    for offset in range(days):
        if skip and rng.random() < skip:
            continue
        date = today - dt.timedelta(days=offset)
        logs.append(DayLog(patient=patient, date=date, dose=rng.choice(doses)))
        for symptom in symptoms:
            row = SymptomLog(
                patient=patient, date=date, symptom=symptom, **day_answers(rng, symptom)
            )
            row.grade = row.graded(symptom)
            rows.append(row)
    DayLog.objects.bulk_create(logs, batch_size=1000)
    SymptomLog.objects.bulk_create(rows, batch_size=1000)
    rebuild(patient)
