"""A patient's day: what was saved, and what it says in plain words."""

import datetime as dt
from dataclasses import dataclass, field

from .. import rules
from ..models import (
    EPISODE_ATTRIBUTES,
    PRO_CTCAE_ATTRIBUTES,
    Attribute,
    DayLog,
    Patient,
    Symptom,
    SymptomLog,
)
from ..recording import Tracked, tracked_on
from ..text import join
from .forms import SCALE_LABELS, DayForm, SymptomForm

GRADE_WORDS = {0: "none", 1: "mild", 2: "moderate", 3: "severe"}


@dataclass
class SymptomDay:
    symptom: Symptom
    log: SymptomLog | None = None
    read: Tracked | None = None  # as the writer may be given it (see tracked_day)
    form: SymptomForm | None = None

    @property
    def grade(self) -> int | None:
        return self.log.grade if self.log else None

    @property
    def recall_days(self) -> int:
        if self.read is not None:
            return self.read.recall_days
        return self.log.recall_days if self.log else 1

    @property
    def weekly(self) -> bool:
        return self.recall_days == 7

    @property
    def logged(self) -> bool:
        return self.log is not None

    @property
    def bothered(self) -> bool:
        """Anything above zero today: a grade, or a pain score, episode count or the like."""
        return self.logged and self.log.bothered

    @property
    def questions_left(self) -> int:
        log = self.log
        return sum(
            1
            for attribute in self.symptom.attributes
            if log is None
            or (getattr(log, attribute) is None and not (attribute == "severity" and log.opt_out))
        )

    @property
    def complete(self) -> bool:
        """Its 0–4 questions answered (or skipped by a 0): what the progress line counts."""
        return self.logged and self.questions_left == 0

    @property
    def folds(self) -> bool:
        """Every question it asks answered, the day's details too: its card shows one
        line until opened (a card with a detail still to give stays open)."""
        log = self.log
        return self.complete and all(
            getattr(log, question) is not None
            for question in self.symptom.questions_for(self.recall_days)
            if not (question == "severity" and log.opt_out)
        )

    def short(self) -> str:
        """The answers in a few words, for a folded card: "moderate, worst 6/10"."""
        log = self.log
        if log is None:
            return ""
        if log.opt_out and self.grade is None:
            return log.get_opt_out_display().lower()
        parts = [self.grade_words] if self.grade is not None else []
        if log.worst_pain is not None:
            parts.append(f"worst {log.worst_pain}/10")
        flashes = rules.flash_count(*(getattr(log, a) for a in EPISODE_ATTRIBUTES))
        if flashes:
            parts.append(f"{flashes} episode{'s' if flashes != 1 else ''}")
        return ", ".join(parts)

    @property
    def grade_words(self) -> str:
        return GRADE_WORDS.get(self.grade, "")

    @property
    def severe(self) -> bool:
        return self.logged and rules.is_severe(self.log.grade, self.log.severity)

    def initial(self) -> dict:
        """The form's answers as stored, so the page shows (and carries) what is saved."""
        log = self.log
        if log is None:
            return {"sites_shown": "1"}
        initial: dict = {}
        for attribute in self.symptom.questions_for(self.recall_days):
            value = getattr(log, attribute) if attribute != "sites" else None
            if value is not None:
                scaled = attribute in [*PRO_CTCAE_ATTRIBUTES, Attribute.WORST_PAIN]
                initial[attribute] = str(value) if scaled else value
        if log.opt_out:
            initial[Attribute.SEVERITY] = log.opt_out
        initial["sites"] = [site.value for site in log.site_list]
        initial["sites_shown"] = "1"
        return initial

    def summary(self) -> str:
        """One plain sentence about this symptom on its day."""
        log = self.log
        if log is None:
            return "Not logged yet."
        parts = []
        for attribute in self.symptom.attributes:
            value = getattr(log, attribute)
            if attribute == Attribute.SEVERITY and log.opt_out:
                parts.append(log.get_opt_out_display().lower())
            elif value is None:
                continue
            elif attribute == Attribute.FREQUENCY:
                parts.append(SCALE_LABELS[attribute][value].lower())
            elif attribute == Attribute.SEVERITY:
                parts.append(f"{SCALE_LABELS[attribute][value].lower()} at worst")
            else:
                parts.append(f"in your way {SCALE_LABELS[attribute][value].lower()}")
        episodes = [getattr(log, a) for a in EPISODE_ATTRIBUTES]
        total = rules.flash_count(*episodes)
        if total:
            levels = zip(episodes, ["mild", "moderate", "severe"], strict=True)
            detail = ", ".join(f"{n} {level}" for n, level in levels if n)
            parts.append(f"{total} episode{'s' if total != 1 else ''} ({detail})")
        elif total == 0:
            parts.append("no episodes")
        if log.worst_pain is not None:
            parts.append(f"worst pain {log.worst_pain} out of 10")
        if sites := [site.label.lower() for site in log.site_list]:
            parts.append("in " + join(sites))
        if log.stiffness_minutes:
            parts.append(f"stiff for {log.stiffness_minutes} minutes after getting up")
        if n := log.night_awakenings:
            parts.append(f"woke {n} time{'s' if n != 1 else ''} in the night")
        sentence = join(parts).capitalize() + "." if parts else ""
        if self.grade is not None:
            sentence += f" Overall: {self.grade_words} (grade {self.grade} of 3)."
        elif self.questions_left:
            left = self.questions_left
            sentence += f" {left} more question{'s' if left != 1 else ''} to answer."
        return sentence.strip()


@dataclass
class Day:
    patient: Patient
    date: dt.date
    log: DayLog | None
    symptoms: list[SymptomDay]  # asked on the day (see Tracked.asked)
    # Values of symptoms no longer tracked or retired: shown, not asked.
    others: list[SymptomDay] = field(default_factory=list)
    day_form: DayForm | None = None
    # Every tracked symptom, weekly ones already answered this week included: a page
    # drawn before one was answered elsewhere may still save it.
    tracked: list[SymptomDay] = field(default_factory=list)

    @property
    def logged_count(self) -> int:
        return sum(1 for s in self.symptoms if s.logged)

    @property
    def answered_count(self) -> int:
        return sum(1 for s in self.symptoms if s.complete)

    @property
    def troublesome(self) -> list[SymptomDay]:
        bothered = [s for s in self.symptoms if s.bothered]
        return sorted(bothered, key=lambda s: -(s.grade or 0))

    @property
    def worth_discussing(self) -> list[SymptomDay]:
        """Symptoms on a severe day (rules.is_severe): a flag to talk about, never a triage."""
        return [s for s in self.symptoms if s.severe]

    @property
    def worth_discussing_names(self) -> str:
        return join([s.symptom.name.lower() for s in self.worth_discussing])

    @property
    def needs_crisis_contacts(self) -> bool:
        """Low mood or anxiety on a severe day: the crisis line goes on the page itself."""
        return any(s.symptom.crisis_contacts for s in self.worth_discussing)

    @property
    def is_today(self) -> bool:
        return self.date == self.patient.today()

    def symptom(self, slug: str) -> SymptomDay | None:
        return next((s for s in self.tracked or self.symptoms if s.symptom.slug == slug), None)

    @property
    def weekly_due(self) -> bool:
        return any(s.weekly for s in self.symptoms)

    @property
    def weekly_answered(self) -> list[SymptomDay]:
        """Weekly symptoms answered earlier this week: not asked again until next week."""
        return [s for s in self.tracked if s not in self.symptoms]


def tracked_day(patient: Patient, date: dt.date) -> Day:
    """The day's tracked symptoms with their rows and baselines, in one query: what a
    save needs (the writer returns the day's own row). Read after lock_diary() in a
    transaction, it is what the writer may be given."""
    tracked = [SymptomDay(t.symptom, t.log, t) for t in tracked_on(patient, date)]
    return Day(
        patient=patient,
        date=date,
        log=None,
        symptoms=[s for s in tracked if s.read.asked],
        tracked=tracked,
    )


def load_day(patient: Patient, date: dt.date) -> Day:
    """Everything saved for one day, in three queries."""
    day = tracked_day(patient, date)
    day.log = DayLog.objects.filter(patient=patient, date=date).first()
    others = (
        SymptomLog.objects.for_patient(patient)
        .on(date)
        .exclude(symptom__in=[s.symptom.pk for s in day.tracked])
        .select_related("symptom")
        .order_by("symptom__position", "symptom__name")
    )
    day.others = [SymptomDay(log.symptom, log) for log in others]
    return day


def day_form_initial(log: DayLog | None) -> dict:
    if log is None:
        return {}
    stopping = {True: "yes", False: "no", None: ""}[log.considering_stopping]
    return {
        "dose": log.dose,
        "missed_reason": log.missed_reason,
        "considering_stopping": stopping,
        "note": log.note,
    }
