"""A patient's medicines and the occasional records beside the diary."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..text import padded_date
from .accounts import Patient


class Drug(models.TextChoices):
    ANASTROZOLE = "anastrozole", _("Anastrozole (Arimidex)")
    LETROZOLE = "letrozole", _("Letrozole (Femara)")
    EXEMESTANE = "exemestane", _("Exemestane (Aromasin)")
    OTHER = "other", _("Another medicine")


class TherapyQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)


class Therapy(models.Model):
    """One aromatase inhibitor course; a switch is a new row with a later start."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="therapies")
    drug = models.CharField(max_length=20, choices=Drug.choices)
    other_name = models.CharField(_("name of the medicine"), max_length=80, blank=True)
    started_on = models.DateField("start date")

    objects = TherapyQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name_plural = "therapies"
        constraints = [
            models.CheckConstraint(condition=Q(drug__in=Drug.values), name="therapy_drug_is_known"),
            models.UniqueConstraint(
                fields=["patient", "started_on"], name="one_therapy_start_per_day"
            ),
        ]

    def __str__(self):
        words = {"medicine": self.display_name, "date": padded_date(self.started_on)}
        return gettext("%(medicine)s from %(date)s") % words

    @property
    def display_name(self) -> str:
        if self.drug == Drug.OTHER and self.other_name:
            return self.other_name
        return self.get_drug_display()


class EventKind(models.TextChoices):
    SUPPORTIVE_TREATMENT = "treatment", _("Something to help with side effects")
    APPOINTMENT = "appointment", _("Appointment")
    BONE_SCAN = "bone_scan", _("Bone density scan")
    FRACTURE = "fracture", _("Broken bone")


class TimelineEventQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def overlapping(self, start: dt.date, end: dt.date):
        """Events on a day of the period, and treatments going on during it; a one-off
        (an appointment, a scan) with no stop date is not ongoing."""
        still_going = Q(kind=EventKind.SUPPORTIVE_TREATMENT) & (
            Q(ends_on__isnull=True) | Q(ends_on__gte=start)
        )
        return self.filter(starts_on__lte=end).filter(Q(starts_on__gte=start) | still_going)

    def last_appointment(self, before: dt.date) -> dt.date | None:
        """The date of the latest appointment before a day: where a visit's period starts."""
        return (
            self.filter(kind=EventKind.APPOINTMENT, starts_on__lt=before)
            .order_by("-starts_on")
            .values_list("starts_on", flat=True)
            .first()
        )


class TimelineEvent(models.Model):
    """An occasional record beside the diary: a supportive treatment (drug or not),
    an appointment, a bone density scan with its T-scores, or a fracture."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="timeline_events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    title = models.CharField(
        _("what"),
        max_length=120,
        help_text=_("For example “Duloxetine 30 mg”, “Oncology clinic”, “Swimming”."),
    )
    is_medicine = models.BooleanField(
        _("this is a medicine"), default=False, help_text=_("For treatments only.")
    )
    starts_on = models.DateField("date (or start date)")
    ends_on = models.DateField(
        _("stop date"), null=True, blank=True, help_text=_("Leave empty if ongoing.")
    )
    t_score_spine = models.DecimalField(
        _("T-score, spine"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    t_score_hip = models.DecimalField(
        _("T-score, hip"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    notes = models.CharField(max_length=300, blank=True)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="timeline_event_stops_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="timeline_event_kind_is_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(t_score_spine__isnull=True) | Q(t_score_spine__gte=-6, t_score_spine__lte=6)
                )
                & (Q(t_score_hip__isnull=True) | Q(t_score_hip__gte=-6, t_score_hip__lte=6)),
                name="timeline_t_scores_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} ({self.starts_on})"

    @property
    def is_period(self) -> bool:
        """A treatment lasts until its stop date; anything else happens on one day."""
        return self.kind == EventKind.SUPPORTIVE_TREATMENT
