"""What a patient agreed to, and the archives of everything they hold."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import Patient, User


class Consent(models.Model):
    """A person's agreement to one version of the privacy notice (tracker/privacy):
    the proof of it, kept for as long as the account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    version = models.CharField(max_length=20)
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_consent_per_version")
        ]

    def __str__(self):
        return f"{self.user} agreed to the notice of {self.version}"


class ArchiveQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def expired(self, now=None):
        return self.filter(created_at__lt=(now or timezone.now()) - Archive.KEPT_FOR)

    def stuck(self, now=None):
        """Waiting longer than any archive takes: its worker died, or never got it."""
        since = (now or timezone.now()) - Archive.STUCK_AFTER
        return self.filter(status=Archive.Status.QUEUED, created_at__lt=since)


class Archive(models.Model):
    """ "Download all my data": one zip made by the background worker, kept a day."""

    KEPT_FOR = dt.timedelta(days=1)
    STUCK_AFTER = dt.timedelta(minutes=15)

    class Status(models.TextChoices):
        QUEUED = "queued", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="archives")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    content = models.BinaryField(null=True, editable=False)

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Archive of {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def file_name(self) -> str:
        return f"ripple-all-my-data-{self.created_at:%Y-%m-%d}.zip"
