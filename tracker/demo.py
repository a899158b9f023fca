"""Six months of believable diary data for the demo patient.

The story: anastrozole from day 0; hot flashes from week 3 and joint pain from
weeks 5-8 (as in the trials); joint pain peaks and thoughts of stopping follow;
a switch to exemestane around day 112; joint pain eases over the next weeks.
A few forgotten doses, scattered missing days and a week away.
"""

import datetime as dt
import random
from decimal import Decimal

from .models import (
    EPISODE_ATTRIBUTES,
    RECALL_DAYS,
    SITE_ATTRIBUTES,
    SITES,
    Attribute,
    DayLog,
    Drug,
    EventKind,
    OptOut,
    Symptom,
    SymptomLog,
    TimelineEvent,
    sites_mask,
)
from .recording import rebuild

DAYS_ON_THERAPY = 182
BASELINE_DAYS = 7
SWITCH_DAY = 112
HOLIDAY = range(140, 146)
NOTES = {
    30: "Started a walking group on Tuesdays.",
    58: "Hands stiff first thing, hard to open jars.",
    96: "Pain is wearing me down. Asking about options at the next visit.",
    112: "First day on exemestane.",
    131: "Joints a bit easier this week.",
    160: "Swimming twice this week, felt good.",
}


VISIT_NOTES = """Is the knee and hand pain still from the medicine, now that I'm on exemestane?
Should I keep up the acupuncture, or try something else?
When is my next bone density scan due?"""


def _ramp(day: int, start: int, full: int) -> float:
    if day < start:
        return 0.0
    return min(1.0, (day - start) / max(1, full - start))


def levels(day: int) -> dict[str, float]:
    """Underlying intensity (0-4) of each symptom on a day since starting therapy."""
    joint = 3.0 * _ramp(day, 32, 62)
    if day >= SWITCH_DAY:
        joint = 3.0 - 1.8 * _ramp(day, SWITCH_DAY + 7, SWITCH_DAY + 35)
    flashes = 2.5 * _ramp(day, 18, 50) - (0.4 if day >= SWITCH_DAY + 20 else 0)
    return {
        "joint-pain": joint,
        "muscle-aches": joint * 0.55,
        "hot-flashes": flashes,
        "night-sweats": flashes * 0.7,
        "vaginal-dryness": 2.0 * _ramp(day, 45, 120),
        "painful-sex": 1.6 * _ramp(day, 60, 130),
        "low-sexual-interest": 1.2 * _ramp(day, 50, 120),
        "trouble-sleeping": 0.4 + flashes * 0.45,
        "fatigue": 0.6 + joint * 0.4,
        "anxiety": 0.5 + (0.8 if 85 <= day < SWITCH_DAY + 10 else 0),
        "low-mood": 0.3 + joint * 0.3,
        "numbness-tingling": 0.3,
        "limb-swelling": 0.0,
    }


def _scale(rng: random.Random, level: float, factor: float = 1.0, shift: float = 0.0) -> int:
    return max(0, min(4, round(level * factor + shift + rng.gauss(0, 0.45))))


def build(patient, *, today: dt.date, seed: int = 2026) -> None:
    """Replace the patient's therapies and diary with the demo story, ending today."""
    rng = random.Random(seed)
    start = today - dt.timedelta(days=DAYS_ON_THERAPY)
    patient.symptom_logs.all().delete()
    patient.baselines.all().delete()
    patient.day_logs.all().delete()
    patient.therapies.all().delete()
    patient.timeline_events.all().delete()
    patient.therapies.create(drug=Drug.ANASTROZOLE, started_on=start)
    patient.therapies.create(drug=Drug.EXEMESTANE, started_on=start + dt.timedelta(days=SWITCH_DAY))

    def on(offset):
        return start + dt.timedelta(days=offset)

    TimelineEvent.objects.bulk_create(
        [
            TimelineEvent(patient=patient, kind=EventKind.BONE_SCAN, title="Baseline DEXA scan",
                          starts_on=on(-10), t_score_spine=Decimal("-1.2"), t_score_hip=Decimal("-0.8")),
            TimelineEvent(patient=patient, kind=EventKind.APPOINTMENT, title="Oncology clinic", starts_on=on(0)),
            TimelineEvent(patient=patient, kind=EventKind.SUPPORTIVE_TREATMENT, title="Walking group",
                          starts_on=on(30)),
            TimelineEvent(patient=patient, kind=EventKind.SUPPORTIVE_TREATMENT, title="Acupuncture",
                          starts_on=on(75), ends_on=on(105)),
            TimelineEvent(patient=patient, kind=EventKind.APPOINTMENT, title="Oncology review: joint pain",
                          starts_on=on(SWITCH_DAY - 1)),
            TimelineEvent(patient=patient, kind=EventKind.APPOINTMENT, title="Follow-up", starts_on=on(168)),
        ]
    )  # fmt: skip
    symptoms = {s.slug: s for s in Symptom.objects.active()}
    # What onboarding ticks: the optional symptoms (falls, …) are never logged here.
    patient.track(Symptom.objects.defaults())
    cadences = patient.cadences()
    missed = {23, 71, 99, 104, 150}
    rows, logs = [], []
    for offset in range(-BASELINE_DAYS, DAYS_ON_THERAPY + 1):
        date = start + dt.timedelta(days=offset)
        # Today is left empty, so the demo shows a day still to log.
        if offset in HOLIDAY or date == today or (offset > 0 and rng.random() < 0.07):
            continue
        day_levels = levels(max(offset, 0))
        for slug, level in day_levels.items():
            symptom = symptoms.get(slug)
            if symptom is None:
                continue
            recall = RECALL_DAYS[cadences[symptom.pk]]
            if recall == 7:
                if date != patient.week_start(date):
                    continue  # asked on the weekly check-in day only
                # A 7-day answer is close to the week's worst day (CLINICAL.md).
                level = max(levels(max(offset - back, 0))[slug] for back in range(7))
            values = _values_for(rng, symptom, level, questions=symptom.questions_for(recall))
            row = SymptomLog(
                patient=patient, date=date, symptom=symptom, recall_days=recall, **values
            )
            row.grade = row.graded(symptom)
            rows.append(row)
        dose = DayLog.Dose.TAKEN if offset >= 0 else ""
        reason = ""
        if offset in missed:
            dose = DayLog.Dose.MISSED
            reason = (
                DayLog.MissedReason.SIDE_EFFECTS
                if 90 < offset < SWITCH_DAY
                else DayLog.MissedReason.FORGOT
            )
        logs.append(
            DayLog(
                patient=patient,
                date=date,
                dose=dose,
                missed_reason=reason,
                considering_stopping=(92 <= offset < SWITCH_DAY and offset % 3 == 0)
                if offset >= 0
                else None,
                note=NOTES.get(offset, ""),
            )
        )
    DayLog.objects.bulk_create(logs)
    SymptomLog.objects.bulk_create(rows, batch_size=1000)
    rebuild(patient)  # the day figures and baselines, as the writer keeps them


def _values_for(rng: random.Random, symptom: Symptom, level: float, *, questions) -> dict:
    """One symptom's answers on a day, by column, branching included: only the
    `questions` asked (a weekly check-in asks none of the day's details)."""
    values: dict = {}
    order = symptom.attributes
    scales = {
        Attribute.FREQUENCY: _scale(rng, level),
        Attribute.SEVERITY: _scale(rng, level, 0.95),
        Attribute.INTERFERENCE: _scale(rng, level, 0.85, -0.3),
    }
    for position, attribute in enumerate(order):
        value = scales[attribute]
        if position and values[order[position - 1]] == 0:
            value = 0
        values[attribute] = value
    if symptom.offers_opt_outs and rng.random() < 0.15:
        values[Attribute.SEVERITY] = None
        values["opt_out"] = OptOut.PREFER_NOT_TO_ANSWER
    first_is_zero = values[order[0]] == 0
    if symptom.asks_pain_details:
        pain = 0 if first_is_zero else max(0, min(10, round(level * 2.4 + rng.gauss(0, 0.9))))
        values[Attribute.WORST_PAIN] = pain
        likely = {
            "site_hands": 0.8,
            "site_wrists": 0.6,
            "site_knees": 0.6,
            "site_shoulders": 0.3,
            "site_hips": 0.2,
            "site_ankles": 0.3,
            "site_back": 0.25,
            "site_elbows": 0.15,
        }
        chosen = [s for s in SITE_ATTRIBUTES if pain >= 2 and rng.random() < likely[s.value]]
        values[SITES] = sites_mask(chosen)
        stiffness = 0 if first_is_zero else max(0, round(level * 14 + rng.gauss(0, 6)))
        values[Attribute.STIFFNESS_MINUTES] = stiffness
    if symptom.asks_hot_flash_episodes:
        total = 0 if first_is_zero else max(0, round(level * 2.6 + rng.gauss(0, 1.2)))
        severe = round(total * 0.15 * rng.random())
        moderate = round((total - severe) * (0.3 + 0.3 * rng.random()))
        for attribute, count in zip(
            EPISODE_ATTRIBUTES, [total - severe - moderate, moderate, severe], strict=True
        ):
            values[attribute] = count
    if symptom.asks_night_awakenings:
        wakes = 0 if first_is_zero else max(0, round(level + rng.gauss(0, 0.6)))
        values[Attribute.NIGHT_AWAKENINGS] = wakes
    return {key: value for key, value in values.items() if key in questions or key == "opt_out"}
