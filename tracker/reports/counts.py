"""What the report counts over its whole period (CLINICAL.md and issue 10): days of
thinking about stopping, severe days per symptom, missed doses by reason, where joint
pain was felt, hot flashes a day; and what a clinician needs beside them: tamoxifen
before, the latest bone scan with its T-scores, and broken bones. Three queries,
whatever the period: the days themselves come from the dashboard's read."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from .. import rules
from ..models import (
    DayLog,
    EventKind,
    MissedReason,
    Patient,
    SymptomLog,
    TimelineEvent,
    figure,
    sites_in,
)
from ..models.diary import FLASH_COUNT, GRADE, SEVERITY
from ..text import short_date


@dataclass
class PeriodCounts:
    thinking_of_stopping: int = 0
    missed_by_reason: list[tuple[str, int]] = field(default_factory=list)  # (reason, days)
    severe_days: list[tuple[str, int]] = field(default_factory=list)  # (symptom, days)
    severe_weeks: list[tuple[str, int]] = field(default_factory=list)  # (symptom, weekly answers)
    joint_sites: list[tuple[str, int]] = field(default_factory=list)  # (where, days)
    flashes_a_day: float | None = None
    flash_days: int = 0
    prior_tamoxifen: bool | None = None
    bone_scan: TimelineEvent | None = None
    fractures: list[TimelineEvent] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return sum(days for _reason, days in self.missed_by_reason)

    # The counts as the report lists them in a sentence: "hot flashes 3, fatigue 1".
    @property
    def missed_words(self) -> str:
        return _listed(self.missed_by_reason)

    @property
    def severe_day_words(self) -> str:
        return _listed(self.severe_days)

    @property
    def severe_week_words(self) -> str:
        return _listed(self.severe_weeks)

    @property
    def joint_site_words(self) -> str:
        return _listed(self.joint_sites)

    @property
    def fracture_words(self) -> str:
        """Each broken bone with its date: "Wrist (3 Mar 2025); Hip (1 Jun 2025)"."""
        return "; ".join(
            f"{event.title} ({short_date(event.starts_on)})" for event in self.fractures
        )


def _listed(counted: list[tuple[str, int]]) -> str:
    return ", ".join(f"{str(name).lower()} {n}" for name, n in counted)


def count_period(patient: Patient, *, days, symptoms, start: dt.date, end: dt.date) -> PeriodCounts:
    """`days` are the dashboard's DayRows (they may reach before `start`)."""
    period = [d for d in days if start <= d.date <= end]
    counts = PeriodCounts(prior_tamoxifen=patient.prior_tamoxifen)
    counts.thinking_of_stopping = sum(1 for d in period if d.considering_stopping)

    reasons = dict(MissedReason.choices)
    missed = (
        DayLog.objects.for_patient(patient)
        .between(start, end)
        .filter(dose=DayLog.Dose.MISSED)
        .values_list("missed_reason")
        .annotate(n=Count("id"))
    )
    counts.missed_by_reason = sorted(
        ((reasons.get(reason, _("Reason not given")), n) for reason, n in missed),
        key=lambda r: -r[1],
    )

    severe, severe_weeks = Counter(), Counter()
    flashes = []
    for day in period:
        for symptom in symptoms:
            # A weekly answer at the top of the scale is counted apart: it is one week's.
            week = day.figures.get(f"w{symptom.pk}")
            if week is not None and rules.is_severe(figure(week, GRADE), figure(week, SEVERITY)):
                severe_weeks[symptom.display_name] += 1
            entry = day.figures.get(str(symptom.pk))
            if entry is None:
                continue
            if rules.is_severe(figure(entry, GRADE), figure(entry, SEVERITY)):
                severe[symptom.display_name] += 1
            if symptom.asks_hot_flash_episodes and (n := figure(entry, FLASH_COUNT)) is not None:
                flashes.append(n)
    counts.severe_days = sorted(severe.items(), key=lambda s: -s[1])
    counts.severe_weeks = sorted(severe_weeks.items(), key=lambda s: -s[1])
    if flashes:
        counts.flash_days = len(flashes)
        counts.flashes_a_day = round(sum(flashes) / len(flashes), 1)

    sites = Counter()
    for mask in SymptomLog.objects.filter(
        patient=patient, date__range=(start, end), sites__gt=0
    ).values_list("sites", flat=True):
        sites.update(site.label for site in sites_in(mask))
    counts.joint_sites = sites.most_common()

    events = list(
        TimelineEvent.objects.for_patient(patient)
        .filter(kind__in=[EventKind.BONE_SCAN, EventKind.FRACTURE], starts_on__lte=end)
        .order_by("starts_on")
    )
    scans = [e for e in events if e.kind == EventKind.BONE_SCAN]
    counts.bone_scan = scans[-1] if scans else None
    counts.fractures = [e for e in events if e.kind == EventKind.FRACTURE]
    return counts
