"""What the overview adds to the five-year dashboard, in CPU time (process time, so a
busy machine skews it less than wall-clock time): building it from the charts, and
rendering its SVG.

Run with `python3 -m uv run python bench/overview_cost.py` from the project root."""

import time

from common import as_in_production, prepare
from django.template.loader import render_to_string  # noqa: E402
from trends import five_years  # noqa: E402


def cpu_ms(function, rounds=50):
    function()
    samples = []
    for _ in range(rounds):
        begin = time.process_time()
        function()
        samples.append((time.process_time() - begin) * 1000)
    return min(samples)  # the least disturbed run: other processes only add time


def main():
    prepare()
    from tests.factories import make_patient
    from tracker.models import DayLog
    from tracker.trends.dashboard import read_dashboard
    from tracker.trends.overview import build_overview

    patient = make_patient("bench")
    five_years(patient)
    today = patient.today()
    first = DayLog.objects.for_patient(patient).order_by("date").first().date
    as_in_production()
    for label, start in (
        ("five years", first),
        ("90 days", today - __import__("datetime").timedelta(days=89)),
    ):
        board = read_dashboard(patient, start=start, end=today)

        def build(board=board, start=start):
            return build_overview(
                charts=board.charts, therapies=board.therapies, markers=board.markers,
                start=start, end=today,
            )  # fmt: skip

        overview = build()
        whole = cpu_ms(lambda start=start: read_dashboard(patient, start=start, end=today))
        built = cpu_ms(build)
        drawn = cpu_ms(lambda overview=overview: render_to_string(
            "tracker/trends/_overview.html", {"overview": overview}
        ))  # fmt: skip
        size = len(render_to_string("tracker/trends/_overview.html", {"overview": overview}))
        print(
            f"{label}: dashboard {whole:.1f} ms CPU, of which the overview {built:.1f} ms; "
            f"its SVG {drawn:.1f} ms to render, {size / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()
