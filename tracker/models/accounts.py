"""Accounts: a Ripple user, and the patient whose diary it is."""

import datetime as dt
import zoneinfo
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import dates, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ..text import without_direction_marks
from .catalogue import RECALL_DAYS, Cadence, Symptom

# Monday first, as date.weekday() counts; the names follow the page's language.
WEEKDAYS = [dates.WEEKDAYS[day] for day in range(7)]


class User(AbstractUser):
    """A Ripple account. Roles are groups (see tracker.roles)."""

    email = models.EmailField(_("email address"), blank=True)
    # Changed when the second step is turned on or off: every other session of the
    # account ends (its hash below no longer matches), to log in under the new rule.
    session_stamp = models.PositiveIntegerField(default=0, editable=False)
    # The language pages, emails and reports are in; empty until chosen (the browser's
    # own, or the switch's, until then).
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES
    )

    def _get_session_auth_hash(self, secret=None):
        if not self.session_stamp:  # as Django makes it: sessions from before still hold
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "tracker.User.session_auth_hash"
        value = f"{self.password}:{self.session_stamp}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def in_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    @cached_property
    def is_clinician(self) -> bool:
        from ..roles import CLINICIAN

        return self.in_role(CLINICIAN)


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class Patient(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="patient")
    time_zone = models.CharField(max_length=64, default="UTC")
    prior_tamoxifen = models.BooleanField(
        null=True, blank=True, verbose_name=_("took tamoxifen before")
    )
    tracked_symptoms = models.ManyToManyField(
        Symptom, blank=True, related_name="+", through="Tracking"
    )
    # The weekday the weekly questions are asked (0 is Monday); asked on later days
    # until answered when that day is missed.
    weekly_on = models.PositiveSmallIntegerField(
        _("weekly check-in day"), default=6, choices=list(enumerate(WEEKDAYS))
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)
    # A reference week a clinician chose instead of Ripple's rule (see
    # baselines.baseline_rule), with who chose it and when.
    baseline_week = models.DateField(null=True, blank=True)
    baseline_chosen_by = models.CharField(max_length=150, blank=True)
    baseline_chosen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    visit_notes = models.TextField(
        _("questions and notes for your next appointment"), blank=True, max_length=3000
    )
    display_name = models.CharField(
        _("your name, as your care team knows you"),
        max_length=120,
        blank=True,
        help_text=_(
            "Printed on your reports and shown to clinicians you invite, so they know it's you."
        ),
    )

    def __str__(self):
        return self.user.username

    @property
    def shown_name(self) -> str:
        """The name reports and clinicians see: the one given for them, else the account's
        (without marks that turn text around, should one have been stored before)."""
        name = self.display_name or self.user.get_full_name() or self.user.username
        return without_direction_marks(name)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def today(self) -> dt.date:
        """The patient's own calendar date, wherever the server is."""
        return timezone.now().astimezone(self.zone).date()

    def symptoms_to_ask(self):
        return self.tracked_symptoms.active().order_by("position", "name")

    def track(self, symptoms, *, weekly=None) -> None:
        """Track exactly these symptoms: those in `weekly` once a week, the others each
        day; without `weekly`, a newly tracked symptom takes its own default and one
        already tracked keeps its cadence."""
        wanted = {symptom.pk: symptom for symptom in symptoms}
        self.trackings.exclude(symptom__in=list(wanted)).delete()
        current = {t.symptom_id: t for t in self.trackings.all()}
        for pk, symptom in wanted.items():
            if weekly is None:
                cadence = current[pk].cadence if pk in current else symptom.default_cadence
            else:
                cadence = Cadence.WEEKLY if symptom in weekly else Cadence.DAILY
            if pk not in current:
                Tracking.objects.create(patient=self, symptom=symptom, cadence=cadence)
            elif current[pk].cadence != cadence:
                Tracking.objects.filter(pk=current[pk].pk).update(cadence=cadence)

    def cadences(self) -> dict[int, str]:
        """How often each tracked symptom is asked, by symptom id."""
        return dict(self.trackings.values_list("symptom_id", "cadence"))

    def week_start(self, date: dt.date) -> dt.date:
        """The latest weekly check-in day on or before `date`: weekly questions are due
        from then until answered."""
        return date - dt.timedelta(days=(date.weekday() - self.weekly_on) % 7)

    @cached_property
    def current_therapy(self):
        return self.therapies.order_by("-started_on", "-id").first()


class Tracking(models.Model):
    """A symptom a patient tracks, and how often they are asked about it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="trackings")
    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE)
    cadence = models.CharField(max_length=6, choices=Cadence.choices, default=Cadence.DAILY)

    class Meta:
        db_table = "tracker_patient_tracked_symptoms"  # the table it was as a plain list
        unique_together = [("patient", "symptom")]  # as it was, too

    def __str__(self):
        return f"{self.patient} tracks {self.symptom_id} {self.cadence}"

    @property
    def recall_days(self) -> int:
        return RECALL_DAYS[self.cadence]
