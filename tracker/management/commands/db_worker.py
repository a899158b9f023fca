"""django_tasks_db's worker, which first gets the report PDF's tools ready.

A patient waits for their PDF: a worker that starts Chromium and imports WeasyPrint
only at its first PDF made that one take 2.5-3 s instead of under one (issue 13,
docs/PERFORMANCE.md). Both start here, in the background, as the worker starts.
This command replaces django_tasks_db's of the same name (tracker comes before it in
INSTALLED_APPS, as Django's documentation says for overriding a command); everything
else is django_tasks_db's own."""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from tracker.reports.exports import prepare_worker


class Command(db_worker.Command):
    def handle(self, *args, batch, reload, **options):
        # A batch drains the queue and ends (the tests, a cron job); with the
        # reloader, only its child process works.
        if not batch and (not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"):
            prepare_worker()
        return super().handle(*args, batch=batch, reload=reload, **options)
