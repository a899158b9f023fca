"""Measure the education pages: library, a topic at each depth, search, and the
explanation fetched beside a symptom just logged (six months of demo data).

Run with `python3 -m uv run python bench/education.py` from the project root.
"""

from common import measure, prepare, print_table
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402


def main():
    prepare()
    from tests.factories import make_patient
    from tracker import demo

    patient = make_patient("bench")
    demo.build(patient, today=patient.today())
    day = patient.answers.order_by("-date").values_list("date", flat=True).first()
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
