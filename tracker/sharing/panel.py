"""A clinician's panel: their patients, those with open flags first.

Each row's flags are the dashboard's (trends.flags), from the last 30 days of the
patient's diary and their stored baselines: no query reads more than that, and their
number stays the same however many patients a clinician has."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from ..models import Baseline, CareAccess, DayLog, Patient, Symptom
from ..models.diary import LightBaseline
from ..rules import Adherence
from ..trends.flags import Flag, flags, remembered, unseen
from ..trends.series import days_of

RECENT_DAYS = 30
FLAG_DAYS = 14  # the flags read a fortnight (see trends.flags)


@dataclass
class PanelRow:
    access: CareAccess
    last_logged: dt.date | None
    adherence: Adherence  # over the last 30 days
    flags: list[Flag]
    report_url: str
    trends_url: str
    seen_url: str  # where "Mark seen" posts

    @property
    def patient(self):
        return self.access.patient

    # Cached: the panel's template reads each several times a row, or once per flag.
    @cached_property
    def name(self) -> str:
        return self.patient.shown_name

    @cached_property
    def open(self) -> list[Flag]:
        """Flags no clinician has marked seen yet (read once the kept flags are in)."""
        return unseen(self.flags)

    @property
    def seen(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.seen_at is not None]


def _url_for_each(name: str):
    """reverse(name, args=[pk]) for a panel's many patients: reversed once with a
    stand-in id that is then replaced (reverse() for 2 links × 200 patients took
    about 12 ms)."""
    stand_in = "2147483647"
    url = reverse(name, args=[int(stand_in)])
    return lambda pk: url.replace(stand_in, str(pk))


def panel(clinician) -> list[PanelRow]:
    """Six queries, however many patients: the accesses with their patients, the
    catalogue, what each patient tracks, their baselines, their last 30 days (with
    the figures of the last 14, all the flags read), and the flags kept (see
    models.keep_flags; writes only when a flag was raised, reopened or cleared)."""
    last_logged = DayLog.objects.filter(patient=OuterRef("patient")).logged().order_by("-date")
    accesses = list(
        CareAccess.objects.current()
        .filter(clinician=clinician)
        .select_related("patient__user")
        .annotate(last_logged=Subquery(last_logged.values("date")[:1]))
    )
    patients = [access.patient for access in accesses]
    ids = [patient.pk for patient in patients]
    # The catalogue once, not a copy of each symptom for every patient who tracks it.
    catalogue = {symptom.pk: symptom for symptom in Symptom.objects.active()}
    tracked: dict[int, list[Symptom]] = defaultdict(list)
    for patient_id, symptom_id in (
        Patient.tracked_symptoms.through.objects.filter(
            patient__in=ids, symptom__in=list(catalogue)
        )
        .order_by("symptom__position", "symptom__name")
        .values_list("patient_id", "symptom_id")
    ):
        tracked[patient_id].append(catalogue[symptom_id])
    baselines: dict[int, dict[int, LightBaseline]] = defaultdict(dict)
    for baseline in Baseline.objects.filter(patient__in=ids).light():
        baselines[baseline.patient_id][baseline.symptom_id] = baseline
    # A day either side of today: each patient's own today depends on their time zone.
    utc_today = timezone.now().date()
    by_patient = days_of(
        patients,
        start=utc_today - dt.timedelta(days=RECENT_DAYS),
        end=utc_today + dt.timedelta(days=1),
        figures_from=utc_today - dt.timedelta(days=FLAG_DAYS),
    )

    report_url = _url_for_each("tracker:clinician-report")
    trends_url = _url_for_each("tracker:clinician-dashboard")
    seen_url = _url_for_each("tracker:clinician-flag-seen")
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
                    symptoms=tracked[patient.pk],
                    baselines=baselines[patient.pk],
                ),
                report_url=report_url(patient.pk),
                trends_url=trends_url(patient.pk),
                seen_url=seen_url(patient.pk),
            )
        )
    kept = remembered(
        {row.patient.pk: row.flags for row in rows},
        {row.patient.pk: row.patient.today() for row in rows},
    )
    for row in rows:
        row.flags = kept[row.patient.pk]
    # Flags not yet seen first, then whoever logged most recently; nobody's order hides anyone.
    rows.sort(key=lambda r: (-len(r.open), -(r.last_logged or dt.date.min).toordinal(), r.name))
    return rows
