"""A clinician's panel: their patients, those with open flags first.

Its flags are the dashboard's, from only the days they depend on: the last 30,
those before therapy, and the first 7 that logged each series (the baselines).
The number of queries grows with the symptoms tracked (13 at most), never with
the patients or their days."""

import datetime as dt
from dataclasses import dataclass

import orjson
from django.db.models import F, OuterRef, Prefetch, Subquery, TextField, Window
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone

from ..models import CareAccess, DayLog, Symptom, Therapy
from ..trends.flags import Flag, flags_now
from ..trends.series import BASELINE_DAYS, DayRow

RECENT_DAYS = 30
FIELDS = ("patient_id", "date", "dose", "considering_stopping")


@dataclass
class PanelRow:
    access: CareAccess
    last_logged: dt.date | None
    adherence: int | None  # percent of answered days in the last 30
    flags: list[Flag]

    @property
    def patient(self):
        return self.access.patient

    @property
    def name(self) -> str:
        return self.patient.shown_name


def _rows(queryset) -> list[tuple]:
    rows = list(queryset.values_list(*FIELDS, Cast("scores", TextField())))
    scores = orjson.loads("[" + ",".join(row[4] for row in rows) + "]")
    return [(*row[:4], score) for row, score in zip(rows, scores, strict=True)]


def panel(clinician) -> list[PanelRow]:
    accesses = list(
        CareAccess.objects.current()
        .filter(clinician=clinician)
        .select_related("patient__user")
        .prefetch_related(
            Prefetch(
                "patient__tracked_symptoms",
                queryset=Symptom.objects.active().order_by("position", "name"),
                to_attr="symptoms",
            ),
            Prefetch(
                "patient__therapies", queryset=Therapy.objects.order_by("started_on", "id"),
                to_attr="therapy_list",
            ),
        )
    )  # fmt: skip
    ids = [a.patient_id for a in accesses]
    days = DayLog.objects.filter(patient__in=ids)
    since = timezone.now().date() - dt.timedelta(days=RECENT_DAYS + 1)  # +1: time zones
    first_therapy = Therapy.objects.filter(patient=OuterRef("patient")).order_by("started_on")
    slugs = {s.slug for a in accesses for s in a.patient.symptoms}
    series = [days.filter(scores__grades__has_key=slug) for slug in sorted(slugs)]
    series.append(days.filter(scores__has_key="worst_pain"))
    numbered = [
        logged.annotate(
            n=Window(RowNumber(), partition_by=[F("patient")], order_by=F("date").asc())
        ).filter(n__lte=BASELINE_DAYS)
        for logged in series
    ]
    by_patient: dict[int, dict[dt.date, DayRow]] = {pk: {} for pk in ids}
    for queryset in (
        days.filter(date__gte=since),
        days.filter(date__lt=Subquery(first_therapy.values("started_on")[:1])),
        *numbered,
    ):
        for patient_id, date, dose, stopping, scores in _rows(queryset):
            by_patient[patient_id][date] = DayRow(date, dose, stopping, scores)

    rows = []
    for access in accesses:
        patient = access.patient
        today = patient.today()
        logged = sorted(
            (d for d in by_patient[patient.pk].values() if d.date <= today), key=lambda d: d.date
        )
        recent = [d.dose for d in logged if d.date > today - dt.timedelta(days=RECENT_DAYS)]
        answered = [dose for dose in recent if dose]
        rows.append(
            PanelRow(
                access=access,
                last_logged=logged[-1].date if logged else None,
                adherence=round(100 * answered.count("taken") / len(answered))
                if answered
                else None,
                flags=flags_now(
                    days=logged,
                    symptoms=patient.symptoms,
                    therapies=patient.therapy_list,
                    today=today,
                ),
            )
        )
    # Open flags first, then whoever logged most recently; nobody's order hides anyone.
    rows.sort(key=lambda r: (-len(r.flags), -(r.last_logged or dt.date.min).toordinal(), r.name))
    return rows
