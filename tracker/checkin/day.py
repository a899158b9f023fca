"""A patient's day: what was saved, and what it says in plain words."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext_lazy

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

# A symptom's overall grade (0-3) in a word, e.g. "Overall: mild".
GRADE_WORDS = {
    # Translators: a symptom's overall grade 0 in a word, e.g. "Overall: none".
    0: pgettext_lazy("grade", "none"),
    1: pgettext_lazy("grade", "mild"),
    2: pgettext_lazy("grade", "moderate"),
    3: pgettext_lazy("grade", "severe"),
}
# Hot flashes of each level (mild, moderate, severe), counted in a day's summary.
EPISODE_LEVELS = [
    # Translators: a count of hot flashes, e.g. "3 episodes (2 mild, 1 severe)".
    ngettext_lazy("%(count)s mild", "%(count)s mild", "count"),
    # Translators: a count of hot flashes, e.g. "3 episodes (2 moderate, 1 severe)".
    ngettext_lazy("%(count)s moderate", "%(count)s moderate", "count"),
    # Translators: a count of hot flashes, e.g. "3 episodes (2 mild, 1 severe)".
    ngettext_lazy("%(count)s severe", "%(count)s severe", "count"),
]
# Each answer to "How much did it get in your way?", as part of a day's summary
# (the scale's own words follow "in your way").
INTERFERENCE_WORDS = [
    # Translators: the answers to "How much did it get in your way today?" as part of
    # a sentence, e.g. "Frequently, moderate at worst and in your way a little."
    gettext_lazy("in your way not at all"),
    gettext_lazy("in your way a little"),
    gettext_lazy("in your way somewhat"),
    gettext_lazy("in your way quite a bit"),
    gettext_lazy("in your way very much"),
]


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
            # Translators: a pain score in a folded card, e.g. "moderate, worst 6/10".
            parts.append(_("worst %(pain)s/10") % {"pain": log.worst_pain})
        flashes = rules.flash_count(*(getattr(log, a) for a in EPISODE_ATTRIBUTES))
        if flashes:
            parts.append(
                ngettext("%(count)s episode", "%(count)s episodes", flashes) % {"count": flashes}
            )
        return ", ".join(parts)

    @property
    def grade_words(self) -> str:
        return str(GRADE_WORDS.get(self.grade, ""))

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
            return _("Not logged yet.")
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
                level = SCALE_LABELS[attribute][value].lower()
                # Translators: e.g. "mild at worst": the answer to "At its worst today,
                # how bad was it?" (none, mild, moderate, severe, very severe), in lower case.
                parts.append(_("%(level)s at worst") % {"level": level})
            else:
                parts.append(str(INTERFERENCE_WORDS[value]))
        episodes = [getattr(log, a) for a in EPISODE_ATTRIBUTES]
        total = rules.flash_count(*episodes)
        if total:
            levels = zip(episodes, EPISODE_LEVELS, strict=True)
            detail = ", ".join(level % {"count": n} for n, level in levels if n)
            episodes_words = ngettext(
                # Translators: hot flashes on one day, e.g. "3 episodes (2 mild, 1 severe)".
                "%(count)s episode (%(detail)s)",
                "%(count)s episodes (%(detail)s)",
                total,
            )
            parts.append(episodes_words % {"count": total, "detail": detail})
        elif total == 0:
            parts.append(_("no episodes"))
        if log.worst_pain is not None:
            parts.append(_("worst pain %(pain)s out of 10") % {"pain": log.worst_pain})
        if sites := [site.label.lower() for site in log.site_list]:
            # Translators: where it hurt, e.g. "in hands or fingers and knees".
            parts.append(_("in %(places)s") % {"places": join(sites)})
        if minutes := log.stiffness_minutes:
            parts.append(
                ngettext(
                    "stiff for %(minutes)s minute after getting up",
                    "stiff for %(minutes)s minutes after getting up",
                    minutes,
                )
                % {"minutes": minutes}
            )
        if n := log.night_awakenings:
            parts.append(
                ngettext("woke %(count)s time in the night", "woke %(count)s times in the night", n)
                % {"count": n}
            )
        sentence = join(parts).capitalize() + "." if parts else ""
        if self.grade is not None:
            # Translators: a symptom's overall grade, e.g. "Overall: mild (grade 1 of 3)."
            sentence += " " + _("Overall: %(words)s (grade %(grade)s of 3).") % {
                "words": self.grade_words,
                "grade": self.grade,
            }
        elif left := self.questions_left:
            sentence += " " + ngettext(
                "%(count)s more question to answer.", "%(count)s more questions to answer.", left
            ) % {"count": left}
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
        return join([s.symptom.display_name.lower() for s in self.worth_discussing])

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

    @property
    def weekly_answered_names(self) -> str:
        return ", ".join(s.symptom.display_name.lower() for s in self.weekly_answered)


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
