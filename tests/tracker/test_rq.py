"""The Redis queue (RQ) for deployments that outgrow the database's: the same tasks
queued in the Redis on 127.0.0.1:6379 and run by an RQ worker, and the reminders'
round deferred in its scheduler."""

import datetime as dt
import os

import django_rq
import pytest
from django.core import mail
from django_tasks_rq import Job
from rq import SimpleWorker
from rq.registry import ScheduledJobRegistry

from tests.factories import log, make_patient, symptom
from tracker.models import Reminder, SymptomLog
from tracker.tasks import rescore_symptom, schedule_reminders, send_reminders

# A database of its own, emptied around each test; one for each process of a parallel
# run (pytest-xdist names them gw0, gw1...), so that none empties another's.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
REDIS = f"redis://127.0.0.1:6379/{15 - WORKER % 8}"


@pytest.fixture
def rq(settings, db):
    settings.RQ_QUEUES = {"default": {"URL": REDIS}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    connection = django_rq.get_connection("default")
    connection.flushdb()
    yield django_rq.get_queue("default", job_class=Job)
    connection.flushdb()


def work(queue):
    """An RQ worker in this process (as `manage.py rqworker --burst` would run)."""
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_a_task_queued_in_redis_is_run_by_an_rq_worker(rq, patient):
    fatigue = symptom("fatigue")
    row = log(patient, patient.today(), "fatigue", severity=3, interference=3)
    SymptomLog.objects.filter(pk=row.pk).update(grade=None)  # stale, as after a question change
    result = rescore_symptom.enqueue(fatigue.pk)
    assert result.status == "READY" and len(rq) == 1
    work(rq)
    assert SymptomLog.objects.get(pk=row.pk).grade == 3
    assert rescore_symptom.get_result(result.id).status == "SUCCESSFUL"


def test_the_reminders_round_runs_on_rq_and_defers_the_next_to_its_scheduler(rq):
    patient = make_patient("ann")
    patient.user.email = "ann@example.org"
    patient.user.save()
    Reminder.objects.create(patient=patient, by_email=True, at=dt.time(0, 0))
    assert schedule_reminders()
    work(rq)
    assert len(mail.outbox) == 1
    scheduled = ScheduledJobRegistry(queue=rq)
    (job_id,) = scheduled.get_job_ids()
    assert send_reminders.get_result(job_id).status == "READY"
