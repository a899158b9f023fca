"""A clinician's panel: their patients, those with open flags first.

Built in a constant number of queries however many patients there are: the
accesses, the patients' symptoms and therapies, and three reads of the days
(the last 30, the first logged and those before therapy, for the baselines)."""

import datetime as dt
from dataclasses import dataclass

import orjson
from django.db.models import F, OuterRef, Prefetch, Subquery, TextField, Window
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone

from .models import CareAccess, DayLog, Symptom, Therapy
from .trends import DayRow, Flag, flags_now

RECENT_DAYS = 30
BASELINE_ROWS = 60  # the first logged days hold any baseline (7 logged values a series)
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
        user = self.patient.user
        return user.get_full_name() or user.username


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
    numbered = days.annotate(
        n=Window(RowNumber(), partition_by=[F("patient")], order_by=F("date").asc())
    )
    by_patient: dict[int, dict[dt.date, DayRow]] = {pk: {} for pk in ids}
    for queryset in (
        days.filter(date__gte=since),
        numbered.filter(n__lte=BASELINE_ROWS),
        days.filter(date__lt=Subquery(first_therapy.values("started_on")[:1])),
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
