"""Which explanation shows beside a logged symptom (the contextual rules), and the
ones a patient chose not to see again."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tracker.models import Symptom

from .topics import Section, Topic


class RuleCondition(models.TextChoices):
    ANY = "any", _("Any report")
    SEVERITY_AT_LEAST = "severity_at_least", _("Severity at least N")
    GRADE_AT_LEAST = "grade_at_least", _("Composite grade at least N")
    FIRST_REPORT = "first_report", _("First report ever")
    WORSE_THAN_BASELINE = "worse_than_baseline", _("Worse than the patient's baseline")
    DAYS_IN_A_ROW = "days_in_a_row", _("Present N days in a row")


# A list, not a set: its order is written into the migration.
NEEDS_THRESHOLD = [
    RuleCondition.SEVERITY_AT_LEAST,
    RuleCondition.GRADE_AT_LEAST,
    RuleCondition.DAYS_IN_A_ROW,
]


THRESHOLD_LIMITS = {
    RuleCondition.SEVERITY_AT_LEAST: (0, 4),
    RuleCondition.GRADE_AT_LEAST: (0, 3),
    RuleCondition.DAYS_IN_A_ROW: (1, 365),
}


class ContextRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class ContextRule(models.Model):
    """When a patient logs `symptom` and `condition` holds, show `section` of `topic`.

    The matching rule with the highest priority wins; see education.rules.
    """

    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE, related_name="context_rules")
    condition = models.CharField(max_length=24, choices=RuleCondition.choices)
    threshold = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("N, for the conditions that need one.")
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="context_rules")
    section = models.CharField(max_length=16, choices=Section.choices, default=Section.SUMMARY)
    priority = models.PositiveSmallIntegerField(
        default=10, help_text=_("Higher wins when several match.")
    )
    active = models.BooleanField(default=True)

    objects = ContextRuleQuerySet.as_manager()

    class Meta:
        ordering = ["symptom", "-priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    condition__in=[c.value for c in NEEDS_THRESHOLD], threshold__isnull=False
                )
                | ~Q(condition__in=[c.value for c in NEEDS_THRESHOLD]),
                name="rule_threshold_when_needed",
                violation_error_message="This condition needs a number N.",
            )
        ]

    def __str__(self):
        condition = self.get_condition_display().replace("N", str(self.threshold or "N"))
        return f"{self.symptom}: {condition} → {self.topic.slug} ({self.get_section_display()})"

    def clean(self):
        limits = THRESHOLD_LIMITS.get(self.condition)
        if limits is None:
            self.threshold = None  # the other conditions take no number
        elif self.threshold is None or not limits[0] <= self.threshold <= limits[1]:
            raise ValidationError(
                {"threshold": f"For this condition, N runs from {limits[0]} to {limits[1]}."}
            )


class HiddenExplanation(models.Model):
    """A patient has read this explanation and asked not to see it beside the check-in again."""

    patient = models.ForeignKey(
        "tracker.Patient", on_delete=models.CASCADE, related_name="hidden_explanations"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    section = models.CharField(max_length=16, choices=Section.choices)
    hidden_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "topic", "section"], name="hide_an_explanation_once"
            )
        ]

    def __str__(self):
        return f"{self.patient} hid {self.topic.slug} ({self.section})"
