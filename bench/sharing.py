"""Measure the report page, its exports, a share link's report and a clinician's panel
of 20 patients with a year of diary each, every question answered every day: server
time and queries. (bench/panel.py measures a panel of 200 in PostgreSQL.)

Run with `python3 -m uv run python bench/sharing.py` from the project root.
"""

import datetime as dt

from common import made_up_diary, measure, prepare, print_table
from django.test import Client
from django.urls import reverse

PANEL = 20


def main():
    prepare()
    from tests.factories import login_verified, make_patient, make_user
    from tracker import roles
    from tracker.models import CareAccess, ReportSection, ShareLink

    clinician = make_user("dr-bench", role=roles.CLINICIAN)
    patients = []
    for number in range(PANEL):
        patient = make_patient(f"patient-{number}")
        made_up_diary(patient, days=365, seed=number, skip=0.08)
        _, code = CareAccess.invite(patient=patient)
        CareAccess.accept(code=code, clinician=clinician)
        patients.append(patient)
    first = patients[0]
    today = first.today()
    _, token = ShareLink.make(
        patient=first, sections=list(ReportSection.values),
        starts_on=today - dt.timedelta(days=89), ends_on=today,
    )  # fmt: skip

    own = Client()
    own.force_login(first.user)
    doctor = Client()
    login_verified(doctor, clinician)  # past the second step, as a clinician is
    anyone = Client()
    report = reverse("tracker:report")
    print(f"{PANEL} patients, a year of diary each (SQLite, one process)")
    print_table(
        [
            measure("report page, 90 days", lambda: own.get(report)),
            measure("report page, a year", lambda: own.get(report, {"start": today - dt.timedelta(days=364)})),
            measure("CSV, 90 days", lambda: own.get(reverse("tracker:report-export", args=["csv"]))),
            measure("CSV, a year", lambda: own.get(reverse("tracker:report-export", args=["csv"]), {"start": today - dt.timedelta(days=364)})),
            measure("FHIR, 90 days", lambda: own.get(reverse("tracker:report-export", args=["fhir"])), rounds=20),
            measure("share link report", lambda: anyone.get(reverse("tracker:shared-report", args=[token]))),
            measure(f"clinician panel, {PANEL} patients", lambda: doctor.get(reverse("tracker:clinician-panel"))),
            measure("clinician dashboard, 90 days", lambda: doctor.get(reverse("tracker:clinician-dashboard", args=[first.pk]))),
        ]
    )  # fmt: skip


if __name__ == "__main__":
    main()
