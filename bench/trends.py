"""Measure the trends dashboard on five years of daily data: server time to build
the figures, queries, and the compressed size of the figure payload.

Run with `python3 -m uv run python bench/trends.py` from the project root.
Budget (issue 4): under 25 ms of server time, a constant number of queries,
and under 60 KB of compressed figure payload for five years.
"""

import gzip
import statistics
import time

from common import made_up_diary, measure, prepare, print_table
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

YEARS = 5


def five_years(patient):
    made_up_diary(patient, days=365 * YEARS, seed=5)


def build_times(patient, rounds=50):
    """Server time to read the days and build every figure, without HTTP or templates."""
    from tracker.models import Therapy, TimelineEvent
    from tracker.trends.dashboard import build_dashboard
    from tracker.trends.series import load_days

    today = patient.today()
    samples, payload = [], b""
    for _ in range(rounds):
        begin = time.perf_counter()
        days = load_days(patient, until=today)
        charts, _, _ = build_dashboard(
            days=days,
            symptoms=list(patient.symptoms_to_ask()),
            therapies=list(Therapy.objects.for_patient(patient)),
            events=list(TimelineEvent.objects.for_patient(patient)),
            start=days[0].date,
            end=today,
        )
        payload = ",".join(chart.figure_json for chart in charts).encode()
        samples.append((time.perf_counter() - begin) * 1000)
    return statistics.median(samples), max(samples), payload, len(charts)


def main():
    prepare()
    from tests.factories import make_patient

    patient = make_patient("bench")
    five_years(patient)
    median, worst, payload, count = build_times(patient)
    print(f"Five years: {patient.day_logs.count()} days, {count} charts")
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
    print_table(
        [
            measure("dashboard, all (GET)", lambda: client.get(url, {"range": "all"})),
            measure("dashboard, 90 days (GET)", lambda: client.get(url)),
            measure("dashboard, 90 days (htmx)", lambda: client.get(url, HTTP_HX_REQUEST="true")),
        ]
    )


if __name__ == "__main__":
    main()
