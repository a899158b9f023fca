"""A patient's day: what was saved, and what it says in plain words."""

import datetime as dt
from dataclasses import dataclass, field

from ..models import (
    EPISODE_ATTRIBUTES,
    PRO_CTCAE_ATTRIBUTES,
    SITE_ATTRIBUTES,
    Answer,
    AnswerStatus,
    Attribute,
    DayLog,
    Patient,
    Symptom,
    day_grade,
)
from .forms import SCALE_LABELS, DayForm, SymptomForm

GRADE_WORDS = {0: "none", 1: "mild", 2: "moderate", 3: "severe"}


@dataclass
class SymptomDay:
    symptom: Symptom
    answers: dict[str, Answer] = field(default_factory=dict)
    form: SymptomForm | None = None

    @property
    def values(self) -> dict[str, int | None]:
        return {attribute: answer.value for attribute, answer in self.answers.items()}

    @property
    def grade(self) -> int | None:
        return day_grade(self.symptom, self.values)

    @property
    def bothered(self) -> bool:
        """Anything above zero today: a grade, or a pain score, episode count or the like."""
        return bool(self.grade) or any(value for value in self.values.values())

    @property
    def questions_left(self) -> int:
        return sum(1 for attribute in self.symptom.attributes if attribute not in self.answers)

    @property
    def grade_words(self) -> str:
        return GRADE_WORDS.get(self.grade, "")

    @property
    def very_severe(self) -> bool:
        return self.values.get(Attribute.SEVERITY) == 4

    @property
    def logged(self) -> bool:
        return bool(self.answers)

    def initial(self) -> dict:
        initial: dict = {}
        for attribute, answer in self.answers.items():
            if attribute in SITE_ATTRIBUTES:
                continue
            if answer.status != AnswerStatus.ANSWERED:
                initial[attribute] = answer.status
            else:
                initial[attribute] = (
                    str(answer.value)
                    if attribute in [*PRO_CTCAE_ATTRIBUTES, Attribute.WORST_PAIN]
                    else answer.value
                )
        initial["sites"] = [s for s in SITE_ATTRIBUTES if self.values.get(s) == 1]
        initial["sites_shown"] = "1"
        return initial

    def summary(self) -> str:
        """One plain sentence about this symptom on its day."""
        if not self.answers:
            return "Not logged yet."
        parts = []
        for attribute in PRO_CTCAE_ATTRIBUTES:
            answer = self.answers.get(attribute)
            if answer is None:
                continue
            if answer.status != AnswerStatus.ANSWERED:
                parts.append(answer.get_status_display().lower())
            elif attribute == Attribute.FREQUENCY:
                parts.append(SCALE_LABELS[attribute][answer.value].lower())
            elif attribute == Attribute.SEVERITY:
                parts.append(f"{SCALE_LABELS[attribute][answer.value].lower()} at worst")
            else:
                parts.append(f"in your way {SCALE_LABELS[attribute][answer.value].lower()}")
        values = self.values
        episodes = [values.get(a) for a in EPISODE_ATTRIBUTES]
        if any(e is not None for e in episodes):
            counts = [e or 0 for e in episodes]
            total = sum(counts)
            levels = zip(counts, ["mild", "moderate", "severe"], strict=True)
            detail = ", ".join(f"{n} {level}" for n, level in levels if n)
            if total:
                parts.append(f"{total} episode{'s' if total != 1 else ''} ({detail})")
            else:
                parts.append("no episodes")
        if values.get(Attribute.WORST_PAIN) is not None:
            parts.append(f"worst pain {values[Attribute.WORST_PAIN]} out of 10")
        sites = [Attribute(s).label.lower() for s in SITE_ATTRIBUTES if values.get(s) == 1]
        if sites:
            parts.append("in " + _join(sites))
        if values.get(Attribute.STIFFNESS_MINUTES):
            parts.append(
                f"stiff for {values[Attribute.STIFFNESS_MINUTES]} minutes after getting up"
            )
        if values.get(Attribute.NIGHT_AWAKENINGS):
            n = values[Attribute.NIGHT_AWAKENINGS]
            parts.append(f"woke {n} time{'s' if n != 1 else ''} in the night")
        sentence = _join(parts).capitalize() + "." if parts else ""
        if self.grade is not None:
            sentence += f" Overall: {self.grade_words} (grade {self.grade} of 3)."
        elif self.questions_left:
            left = self.questions_left
            sentence += f" {left} more question{'s' if left != 1 else ''} to answer."
        return sentence.strip()


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


@dataclass
class Day:
    patient: Patient
    date: dt.date
    log: DayLog | None
    symptoms: list[SymptomDay]
    # Values of symptoms no longer tracked or retired: shown, not asked.
    others: list[SymptomDay] = field(default_factory=list)
    day_form: DayForm | None = None

    @property
    def logged_count(self) -> int:
        return sum(1 for s in self.symptoms if s.logged)

    @property
    def troublesome(self) -> list[SymptomDay]:
        bothered = [s for s in self.symptoms if s.bothered]
        return sorted(bothered, key=lambda s: -(s.grade or 0))

    @property
    def worth_discussing(self) -> list[SymptomDay]:
        """Symptoms at grade 3 or rated very severe: a flag to talk about, never a triage."""
        return [s for s in self.symptoms if s.grade == 3 or s.very_severe]

    @property
    def is_today(self) -> bool:
        return self.date == self.patient.today()


def load_day(patient: Patient, date: dt.date, symptoms=None) -> Day:
    """Everything saved for one day, in two queries (plus the symptom list if not given)."""
    if symptoms is None:
        symptoms = list(patient.symptoms_to_ask())
    asked = {s.pk: SymptomDay(symptom=s) for s in symptoms}
    others: dict[int, SymptomDay] = {}
    for answer in Answer.objects.for_patient(patient).on(date).select_related("symptom"):
        day = asked.get(answer.symptom_id)
        if day is None:
            day = others.setdefault(answer.symptom_id, SymptomDay(symptom=answer.symptom))
        day.answers[answer.attribute] = answer
    log = DayLog.objects.filter(patient=patient, date=date).first()
    return Day(
        patient=patient,
        date=date,
        log=log,
        symptoms=list(asked.values()),
        others=sorted(others.values(), key=lambda s: (s.symptom.position, s.symptom.name)),
    )


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
