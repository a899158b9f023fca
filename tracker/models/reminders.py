"""A patient's daily reminder: when, how, and on which days to stay quiet."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .accounts import Patient
from .diary import DayLog


class Reminder(models.Model):
    """One per patient, made when they first open their reminder settings. Nothing is
    sent until they switch it on."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="reminder"
    )
    by_email = models.BooleanField(_("remind me by email"), default=False)
    by_push = models.BooleanField(_("remind me on this device's notifications"), default=False)
    at = models.TimeField(
        _("at"), default=dt.time(19, 0), help_text=_("Your own local time (see your time zone).")
    )
    # Days of the week to stay quiet: bit 0 is Monday, as date.weekday() counts.
    quiet_days = models.PositiveSmallIntegerField(default=0)
    # The patient's own date of the last reminder: at most one a day.
    last_sent_on = models.DateField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"Reminder for {self.patient}"

    @property
    def quiet_weekdays(self) -> list[int]:
        return [day for day in range(7) if self.quiet_days >> day & 1]

    def due(self, now: dt.datetime, *, logged: bool) -> dt.date | None:
        """The patient's date if a reminder should go now, else None: switched on, the
        chosen local time reached, not a quiet day, not sent today, the day not logged.
        Local time comes from the time zone each time, so daylight saving moves nothing:
        a time that a spring change skips is reached at the first minute after it."""
        local = now.astimezone(self.patient.zone)
        today = local.date()
        if (
            not (self.by_email or self.by_push)
            or local.time() < self.at
            or self.quiet_days >> today.weekday() & 1
            or self.last_sent_on == today
            or logged
        ):
            return None
        return today

    @classmethod
    def due_now(cls, now: dt.datetime) -> list[tuple["Reminder", dt.date]]:
        """Every reminder due at `now`, with the patient's date, in two queries."""
        # Any patient's date is within a day of UTC's; one sent "today" anywhere is
        # on or after UTC's yesterday.
        utc_today = now.astimezone(dt.UTC).date()
        candidates = list(
            cls.objects.filter(
                Q(by_email=True, patient__user__email__gt="")
                | Q(by_push=True, patient__push_subscriptions__isnull=False)
            )
            .distinct()
            .exclude(last_sent_on__gte=utc_today + dt.timedelta(days=1))
            .select_related("patient__user")
        )
        near = [utc_today + dt.timedelta(days=d) for d in (-1, 0, 1)]
        logged = set(
            DayLog.objects.logged()
            .filter(patient__in=[r.patient_id for r in candidates], date__in=near)
            .values_list("patient_id", "date")
        )
        due = []
        for reminder in candidates:
            today = now.astimezone(reminder.patient.zone).date()
            if date := reminder.due(now, logged=(reminder.patient_id, today) in logged):
                due.append((reminder, date))
        return due

    def claim(self, date: dt.date) -> bool:
        """Mark today's reminder sent, unless another worker already did: True if ours."""
        claimed = (
            Reminder.objects.filter(pk=self.pk).exclude(last_sent_on=date).update(last_sent_on=date)
        )
        if claimed:
            self.last_sent_on = date
        return bool(claimed)


class PushSubscription(models.Model):
    """One browser that asked for push reminders: where its push service takes them,
    and the keys that encrypt them for that browser alone."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Push to {self.patient}"

    def info(self) -> dict:
        """As pywebpush takes it, and as the browser's PushSubscription.toJSON() gives it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
