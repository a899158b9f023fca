"""Background work, on Django's tasks framework: the TASKS setting picks the queue
(the database's by default, run by `manage.py db_worker`, which `make run` starts)."""

import datetime as dt

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .models import Symptom
from .recording import regrade
from .reminders.sending import send_due
from .reports.pdf_queue import make_pdf

# How often the worker looks for reminders due: each goes within this of its time.
REMINDER_ROUND = dt.timedelta(minutes=5)


@task
def rescore_symptom(symptom_id: int) -> int:
    """Derive a symptom's stored grades, and the figures and baselines built on them,
    again: after an admin changed the questions it asks. Returns the grades changed."""
    return regrade(Symptom.objects.get(pk=symptom_id))


@task
def make_report_pdf(pdf_id: int) -> str:
    """Make a report's PDF that someone asked for (see tracker/reports/pdf_queue.py),
    and prune those older than a day. Returns its status."""
    return make_pdf(pdf_id)


@task
def send_reminders() -> int:
    """Send the reminders due now, then queue the next round. Returns how many went."""
    try:
        return send_due(timezone.now())
    finally:
        schedule_reminders(after=REMINDER_ROUND)


def schedule_reminders(*, after: dt.timedelta = dt.timedelta(0)) -> bool:
    """Queue a round of reminders `after` from now, unless the database queue holds
    one already (`make run` calls this at each start). True if one was queued."""
    return schedule_once(send_reminders, after=after)


def schedule_once(task_, *, after: dt.timedelta = dt.timedelta(0)) -> bool:
    """Queue a task that queues itself again (reminders, daily pruning) `after` from
    now, unless the database queue holds one waiting already. True if one was queued."""
    if not task_.get_backend().supports_defer:
        return False  # a backend that runs tasks at once would loop; use cron there
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status="READY", task_path=task_.module_path)
        if waiting.exists():
            return False
    # The first round at once (a queue's scheduler may not be running yet), the
    # later ones deferred.
    (task_.using(run_after=timezone.now() + after) if after else task_).enqueue()
    return True
