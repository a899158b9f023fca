"""Choosing the explanation to show beside a symptom a patient has just logged.

`context_for` reads the patient's record into a SymptomContext; `choose` is a
pure function of rules and context, so the matching is tested table by table.
"""

import datetime as dt
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.db.models import F

from tracker.models import ANSWER_COLUMNS, Baseline, Patient, Symptom, SymptomLog
from tracker.rules import bothered

from .models import (
    ContextRule,
    Language,
    RuleCondition,
    Section,
    Topic,
    TopicVersion,
    reading_language,
)

# How far back a streak is counted: the explanation reads no more than these days.
RECENT_DAYS = 28
# When rules of equal priority match, the more specific condition wins.
SPECIFICITY = [
    RuleCondition.GRADE_AT_LEAST,
    RuleCondition.SEVERITY_AT_LEAST,
    RuleCondition.WORSE_THAN_BASELINE,
    RuleCondition.DAYS_IN_A_ROW,
    RuleCondition.FIRST_REPORT,
    RuleCondition.ANY,
]


class _Row(NamedTuple):
    """What a context needs of one symptom-day."""

    grade: int | None
    severity: int | None
    bothered: bool


@dataclass(frozen=True)
class SymptomContext:
    reported: bool = True
    severity: int | None = None
    grade: int | None = None
    first_report: bool = False
    worse_than_baseline: bool = False
    days_in_a_row: int = 0


def matches(rule: ContextRule, context: SymptomContext) -> bool:
    if not context.reported:
        return False
    n = rule.threshold or 0
    match rule.condition:
        case RuleCondition.ANY:
            return True
        case RuleCondition.SEVERITY_AT_LEAST:
            return context.severity is not None and context.severity >= n
        case RuleCondition.GRADE_AT_LEAST:
            return context.grade is not None and context.grade >= n
        case RuleCondition.FIRST_REPORT:
            return context.first_report
        case RuleCondition.WORSE_THAN_BASELINE:
            return context.worse_than_baseline
        case RuleCondition.DAYS_IN_A_ROW:
            return context.days_in_a_row >= n
    return False


def choose(rules, context: SymptomContext) -> ContextRule | None:
    """The matching rule with the highest priority; then the most specific; then the oldest."""
    matching = [rule for rule in rules if rule.active and matches(rule, context)]
    if not matching:
        return None
    return min(
        matching,
        key=lambda r: (-r.priority, SPECIFICITY.index(RuleCondition(r.condition)), r.pk or 0),
    )


def context_for(*, patient: Patient, symptom: Symptom, date: dt.date) -> SymptomContext:
    """Read what the rules need from the patient's record: the symptom's last four weeks
    to `date` and its stored baseline, two small queries however long the diary."""
    since = date - dt.timedelta(days=RECENT_DAYS - 1)
    logs = {
        log.date: log
        for log in SymptomLog.objects.for_patient(patient)
        .filter(symptom=symptom)
        .between(since, date)
        .order_by()  # by date in a dict: the default order's join to symptoms isn't needed
    }
    if (today := logs.get(date)) is None or not today.bothered:
        return SymptomContext(reported=False)
    baseline = Baseline.objects.filter(patient=patient, symptom=symptom).first()
    return _context(logs, date, baseline)


def _context(logs: dict, date: dt.date, baseline: Baseline | None) -> SymptomContext:
    """The context from one symptom's rows by date (the last four weeks) and baseline."""
    today = logs.get(date)
    # An answer of 0 ("never", "none") reports nothing to explain.
    if today is None or not today.bothered:
        return SymptomContext(reported=False)
    streak = 0
    cursor = date
    while (log := logs.get(cursor)) is not None and log.bothered:
        streak += 1
        cursor -= dt.timedelta(days=1)
    return SymptomContext(
        reported=True,
        severity=today.severity,
        grade=today.grade,
        first_report=baseline is not None and baseline.first_noticed_on == date,
        worse_than_baseline=baseline is not None and baseline.worse(today.grade, on=date),
        days_in_a_row=streak,
    )


@dataclass(frozen=True)
class Explanation:
    topic: Topic
    section: str
    rule: ContextRule | None
    # The published version in the reader's language, when there is one.
    translation: TopicVersion | None = None

    @property
    def version(self):
        return self.translation or self.topic.published_version

    @property
    def section_label(self) -> str:
        return "" if self.section == Section.SUMMARY else Section(self.section).label

    @property
    def hideable(self) -> bool:
        # When to talk to the care team comes back on every day it applies.
        return self.section != Section.WHEN_TO_TALK

    @property
    def anchor(self) -> str:
        """Where "read more" lands: a named part, or the top (at the reader's chosen depth)."""
        return self.section if self.section in (Section.WHAT_HELPS, Section.WHEN_TO_TALK) else ""


def explanation_for(*, patient: Patient, symptom: Symptom, date: dt.date) -> Explanation | None:
    """The best explanation for this symptom on this day that the patient hasn't hidden,
    or None if nothing was reported."""
    context = context_for(patient=patient, symptom=symptom, date=date)
    if not context.reported:
        return None
    return explanations(patient, {symptom: context})[symptom.pk]


def explanations(patient: Patient, contexts: dict) -> dict[int, Explanation | None]:
    """The best explanation for each symptom in its context, by symptom id, in at most
    three queries however many symptoms (the default topics only for symptoms no rule
    matched)."""
    hidden = set(patient.hidden_explanations.values_list("topic_id", "section"))
    ids = [symptom.pk for symptom in contexts]
    rules: dict[int, list] = {pk: [] for pk in ids}
    for rule in (
        ContextRule.objects.active()
        .filter(symptom__in=ids, topic__published_version__isnull=False)
        .select_related("topic__published_version")
    ):
        if (rule.topic_id, rule.section) not in hidden or rule.section == Section.WHEN_TO_TALK:
            rules[rule.symptom_id].append(rule)
    found: dict[int, Explanation | None] = {}
    for symptom, context in contexts.items():
        if (rule := choose(rules[symptom.pk], context)) is not None:
            found[symptom.pk] = Explanation(topic=rule.topic, section=rule.section, rule=rule)
    unmatched = [pk for pk in ids if pk not in found]
    defaults: dict[int, list] = {pk: [] for pk in unmatched}
    if unmatched:
        for topic in (
            Topic.objects.with_published()
            .filter(symptoms__in=unmatched)
            .annotate(for_symptom=F("symptoms"))
            .order_by("slug")
        ):
            defaults[topic.for_symptom].append(topic)
    for pk in unmatched:
        found[pk] = next(
            (
                Explanation(topic=topic, section=Section.SUMMARY, rule=None)
                for topic in defaults[pk]
                if (topic.pk, Section.SUMMARY) not in hidden
            ),
            None,
        )
    return in_reading_language(found)


def in_reading_language(found: dict) -> dict:
    """The explanations in the page's language where a translation is published (one
    query); the English ones otherwise."""
    language = reading_language()
    topics = [e.topic.pk for e in found.values() if e is not None]
    if language == Language.ENGLISH or not topics:
        return found
    translated = TopicVersion.objects.published_in(language).filter(topic__in=topics).by_topic()
    return {
        pk: replace(e, translation=translated.get(e.topic.pk)) if e is not None else None
        for pk, e in found.items()
    }


def explanations_for_day(*, patient: Patient, symptoms, date: dt.date) -> dict:
    """explanation_for() for each of these symptoms on one day, in five queries: what
    the check-in shows beside every symptom already answered when the page is drawn."""
    since = date - dt.timedelta(days=RECENT_DAYS - 1)
    rows: dict[int, dict] = {symptom.pk: {} for symptom in symptoms}
    # Plain rows, not model instances: a page may read four weeks of every symptom.
    columns = ["symptom_id", "date", "grade", *ANSWER_COLUMNS]
    for symptom_id, day, grade, *answers in (
        SymptomLog.objects.for_patient(patient)
        .filter(symptom__in=list(rows))
        .between(since, date)
        .order_by()
        .values_list(*columns)
    ):
        answered = dict(zip(ANSWER_COLUMNS, answers, strict=True))
        rows[symptom_id][day] = _Row(grade, answered["severity"], bothered(answered))
    reported = [s for s in symptoms if (t := rows[s.pk].get(date)) is not None and t.bothered]
    if not reported:
        return {}
    baselines = {
        b.symptom_id: b for b in Baseline.objects.filter(patient=patient, symptom__in=reported)
    }
    contexts = {s: _context(rows[s.pk], date, baselines.get(s.pk)) for s in reported}
    return explanations(patient, contexts)
