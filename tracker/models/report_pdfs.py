"""Reports as PDF, made by the background queue (tracker/tasks.py): who asked for
one, for which period, how far it got, and the file itself, kept for a day.

The file is kept in the database, not on disk: it then works the same on SQLite and
PostgreSQL, no web server can ever serve it from a media folder, and it goes with
the patient's account (or the link, or the clinician) when that is deleted. A
report is a few hundred kilobytes and is pruned after a day, so the table stays small;
every query that doesn't send the file defers it."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .accounts import Patient, User
from .sharing import ShareLink


class AskedBy(models.TextChoices):
    PATIENT = "patient", _("The patient")
    CLINICIAN = "clinician", _("A clinician")
    LINK = "link", _("A share link")


class Paper(models.TextChoices):
    A4 = "A4", _("A4")
    LETTER = "Letter", _("Letter")


class PdfStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for its turn")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Couldn't be made")


IN_PROGRESS = [PdfStatus.QUEUED, PdfStatus.RUNNING]
KEEP = dt.timedelta(days=1)
# A PDF takes seconds; one still waiting or running after these was lost (a worker
# stopped, a queue not running) and is given up, so that it blocks nobody's next one.
WAIT_AT_MOST = {
    PdfStatus.QUEUED: dt.timedelta(minutes=30),
    PdfStatus.RUNNING: dt.timedelta(minutes=10),
}


class ReportPdfQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(status__in=IN_PROGRESS)

    def ready(self):
        return self.filter(status=PdfStatus.READY)

    def stuck(self, now: dt.datetime):
        queued, running = WAIT_AT_MOST[PdfStatus.QUEUED], WAIT_AT_MOST[PdfStatus.RUNNING]
        return self.filter(
            Q(status=PdfStatus.QUEUED, created_at__lt=now - queued)
            | Q(status=PdfStatus.RUNNING, started_at__lt=now - running)
        )

    def matching(
        self,
        *,
        start: dt.date,
        end: dt.date,
        sections: list[str],
        paper: str,
        language: str,
        diary: str,
    ):
        """The same report of the same diary: same period, sections, paper and language,
        and nothing changed since (see reports.pdf_queue.diary_state)."""
        return self.filter(
            starts_on=start,
            ends_on=end,
            sections=sections,
            paper=paper,
            language=language,
            diary_state=diary,
        )

    def stale(self, now: dt.datetime):
        return self.filter(created_at__lt=now - KEEP)


class ReportPdf(models.Model):
    """One PDF of the appointment report that someone asked for: the patient, one of
    their clinicians, or whoever holds a share link. Each sees only their own."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="report_pdfs")
    asked_by = models.CharField(max_length=10, choices=AskedBy.choices)
    clinician = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    share_link = models.ForeignKey(
        ShareLink, on_delete=models.CASCADE, null=True, blank=True, related_name="pdfs"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    sections = models.JSONField(default=list)  # in the report's order, as matched
    paper = models.CharField(max_length=6, choices=Paper.choices, default=Paper.A4)
    # The language of the page it was asked from: the patient's, or the clinician's own.
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    # What the diary was when this was asked for: a later request reuses the file
    # only while the diary is the same.
    diary_state = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=PdfStatus.choices, default=PdfStatus.QUEUED)
    content = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportPdfQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "report PDF"
        indexes = [models.Index(fields=["patient", "created_at"])]
        constraints = [
            # One patient's PDFs are made one at a time, whoever asks: a burst of
            # requests about one diary can't fill the queue.
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status__in=IN_PROGRESS),
                name="one_report_pdf_in_progress_per_patient",
            ),
            models.CheckConstraint(
                condition=Q(asked_by=AskedBy.PATIENT, clinician=None, share_link=None)
                | Q(asked_by=AskedBy.CLINICIAN, clinician__isnull=False, share_link=None)
                | Q(asked_by=AskedBy.LINK, clinician=None, share_link__isnull=False),
                name="report_pdf_asked_by_one",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="report_pdf_period_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(status=PdfStatus.READY) | Q(content__isnull=False),
                name="report_pdf_ready_has_a_file",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PdfStatus.values), name="report_pdf_status_is_known"
            ),
        ]

    def __str__(self):
        return f"PDF of {self.patient}, {self.starts_on} to {self.ends_on} ({self.status})"

    @property
    def filename(self) -> str:
        """Named by its period, not by whose it is: files travel."""
        return f"ripple-report-{self.starts_on}-to-{self.ends_on}.pdf"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    def is_stuck(self, now: dt.datetime) -> bool:
        if self.status == PdfStatus.QUEUED:
            return now - self.created_at > WAIT_AT_MOST[PdfStatus.QUEUED]
        if self.status == PdfStatus.RUNNING:
            return now - self.started_at > WAIT_AT_MOST[PdfStatus.RUNNING]
        return False

    @cached_property
    def waiting_before(self) -> int:
        """How many PDFs, anyone's, are queued ahead of this one."""
        return ReportPdf.objects.filter(
            status=PdfStatus.QUEUED, created_at__lt=self.created_at
        ).count()

    @property
    def progress(self) -> str:
        """The progress a page shows, in short: "queued-2" (two ahead), "running"…"""
        if self.status == PdfStatus.QUEUED:
            return f"{self.status}-{self.waiting_before}"
        return self.status

    # Each change of status is a conditional update: a PDF that was given up, pruned
    # or claimed by another worker meanwhile is left as it is.
    def start(self) -> bool:
        """Claim a queued PDF for making; False when it is no longer waiting."""
        now = timezone.now()
        claimed = ReportPdf.objects.filter(pk=self.pk, status=PdfStatus.QUEUED).update(
            status=PdfStatus.RUNNING, started_at=now
        )
        if claimed:
            self.status, self.started_at = PdfStatus.RUNNING, now
        return bool(claimed)

    def finish(self, content: bytes) -> bool:
        now = timezone.now()
        done = ReportPdf.objects.filter(pk=self.pk, status=PdfStatus.RUNNING).update(
            status=PdfStatus.READY, content=content, finished_at=now
        )
        if done:
            self.status, self.content, self.finished_at = PdfStatus.READY, content, now
        return bool(done)

    def fail(self) -> None:
        now = timezone.now()
        ReportPdf.objects.filter(pk=self.pk, status__in=IN_PROGRESS).update(
            status=PdfStatus.FAILED, finished_at=now
        )
        self.status, self.finished_at = PdfStatus.FAILED, now
