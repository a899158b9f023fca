"""The appointment report's sections, share links, clinicians' access, and the log
of every view of a patient's data by someone else."""

import datetime as dt
import hashlib
import re
import secrets

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..text import padded_date
from .accounts import Patient, User


class ReportSection(models.TextChoices):
    THERAPY = "therapy", _("Medicine and switches")
    FLAGS = "flags", _("Worth discussing")
    SUMMARY = "summary", _("Summary table")
    CHARTS = "charts", _("Charts")
    ADHERENCE = "adherence", _("Medicine taken")
    NOTES = "notes", _("Your questions and notes")


def new_secret() -> str:
    """256 random bits, URL-safe: for share links."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """Secrets are stored only as their SHA-256: a leaked table opens nothing.
    (They are random, not passwords, so a slow hash adds nothing.)"""
    return hashlib.sha256(secret.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def find(self, token: str):
        """The open link for a token, or None: unknown, expired and revoked alike."""
        if not 20 <= len(token) <= 100:
            return None
        return (
            self.active().select_related("patient__user").filter(token_hash=digest(token)).first()
        )


class ShareLink(models.Model):
    """A read-only report a clinician opens without an account. Only the token's
    hash is kept, so the link itself is shown once, when it is made."""

    DEFAULT_DAYS = 14

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("name it (optional)"), max_length=80, blank=True)
    sections = models.JSONField(default=list)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="share_link_period_in_order"
            )
        ]

    def __str__(self):
        if self.label:
            return self.label
        return gettext("Link of %(date)s") % {"date": padded_date(self.created_at)}

    @classmethod
    def make(cls, *, patient, sections, starts_on, ends_on, days_valid=DEFAULT_DAYS, label=""):
        """A new link and its token (the only time the token exists in the clear)."""
        token = new_secret()
        link = cls.objects.create(
            patient=patient,
            token_hash=digest(token),
            label=label,
            sections=list(sections),
            starts_on=starts_on,
            ends_on=ends_on,
            expires_at=timezone.now() + dt.timedelta(days=days_valid),
        )
        return link, token

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "open"

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


# Invitation codes are typed by hand: no 0/O or 1/I/L to confuse.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 31^16 ≈ 2^79


def new_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    letters = "".join(c for c in code.upper() if c.isalnum())
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


class CareAccessQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)

    def current(self):
        """Accepted and not removed: the clinician may see the patient's diary."""
        return self.filter(accepted_at__isnull=False, ended_at__isnull=True)

    def pending(self):
        return self.filter(
            accepted_at__isnull=True, ended_at__isnull=True, expires_at__gt=timezone.now()
        )


class CareAccess(models.Model):
    """A clinician's read-only access to one patient, from the patient's invitation
    (by email or a one-time code) to its acceptance and, perhaps, its removal."""

    INVITATION_DAYS = 14

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="care_access")
    clinician = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="care_access"
    )
    email = models.EmailField(_("clinician's email (optional)"), blank=True)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CareAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "care access"
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=Q(ended_at__isnull=True),
                name="one_current_access_per_clinician",
            )
        ]

    def __str__(self):
        return f"{self.clinician or self.email or 'invitation'} → {self.patient}"

    @classmethod
    def invite(cls, *, patient, email=""):
        code = new_code()
        access = cls.objects.create(
            patient=patient,
            email=email,
            code_hash=digest(code),
            expires_at=timezone.now() + dt.timedelta(days=cls.INVITATION_DAYS),
        )
        return access, code

    @classmethod
    def accept(cls, *, code: str, clinician) -> "CareAccess | None":
        """Use up an invitation; None if the code is unknown, used, expired or withdrawn.
        A clinician who already has access keeps the access they have."""
        with transaction.atomic():
            access = (
                cls.objects.pending()
                .select_for_update()
                .filter(code_hash=digest(normalise_code(code)))
                .first()
            )
            if access is None or not access.addressed_to(clinician):
                return None
            existing = cls.objects.current().filter(patient=access.patient_id, clinician=clinician)
            if existing.exists():
                access.ended_at = timezone.now()
                access.save(update_fields=["ended_at"])
                return existing.get()
            access.clinician = clinician
            access.accepted_at = timezone.now()
            try:
                with transaction.atomic():
                    access.save(update_fields=["clinician", "accepted_at"])
            except IntegrityError:
                # Two codes of one patient accepted at once: the other one won.
                cls.objects.filter(pk=access.pk).update(ended_at=timezone.now())
                return cls.objects.current().get(patient=access.patient_id, clinician=clinician)
            return access

    def addressed_to(self, user) -> bool:
        """An emailed code proves the address, not the person: only the account with
        that address may use it, so a forwarded or misdirected email opens nothing."""
        return not self.email or user.email.strip().lower() == self.email.strip().lower()

    def end(self):
        if self.ended_at is None:
            self.ended_at = timezone.now()
            self.save(update_fields=["ended_at"])


class Viewed(models.TextChoices):
    PANEL = "panel", _("your line in their patient list")
    REPORT = "report", _("the report")
    DASHBOARD = "dashboard", _("the trends")
    PDF = "pdf", _("the report as PDF")
    CSV = "csv", _("the daily values (CSV)")
    FHIR = "fhir", _("the report as FHIR")


class AccessLogQuerySet(models.QuerySet):
    def for_patient(self, patient):
        return self.filter(patient=patient)


class AccessLog(models.Model):
    """Every view of a patient's data by someone else: a clinician, or whoever
    opened a share link. The patient reads it; nobody edits it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="access_log")
    at = models.DateTimeField(default=timezone.now)
    clinician = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    share_link = models.ForeignKey(
        ShareLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="openings"
    )
    who = models.CharField(max_length=150)  # kept as written, should the account go
    what = models.CharField(max_length=12, choices=Viewed.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    browser = models.CharField(max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at"])]

    def __str__(self):
        return f"{self.who} viewed {self.get_what_display()} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def viewer(self) -> str:
        """Who it was, in the reader's language. The log keeps what was written at the
        time (in English, see access.record_views); a link's two sentences are said
        again here in the page's language."""
        for pattern, sentence in VIEWER_SENTENCES:
            if match := pattern.fullmatch(self.who):
                return sentence() % {"link": match["link"]}
        return self.who


VIEWER_SENTENCES = [
    (re.compile(r"You, through your link “(?P<link>.*)”"),
     lambda: gettext("You, through your link “%(link)s”")),
    (re.compile(r"Someone with your link “(?P<link>.*)”"),
     lambda: gettext("Someone with your link “%(link)s”")),
]  # fmt: skip
