"""The clinical brief's reasons to talk to the care team. They prompt a conversation;
they never triage."""

import datetime as dt
from dataclasses import dataclass, field

from ..models import DayLog
from .series import DayRow, column_baseline, columns, mean
from .summaries import JOINT_PAIN_CHANGE


@dataclass(frozen=True)
class Flag:
    rule: str
    why: str
    date: dt.date


@dataclass
class FlagContext:
    days: list[DayRow]
    end: dt.date
    baselines: dict[str, float | None] = field(default_factory=dict)  # grade baseline by slug
    names: dict[str, str] = field(default_factory=dict)  # symptom names by slug
    pain_baseline: float | None = None


def flags(context: FlagContext) -> list[Flag]:
    """The brief's reasons to talk to the care team, at most one per rule for the week
    ending on `end`. They prompt a conversation; they never triage."""
    week_start = context.end - dt.timedelta(days=6)
    fortnight_start = context.end - dt.timedelta(days=13)
    week = [d for d in context.days if week_start <= d.date <= context.end]
    fortnight = [d for d in context.days if fortnight_start <= d.date <= context.end]
    found: list[Flag] = []

    for day in reversed(week):
        grades = day.scores.get("grades", {})
        severe = [slug for slug, grade in grades.items() if grade == 3]
        severe += [s for s in day.scores.get("very_severe", []) if s not in severe]
        if severe:
            names = ", ".join(context.names.get(s, s).lower() for s in severe)
            found.append(
                Flag("severe", f"{names} reached the highest grade or “very severe”", day.date)
            )
            break

    pains = [
        (d.date, d.scores.get("worst_pain")) for d in week if d.scores.get("worst_pain") is not None
    ]
    high = [p for p in pains if p[1] >= 4]
    if high:
        date, value = high[-1]
        found.append(
            Flag("joint_pain", f"worst joint pain {value}/10 (Ripple flags 4 or more)", date)
        )
    elif pains and context.pain_baseline is not None:
        week_mean = mean(v for _, v in pains)
        if week_mean - context.pain_baseline >= JOINT_PAIN_CHANGE:
            found.append(
                Flag(
                    "joint_pain",
                    f"joint pain up {week_mean - context.pain_baseline:.1f} points from baseline",
                    pains[-1][0],
                )
            )

    stopping = [d for d in week if d.considering_stopping]
    missed = [d for d in week if d.dose == DayLog.Dose.MISSED]
    if stopping:
        found.append(
            Flag("stopping", "thinking about stopping because of side effects", stopping[-1].date)
        )
    elif len(missed) >= 3:
        found.append(
            Flag("stopping", f"doses missed on {len(missed)} of the last 7 days", missed[-1].date)
        )

    for slug, base in context.baselines.items():
        if base is None:
            continue
        worse = [
            d
            for d in fortnight
            if (g := d.scores.get("grades", {}).get(slug)) is not None and g > base
        ]
        if len(worse) >= 8:
            name = context.names.get(slug, slug)
            found.append(
                Flag(
                    "worse",
                    f"{name.lower()} worse than baseline on {len(worse)} of the last 14 days",
                    worse[-1].date,
                )
            )
            break
    return found


def flags_now(*, days: list[DayRow], symptoms, therapies, today: dt.date) -> list[Flag]:
    """The flags for the week ending today, as the dashboard shows them, from days
    that include the baseline's (those before therapy, or the first logged)."""
    if not days:
        return []
    origin = days[0].date
    slugs = [s.slug for s in symptoms]
    cols = columns(days, origin, (today - origin).days + 1, slugs)
    therapy_index = (therapies[0].started_on - origin).days if therapies else None
    context = FlagContext(
        days=[d for d in days if d.date >= today - dt.timedelta(days=13)],
        end=today,
        baselines={slug: column_baseline(cols[slug], therapy_index) for slug in slugs},
        names={s.slug: s.name for s in symptoms},
        pain_baseline=column_baseline(cols["worst_pain"], therapy_index),
    )
    return flags(context)
