"""Measure the trends dashboard on five years of daily data: server time to build
the figures, queries, and the compressed size of the figure payload.

Run with `python3 -m uv run python bench/trends.py` from the project root.
Budget (issues 4 and 9): under 25 ms of server time with every question answered
every day, a constant number of queries, and under 60 KB of compressed figure
payload for five years. Also prints the database's size per patient-year.
"""

import gzip
import statistics
import time

from common import as_in_production, made_up_diary, measure, prepare, print_table
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

YEARS = 5


def five_years(patient):
    made_up_diary(patient, days=365 * YEARS, seed=5)


def build_times(patient, rounds=50):
    """Server time to read the days and build every figure, without HTTP or templates."""
    from tracker.models import DayLog
    from tracker.trends.dashboard import read_dashboard

    today = patient.today()
    first = DayLog.objects.for_patient(patient).order_by("date").first().date
    samples, payload = [], b""
    as_in_production()
    for _ in range(rounds):
        begin = time.perf_counter()
        charts = read_dashboard(patient, start=first, end=today).charts
        payload = ",".join(chart.figure_json for chart in charts).encode()
        samples.append((time.perf_counter() - begin) * 1000)
    return statistics.median(samples), max(samples), payload, len(charts)


def print_size(patient):
    """Bytes a patient-year takes in SQLite: the diary's tables with their indexes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
        cursor.execute(
            "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'tracker_daylog%' "
            "OR name LIKE 'tracker_symptomlog%' OR name LIKE 'one_%' OR name LIKE 'tracker_baseline%' "
            "OR name LIKE 'sqlite_autoindex_tracker_%' GROUP BY name"
        )
        sizes = cursor.fetchall()
    total = sum(size for _, size in sizes)
    years = patient.day_logs.count() / 365
    print(
        f"SQLite size of the diary: {total / 1024:.0f} KB, {total / years / 1024:.0f} KB per patient-year"
    )
    for name, size in sorted(sizes, key=lambda s: -s[1]):
        print(f"  {name:48} {size / 1024:8.0f} KB")


def main():
    prepare()
    from tests.factories import make_patient

    patient = make_patient("bench")
    five_years(patient)
    median, worst, payload, count = build_times(patient)
    print(
        f"Five years: {patient.day_logs.count()} days, {patient.symptom_logs.count()} "
        f"symptom-days (every question answered), {count} charts"
    )
    print(f"build (read + all figures + JSON): median {median:.1f} ms, slowest {worst:.1f} ms")
    print(
        f"figure payload: {len(payload) / 1024:.0f} KB raw, "
        f"{len(gzip.compress(payload, 6)) / 1024:.1f} KB gzip"
    )
    client = Client()
    client.force_login(patient.user)
    url = reverse("tracker:trends")
    page = client.get(url, {"range": "all"}).content
    print(
        f"whole page (range=all): {len(page) / 1024:.0f} KB raw, {len(gzip.compress(page, 6)) / 1024:.1f} KB gzip"
    )
    print_size(patient)
    print_table(
        [
            measure("dashboard, all (GET)", lambda: client.get(url, {"range": "all"})),
            measure("dashboard, 90 days (GET)", lambda: client.get(url)),
            measure("dashboard, 90 days (htmx)", lambda: client.get(url, HTTP_HX_REQUEST="true")),
        ]
    )


if __name__ == "__main__":
    main()
