"""The privacy feature's background work: archives, and pruning what is kept only
for a while."""

import datetime as dt
import logging

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation

from ..models import AccessLog, Archive
from ..reports.pdf_queue import prune as prune_pdfs
from ..tasks import schedule_once
from .archive import build

logger = logging.getLogger(__name__)
PRUNE_ROUND = dt.timedelta(days=1)


@task
def make_archive(archive_id: int, language: str | None = None) -> str:
    """`language`: the one the archive was asked for in (its README and headings);
    else the account's own, else Ripple's default."""
    archive = Archive.objects.select_related("patient__user").filter(pk=archive_id).first()
    if archive is None:  # the account was deleted meanwhile
        return "gone"
    try:
        with translation.override(language or archive.patient.user.language or None):
            content = build(archive.patient)
    except Exception:
        logger.exception("An archive could not be made.")
        Archive.objects.filter(pk=archive_id).update(status=Archive.Status.FAILED)
        return Archive.Status.FAILED
    Archive.objects.filter(pk=archive_id).update(status=Archive.Status.READY, content=content)
    return Archive.Status.READY


def prune(now: dt.datetime) -> dict[str, int]:
    """Drop what is kept only for a while: internet addresses and browser names in the
    access log, and login and lockout records, after settings.RETENTION_DAYS; archives
    and report PDFs after a day. Returns how many rows each step changed."""
    before = now - dt.timedelta(days=settings.RETENTION_DAYS)
    return {
        "access log addresses": AccessLog.objects.filter(at__lt=before)
        .exclude(ip=None, browser="")
        .update(ip=None, browser=""),
        **{
            f"{model._meta.verbose_name_plural}": model.objects.filter(
                attempt_time__lt=before
            ).delete()[0]
            for model in (AccessAttempt, AccessFailureLog, LoginLog)
        },
        "archives": Archive.objects.expired(now).delete()[0],
        "report PDFs": prune_pdfs(now=now),  # also pruned as each is made
    }


@task
def prune_records() -> dict[str, int]:
    """The daily pruning, which queues the next one."""
    try:
        return prune(timezone.now())
    finally:
        schedule_once(prune_records, after=PRUNE_ROUND)
