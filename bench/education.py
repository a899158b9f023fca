"""Measure the education pages: library, a topic at each depth, search, and the
explanation fetched beside a symptom just logged, on five years of diary with every
question answered every day.

Run with `python3 -m uv run python bench/education.py` from the project root.
"""

from common import measure, prepare, print_table
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


def main():
    prepare()
    from common import made_up_diary

    from tests.factories import log, make_patient

    patient = make_patient("bench")
    made_up_diary(patient, days=365 * 5, seed=4)
    day = patient.today()
    # A day on which joint pain bothered the patient, so there is something to explain.
    log(patient, day, "joint-pain", frequency=3, severity=2, interference=2)
    client = Client()
    client.force_login(patient.user)
    rows = [measure("library (GET)", lambda: client.get(reverse("education:library")))]
    rows.append(
        measure(
            "library search 'bone' (GET)",
            lambda: client.get(reverse("education:library"), {"q": "bone"}),
        )
    )
    for depth in ["fundamentals", "intermediate", "academic"]:
        url = reverse("education:topic", args=["how-ais-work"])
        rows.append(
            measure(
                f"topic how-ais-work, {depth}",
                lambda url=url, d=depth: client.get(url, {"depth": d}),
            )
        )
    url = reverse("education:explanation", args=[day, "joint-pain"])
    rows.append(
        measure("explanation beside joint pain", lambda: client.get(url, HTTP_HX_REQUEST="true"))
    )
    print_table(rows)


if __name__ == "__main__":
    main()
