"""Measure a clinician's panel in PostgreSQL: 1,000 patients with three years of diary,
every question answered every day; one clinician sees 200 of them, another 20.

Run with `python3 -m uv run python bench/panel.py` from the project root, with the
PostgreSQL of these machines on 127.0.0.1:5432. It builds its own database,
ripple_bench (dropped and made again; --reuse keeps one already filled), prints the
panel's server time and queries for both clinicians, each query's plan (EXPLAIN
ANALYZE) and the diary's size per patient-year.
"""

import datetime as dt
import gc
import os
import random
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = "postgres://postgres@127.0.0.1:5432"
NAME = "ripple_bench"
os.environ["DATABASE_URL"] = f"{SERVER}/{NAME}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PATIENTS = 1000
YEARS = 3
PANELS = {"dr-200": 200, "dr-20": 20}
POOL = 4000  # answer sets drawn in advance per symptom, then picked at random
ROUNDS = 30
NO_LOGIN = "!"  # noqa: S105 - Django's mark of an unusable password


def fresh_database():
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {NAME}")
        connection.execute(f"CREATE DATABASE {NAME}")


def copy(cursor, table: str, columns: list[str], rows):
    """COPY rows into a table: ~50× faster than INSERTs for millions of rows."""
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copier:
        for row in rows:
            copier.write_row(row)


def fill():
    """1,000 patients, three years each, written with COPY. Grades, day figures and
    baselines are derived by the app's own pure rules, as its writer would."""
    import orjson
    from diary import day_answers
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from tracker import rules
    from tracker.models import (
        ANSWER_COLUMNS,
        CareAccess,
        Patient,
        Symptom,
        SymptomLog,
        Therapy,
        User,
    )
    from tracker.roles import CLINICIAN, PATIENT

    rng = random.Random(9)  # noqa: S311 - made-up benchmark data
    symptoms = list(Symptom.objects.defaults())
    pool = {}
    for symptom in symptoms:
        entries = []
        for _ in range(POOL):
            answers = {column: None for column in ANSWER_COLUMNS} | day_answers(rng, symptom)
            log = SymptomLog(symptom=symptom, **answers)
            log.grade = log.graded(symptom)
            entries.append((answers, log.grade, log.figures(), log.bothered))
        pool[symptom.pk] = entries

    users = User.objects.bulk_create(
        User(username=f"patient-{n}", password=NO_LOGIN) for n in range(PATIENTS)
    )
    Group.objects.get(name=PATIENT).user_set.add(*users)
    now = timezone.now()
    patients = Patient.objects.bulk_create(
        Patient(user=user, time_zone="Europe/London", onboarded_at=now) for user in users
    )
    Patient.tracked_symptoms.through.objects.bulk_create(
        Patient.tracked_symptoms.through(patient=p, symptom=s) for p in patients for s in symptoms
    )
    today = dt.date.today()
    first = today - dt.timedelta(days=365 * YEARS - 1)
    Therapy.objects.bulk_create(
        Therapy(patient=p, drug="anastrozole", started_on=first + dt.timedelta(days=30))
        for p in patients
    )
    dates = [first + dt.timedelta(days=n) for n in range(365 * YEARS)]
    log_columns = [
        "patient_id",
        "date",
        "symptom_id",
        *ANSWER_COLUMNS,
        "opt_out",
        "grade",
        "recall_days",
        "answered_at",
        "updated_at",
    ]
    baselines = []
    with connection.cursor() as cursor:
        for start in range(0, PATIENTS, 50):
            batch = patients[start : start + 50]
            days, logs = [], []
            for patient in batch:
                for date in dates:
                    figures = {}
                    for symptom in symptoms:
                        answers, grade, entry, _ = pool[symptom.pk][rng.randrange(POOL)]
                        logs.append(
                            (
                                patient.pk,
                                date,
                                symptom.pk,
                                *answers.values(),
                                "",
                                grade,
                                1,
                                "{}",
                                now,
                            )
                        )
                        figures[str(symptom.pk)] = entry
                    dose = rng.choice(["taken"] * 18 + ["missed", "unsure"])
                    days.append(
                        (patient.pk, date, dose, "", "", orjson.dumps(figures).decode(), "{}", now)
                    )
            copy(cursor, "tracker_daylog",
                 ["patient_id", "date", "dose", "missed_reason", "note", "figures", "answered_at", "updated_at"], days)  # fmt: skip
            copy(cursor, "tracker_symptomlog", log_columns, logs)
            print(f"  {start + len(batch)} patients written", flush=True)
    # Baselines: each symptom's first 7 days (therapy began on day 30), as the writer keeps them.
    for patient in patients:
        rows = SymptomLog.objects.filter(patient=patient, date__lt=first + dt.timedelta(days=7))
        by_symptom = {}
        for row in rows:
            by_symptom.setdefault(row.symptom_id, []).append(row)
        for symptom_id, week in by_symptom.items():
            week.sort(key=lambda row: row.date)
            baselines.append(
                dict(
                    patient_id=patient.pk, symptom_id=symptom_id, starts_on=week[0].date,
                    ends_on=week[-1].date, days=len(week), before_therapy=False,
                    therapy_started_on=first + dt.timedelta(days=30),
                    first_noticed_on=next((r.date for r in week if r.bothered), None),
                    **rules.baseline_means({**r.answers(), "grade": r.grade} for r in week),
                )
            )  # fmt: skip
    from tracker.models import Baseline

    Baseline.objects.bulk_create(Baseline(**fields) for fields in baselines)
    clinician_group = Group.objects.get(name=CLINICIAN)
    taken = 0
    for username, size in PANELS.items():
        clinician = User.objects.create(username=username, password=NO_LOGIN)
        clinician_group.user_set.add(clinician)
        CareAccess.objects.bulk_create(
            CareAccess(patient=p, clinician=clinician, code_hash=f"{username}-{p.pk}",
                       expires_at=now, accepted_at=now)
            for p in patients[taken : taken + size]
        )  # fmt: skip
        taken += size
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def sizes():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_total_relation_size(oid), pg_relation_size(oid), reltuples "
            "FROM pg_class WHERE relname IN ('tracker_symptomlog', 'tracker_daylog', 'tracker_baseline')"
        )
        rows = cursor.fetchall()
    patient_years = PATIENTS * YEARS
    total = sum(row[1] for row in rows)
    print(
        f"\nDiary size: {total / 2**20:.0f} MB in all, {total / patient_years / 1024:.0f} KB per patient-year"
    )
    for name, with_indexes, table, tuples in rows:
        print(
            f"  {name:20} {tuples:12,.0f} rows  {table / 2**20:7.0f} MB table  "
            f"{(with_indexes - table) / 2**20:6.0f} MB indexes and TOAST"
        )


def measure_panel(username):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from server import server_time

    from tests.factories import login_verified
    from tracker.models import User

    client = Client()
    login_verified(client, User.objects.get(username=username))  # past the second step
    url = reverse("tracker:clinician-panel")
    client.get(url)  # the day's access-log lines are written once
    gc.collect()
    gc.freeze()  # as config/wsgi.py does when a worker starts
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    captured = list(queries.captured_queries)  # now: each request empties the log
    median, p95 = server_time(lambda: client.get(url), ROUNDS)
    return median, p95, captured


def explain(queries):
    """EXPLAIN ANALYZE of each SELECT the panel ran: index scans, no sort spilling to disk."""
    from django.db import connection

    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or "django_session" in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
            print(f"\n{sql[:150]}…")
            for line in plan:
                print("   ", line)


def main():
    reuse = "--reuse" in sys.argv
    if not reuse:
        fresh_database()
    import django

    django.setup()
    from django.core.management import call_command
    from server import serve_as_in_production

    serve_as_in_production()
    call_command("migrate", verbosity=0)  # a kept database may predate the latest migrations
    if not reuse:
        begin = time.perf_counter()
        print(f"Filling {PATIENTS} patients × {YEARS} years (every question, every day)…")
        fill()
        print(f"Filled in {time.perf_counter() - begin:.0f} s")
    sizes()
    print(f"\n{'panel':12} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    plans = {}
    for username, size in PANELS.items():
        median, p95, queries = measure_panel(username)
        print(f"{size:4d} patients {median:10.1f} {p95:8.1f} {len(queries):8d}")
        plans[size] = queries
    print(f"\nPlans of the panel of {max(plans)} patients:")
    explain(plans[max(plans)])


if __name__ == "__main__":
    main()
