"""The clinical brief's reasons to talk to the care team, for the week ending on a
day: the same for the dashboard, the report and a clinician's panel. They prompt a
conversation; they never triage. Each rule's test is in tracker.rules."""

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass

from django.utils.dates import MONTHS_3
from django.utils.text import capfirst

from .. import rules
from ..models import Baseline, DayLog, Symptom, figure
from ..models.diary import GRADE, SEVERITY, WORST_PAIN
from .series import DayRow

JOINT_PAIN_HIGH = 4  # worst pain out of 10 that Ripple flags (Chim, BMC Cancer 2013)
JOINT_PAIN_CHANGE = 2  # points on 0-10: a meaningful change (SWOG S0927, S1202)
MISSED_DOSES = 3  # of the last 7 days: a house rule, with no published anchor
WORSE_DAYS = 8  # of the last 14


@dataclass(frozen=True)
class Flag:
    rule: str
    why: str
    date: dt.date

    def __str__(self) -> str:
        """The flag in words, as every page lists it: "Worst … 6/10 (…) (12 Mar)"."""
        # The date as the date filter's "j M" writes it, without its general formatter:
        # a clinician's panel lists hundreds of flags.
        return f"{capfirst(self.why)} ({self.date.day} {MONTHS_3[self.date.month].title()})"


def flags(
    *,
    days: list[DayRow],
    end: dt.date,
    symptoms: list[Symptom],
    baselines: dict[int, Baseline],
) -> list[Flag]:
    """At most one flag per rule for the week ending on `end`. `days`, oldest first,
    must hold the last 14 days to `end` (earlier ones are passed over); `baselines`
    are by symptom id."""
    fortnight = days[bisect_left(days, end - dt.timedelta(days=13), key=lambda d: d.date) :]
    fortnight = [d for d in fortnight if d.date <= end]
    week = [d for d in fortnight if d.date >= end - dt.timedelta(days=6)]
    keys = [(str(s.pk), s) for s in symptoms]
    found: list[Flag] = []

    for day in reversed(week):
        severe = [
            s.name.lower()
            for key, s in keys
            if (e := day.figures.get(key)) is not None
            and rules.is_severe(figure(e, GRADE), figure(e, SEVERITY))
        ]
        if severe:
            names = ", ".join(severe)
            found.append(
                Flag("severe", f"{names} reached the highest grade or “very severe”", day.date)
            )
            break

    for key, symptom in keys:
        if not symptom.asks_pain_details:
            continue
        pains = [
            (d.date, pain)
            for d in week
            if (e := d.figures.get(key)) is not None and (pain := figure(e, WORST_PAIN)) is not None
        ]
        high = [p for p in pains if p[1] >= JOINT_PAIN_HIGH]
        base = baselines.get(symptom.pk)
        what = f"worst {symptom.name.lower()}"
        if high:
            date, value = high[-1]
            found.append(Flag("joint_pain", f"{what} {value}/10 (Ripple flags 4 or more)", date))
            break
        if pains and base is not None and base.worst_pain is not None:
            change = rules.mean(v for _, v in pains) - base.worst_pain
            if change >= JOINT_PAIN_CHANGE:
                found.append(
                    Flag("joint_pain", f"{what} up {change:.1f} points from baseline", pains[-1][0])
                )
                break

    stopping = [d for d in week if d.considering_stopping]
    missed = [d for d in week if d.dose == DayLog.Dose.MISSED]
    if stopping:
        found.append(
            Flag("stopping", "thinking about stopping because of side effects", stopping[-1].date)
        )
    elif len(missed) >= MISSED_DOSES:
        found.append(
            Flag("stopping", f"doses missed on {len(missed)} of the last 7 days", missed[-1].date)
        )

    for key, symptom in keys:
        base = baselines.get(symptom.pk)
        if base is None:
            continue
        worse = [
            d
            for d in fortnight
            if (e := d.figures.get(key)) is not None and base.worse(figure(e, GRADE), on=d.date)
        ]
        if len(worse) >= WORSE_DAYS:
            found.append(
                Flag(
                    "worse",
                    f"{symptom.name.lower()} worse than baseline on {len(worse)} of the last 14 days",
                    worse[-1].date,
                )
            )
            break
    return found
