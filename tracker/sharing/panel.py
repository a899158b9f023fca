"""A clinician's panel: their patients, those with open flags first.

Each row's flags are the dashboard's (trends.flags), from the last 30 days of the
patient's diary and their stored baselines: no query reads more than that, and their
number stays the same however many patients a clinician has."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from ..models import Baseline, CareAccess, DayLog, Symptom
from ..rules import Adherence
from ..trends.flags import Flag, flags
from ..trends.series import days_of

RECENT_DAYS = 30


@dataclass
class PanelRow:
    access: CareAccess
    last_logged: dt.date | None
    adherence: Adherence  # over the last 30 days
    flags: list[Flag]

    @property
    def patient(self):
        return self.access.patient

    @property
    def name(self) -> str:
        return self.patient.shown_name


def panel(clinician) -> list[PanelRow]:
    """Five queries: the accesses with their patients, the symptoms they track, their
    baselines, the last 30 days of every patient, and nothing else."""
    last_logged = DayLog.objects.filter(patient=OuterRef("patient")).logged().order_by("-date")
    accesses = list(
        CareAccess.objects.current()
        .filter(clinician=clinician)
        .select_related("patient__user")
        .annotate(last_logged=Subquery(last_logged.values("date")[:1]))
        .prefetch_related(
            Prefetch(
                "patient__tracked_symptoms",
                queryset=Symptom.objects.active().order_by("position", "name"),
                to_attr="symptoms",
            ),
            Prefetch(
                "patient__baselines", queryset=Baseline.objects.all(), to_attr="baseline_list"
            ),
        )
    )
    # A day either side of today: each patient's own today depends on their time zone.
    today = timezone.now().date()
    since = today - dt.timedelta(days=RECENT_DAYS)
    by_patient = days_of(
        [a.patient for a in accesses], start=since, end=today + dt.timedelta(days=1)
    )

    rows = []
    for access in accesses:
        patient = access.patient
        today = patient.today()
        first = today - dt.timedelta(days=RECENT_DAYS - 1)
        recent = [d for d in by_patient[patient.pk] if first <= d.date <= today]
        rows.append(
            PanelRow(
                access=access,
                last_logged=access.last_logged,
                adherence=Adherence.of((d.dose for d in recent), days=RECENT_DAYS),
                flags=flags(
                    days=recent,
                    end=today,
                    symptoms=patient.symptoms,
                    baselines={b.symptom_id: b for b in patient.baseline_list},
                ),
            )
        )
    # Open flags first, then whoever logged most recently; nobody's order hides anyone.
    rows.sort(key=lambda r: (-len(r.flags), -(r.last_logged or dt.date.min).toordinal(), r.name))
    return rows
