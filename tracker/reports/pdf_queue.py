"""Reports as PDF, made by the background queue rather than in a request: making one
keeps Chromium and WeasyPrint busy for seconds, and four people asking at once
slowed everyone's pages a hundredfold (issue 12).

Who asks is a Requester (the patient, one of their clinicians, or a share link),
and each sees only the PDFs it asked for. One patient's PDFs are made one at a time,
whoever asks (a database constraint), and each who asks makes at most
settings.REPORT_PDFS_PER_HOUR an hour. A ready PDF is sent again to whoever asks
for the same report of the same diary, so a share link's PDF is made once."""

import datetime as dt
import logging
import traceback
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, ngettext

from ..models import (
    AskedBy,
    Patient,
    PdfStatus,
    ReportPdf,
    ShareLink,
    Therapy,
    TimelineEvent,
    User,
    digest,
)
from .exports import EXPORTS
from .report import ALL_SECTIONS, build_report

logger = logging.getLogger(__name__)

HOUR = dt.timedelta(hours=1)
BUSY = gettext_lazy(
    "Another PDF of this diary is being made just now. Please try again in a minute."
)


@dataclass
class PdfOrder:
    """What a PDF shows: the report's period and sections, on which paper."""

    start: dt.date
    end: dt.date
    sections: list[str]
    paper: str  # "A4" or "Letter"
    # The language of the page asking: the PDF is made in it, by the worker.
    language: str = field(default_factory=translation.get_language)

    def __post_init__(self):
        # In the report's order, so that the same choice always matches.
        self.sections = [s for s in ALL_SECTIONS if s in self.sections]

    @classmethod
    def of(cls, pdf: ReportPdf) -> "PdfOrder":
        return cls(
            start=pdf.starts_on,
            end=pdf.ends_on,
            sections=pdf.sections,
            paper=pdf.paper,
            language=pdf.language,
        )


@dataclass(frozen=True)
class Requester:
    """Who asks for PDFs of one patient's report. Every lookup goes through pdfs()."""

    patient: Patient
    clinician: User | None = None
    link: ShareLink | None = None
    token: str = ""  # the link's own token, for its addresses (never stored)

    @property
    def asked_by(self) -> str:
        if self.link is not None:
            return AskedBy.LINK
        return AskedBy.CLINICIAN if self.clinician is not None else AskedBy.PATIENT

    def pdfs(self):
        """This requester's own PDFs, and no one else's."""
        if self.link is not None:
            return ReportPdf.objects.filter(share_link=self.link)
        if self.clinician is not None:
            return ReportPdf.objects.filter(patient=self.patient, clinician=self.clinician)
        return ReportPdf.objects.filter(patient=self.patient, asked_by=AskedBy.PATIENT)


def diary_state(patient: Patient) -> str:
    """A digest of what a report of this diary shows beside the period: the days (their
    latest change: a saved answer, or figures derived again), the medicines, the
    timeline, the notes, the name and the baseline week. Three small queries."""
    days = patient.day_logs.aggregate(latest=Max("updated_at"), days=Count("id"))
    therapies = list(Therapy.objects.for_patient(patient).values_list().order_by("pk"))
    events = list(TimelineEvent.objects.for_patient(patient).values_list().order_by("pk"))
    shown = [
        days,
        therapies,
        events,
        patient.visit_notes,
        patient.shown_name,
        patient.baseline_week,
        patient.prior_tamoxifen,
    ]
    return digest(repr(shown))


def ready_pdf(requester: Requester, order: PdfOrder) -> ReportPdf | None:
    """A ready PDF of this report of the diary as it is now, with its file."""
    diary = diary_state(requester.patient)
    return (
        requester.pdfs()
        .ready()
        .matching(
            start=order.start,
            end=order.end,
            sections=order.sections,
            paper=order.paper,
            language=order.language,
            diary=diary,
        )
        .first()
    )


def current_pdf(requester: Requester, *, now: dt.datetime) -> ReportPdf | None:
    """The requester's PDF still waiting or being made, if any (one given up as lost
    is marked failed on the way)."""
    pdf = requester.pdfs().in_progress().defer("content").first()
    if pdf is not None and pdf.is_stuck(now):
        pdf.fail()
        return None
    return pdf


def why_not(requester: Requester, *, now: dt.datetime) -> str:
    """Why no new PDF can be made now, in words; empty when one can. (Called once the
    requester is known to have none in progress.)"""
    per_hour = settings.REPORT_PDFS_PER_HOUR
    times = list(
        requester.pdfs()
        .filter(created_at__gt=now - HOUR)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(times) >= per_hour:
        minutes = max(1, round((times[len(times) - per_hour] + HOUR - now).total_seconds() / 60))
        return " ".join(
            [
                ngettext(
                    "A PDF of this report can be made %(count)s time an hour, and that many "
                    "were made in the last hour.",
                    "A PDF of this report can be made %(count)s times an hour, and that many "
                    "were made in the last hour.",
                    per_hour,
                )
                % {"count": per_hour},
                ngettext(
                    "You can make another in about %(count)s minute.",
                    "You can make another in about %(count)s minutes.",
                    minutes,
                )
                % {"count": minutes},
                gettext("Until then, the report page prints well."),
            ]
        )
    if ReportPdf.objects.filter(patient=requester.patient).in_progress().exists():
        return str(BUSY)
    return ""


def order_pdf(requester: Requester, order: PdfOrder, *, now: dt.datetime) -> ReportPdf | str:
    """Ask the queue for a PDF: a ready one of the same report is given back, so is
    the requester's one in progress; otherwise a new one is queued, or the reason
    none can be (see why_not)."""
    ReportPdf.objects.filter(patient=requester.patient).stuck(now).update(
        status=PdfStatus.FAILED, finished_at=now
    )
    ready = ready_pdf(requester, order)
    if ready is not None:
        return ready
    current = current_pdf(requester, now=now)
    if current is not None:
        return current
    if refusal := why_not(requester, now=now):
        return refusal
    try:
        with transaction.atomic():
            pdf = ReportPdf.objects.create(
                patient=requester.patient,
                asked_by=requester.asked_by,
                clinician=requester.clinician,
                share_link=requester.link,
                starts_on=order.start,
                ends_on=order.end,
                sections=order.sections,
                paper=order.paper,
                language=order.language,
                diary_state=diary_state(requester.patient),
                created_at=now,
            )
    except IntegrityError:
        # Another request about this diary queued one a moment ago.
        return current_pdf(requester, now=now) or str(BUSY)
    transaction.on_commit(lambda: _enqueue(pdf))
    return pdf


def _enqueue(pdf: ReportPdf) -> None:
    from ..tasks import make_report_pdf

    try:
        make_report_pdf.enqueue(pdf.pk)
    except Exception:
        # A queue that can't be reached: the page says the PDF couldn't be made,
        # rather than showing it waiting for ever.
        logger.exception("Could not queue report PDF %s", pdf.pk)
        pdf.fail()


def make_pdf(pdf_id: int) -> str:
    """The queue's work: make one PDF asked for, then prune the old ones. Returns the
    PDF's status ("skipped" when it no longer waits)."""
    pdf = ReportPdf.objects.select_related("patient__user").defer("content").filter(pk=pdf_id)
    pdf = pdf.first()
    if pdf is None or not pdf.start():
        return "skipped"
    try:
        EXPORTS["pdf"].prepare()
        # As the asker's own requests are: the patient's time zone, the asker's language.
        with timezone.override(pdf.patient.zone), translation.override(pdf.language):
            report = build_report(
                pdf.patient, start=pdf.starts_on, end=pdf.ends_on, sections=pdf.sections
            )
            content = EXPORTS["pdf"].make(report, paper=pdf.paper)
    except Exception as error:
        # The type and where, never the message: it may quote the diary.
        where = "".join(traceback.format_tb(error.__traceback__))
        logger.error("Could not make report PDF %s: %s\n%s", pdf.pk, type(error).__name__, where)
        pdf.fail()
    else:
        pdf.finish(content)
    prune(now=timezone.now())
    return pdf.status


def prune(*, now: dt.datetime) -> int:
    """Delete the PDFs older than a day (models.report_pdfs.KEEP). Returns how many."""
    deleted, _ = ReportPdf.objects.stale(now).delete()
    return deleted
