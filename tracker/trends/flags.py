"""The clinical brief's reasons to talk to the care team, for the week ending on a
day: the same for the dashboard, the report and a clinician's panel. They prompt a
conversation; they never triage. Each rule's test is in tracker.rules."""

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, replace

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import rules
from ..models import Baseline, DayLog, Symptom, figure, keep_flags
from ..models.diary import GRADE, SEVERITY, WORST_PAIN
from ..text import join, short_month
from .charts import number
from .series import DayRow

JOINT_PAIN_HIGH = 4  # worst pain out of 10 that Ripple flags (Chim, BMC Cancer 2013)
JOINT_PAIN_HIGH_DAYS = 3  # of the last 7 days
JOINT_PAIN_CHANGE = 2  # points on 0-10: a meaningful change (SWOG S0927, S1202)
MISSED_DOSES = 3  # of the last 7 days: a house rule, with no published anchor
WORSE_DAYS = 8  # of the last 14: most of them
WORSE_WEEKS = 2  # weekly answers in the last 14 days, each worse: the whole fortnight
# Each rule's name, as flags carry it and a clinician marks it seen.
RULES = ["severe", "joint_pain", "stopping", "missed", "worse"]


@dataclass(frozen=True)
class Flag:
    rule: str
    why: str
    date: dt.date
    value: int | None = None  # how high or how many, to tell a higher flag from the last
    seen_at: dt.datetime | None = None  # when a clinician marked it seen (see remembered())
    seen_by: str = ""

    def __str__(self) -> str:
        """The flag in words, as every page lists it: "Worst … 6/10 (…) (12 Mar)"."""
        # The day and month as short dates write them, without the date filter's
        # general formatter: a clinician's panel lists hundreds of flags.
        return f"{capfirst(self.why)} ({self.date.day} {short_month(self.date.month)})"


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
        # A weekly answer counts too: "very severe" in the past 7 days is as much a reason.
        severe = [
            s.display_name.lower()
            for key, s in keys
            if any(
                (e := day.figures.get(k)) is not None
                and rules.is_severe(figure(e, GRADE), figure(e, SEVERITY))
                for k in (key, "w" + key)
            )
        ]
        if severe:
            names = join(severe)
            # Translators: %(names)s lists symptoms; starts a flag (its first letter is
            # made a capital).
            why = _("%(names)s at the top of Ripple's scale or “very severe”") % {"names": names}
            found.append(Flag("severe", why, day.date))
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
        name = symptom.display_name.lower()
        if len(high) >= JOINT_PAIN_HIGH_DAYS:
            top = max(value for _day, value in high)
            why = _(
                # Translators: a flag; %(name)s is a symptom ("knee pain"), %(days)s 3
                # or more, %(top)s the highest worst pain out of 10.
                "worst %(name)s 4/10 or more on %(days)s of the last 7 days, up to %(top)s/10"
            ) % {"name": name, "days": len(high), "top": top}
            found.append(Flag("joint_pain", why, high[-1][0], top))
            break
        if pains and base is not None and base.worst_pain is not None and base.complete:
            change = rules.mean(v for _day, v in pains) - base.worst_pain
            if change >= JOINT_PAIN_CHANGE:
                # Translators: a flag; %(name)s is a symptom ("knee pain"), %(points)s a
                # number of points out of 10 ("2.5").
                why = _("worst %(name)s up %(points)s points from baseline") % {
                    "name": name,
                    "points": number(change, ".1f"),
                }
                found.append(Flag("joint_pain", why, pains[-1][0]))
                break

    # Both can fire together: a patient thinking of stopping who also misses doses.
    stopping = [d for d in week if d.considering_stopping]
    missed = [d for d in week if d.dose == DayLog.Dose.MISSED]
    if stopping:
        why = _("thinking about stopping because of side effects")
        found.append(Flag("stopping", why, stopping[-1].date))
    if len(missed) >= MISSED_DOSES:
        # Translators: a flag; %(days)s is 3 or more.
        why = _("doses missed on %(days)s of the last 7 days (Ripple's own rule: 3 or more)") % {
            "days": len(missed)
        }
        found.append(Flag("missed", why, missed[-1].date, len(missed)))

    worse_symptoms, latest = [], None
    for key, symptom in keys:
        base = baselines.get(symptom.pk)
        worse_than = base and rules.worse_than(base)
        if not worse_than:  # no baseline, or not whole yet
            continue
        worse = [
            d
            for d in fortnight
            if (e := d.figures.get(key)) is not None and worse_than(figure(e, GRADE), d.date)
        ]
        # Weekly answers each cover 7 days: worse in both weeks of the fortnight is
        # worse on most of its days. A week's answer is never counted as one day.
        weeks = [d for d in fortnight if "w" + key in d.figures]
        worse_weeks = [d for d in weeks if worse_than(figure(d.figures["w" + key], GRADE), d.date)]
        if len(worse) >= WORSE_DAYS:
            worse_symptoms.append(
                # Translators: a symptom in a flag's list, and on how many days it was
                # worse.
                ngettext("%(name)s (%(count)s day)", "%(name)s (%(count)s days)", len(worse))
                % {"name": symptom.display_name.lower(), "count": len(worse)}
            )
            latest = max(latest or worse[-1].date, worse[-1].date)
        elif len(worse_weeks) >= WORSE_WEEKS and len(worse_weeks) == len(weeks):
            worse_symptoms.append(
                # Translators: a symptom in a flag's list, asked once a week: its two
                # answers of the last 14 days were both worse.
                _("%(name)s (both weekly answers)") % {"name": symptom.display_name.lower()}
            )
            latest = max(latest or worse_weeks[-1].date, worse_weeks[-1].date)
    if worse_symptoms:
        # Translators: a flag; %(symptoms)s lists symptoms.
        why = _("a grade above baseline on most of the last 14 days: %(symptoms)s") % {
            "symptoms": join(worse_symptoms)
        }
        found.append(Flag("worse", why, latest, len(worse_symptoms)))
    return found


def remembered(found: dict[int, list[Flag]], today: dict[int, dt.date]) -> dict[int, list[Flag]]:
    """The flags found for each patient (by id) on their today, kept (see
    models.keep_flags) and marked with when a clinician saw them, if they did."""
    kept = keep_flags(found, today)
    return {
        pk: [
            replace(flag, seen_at=stored.seen_at, seen_by=stored.seen_by)
            if (stored := kept[pk][flag.rule]).seen_at
            else flag
            for flag in flags
        ]
        for pk, flags in found.items()
    }


def unseen(flags: list[Flag]) -> list[Flag]:
    return [flag for flag in flags if flag.seen_at is None]
