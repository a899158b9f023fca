from django.core.management.base import BaseCommand
from django.utils import timezone

from tracker.privacy.tasks import prune, prune_records
from tracker.reminders.sending import send_due
from tracker.tasks import schedule_once, schedule_reminders, send_reminders


class Command(BaseCommand):
    help = (
        "Start the daily reminders on the queue: a round every few minutes, each "
        "queuing the next; and the daily pruning of records kept only for a while. "
        "Safe to run at every start: it adds nothing if one waits. With a backend that "
        "cannot defer tasks, it does both now instead (run it from cron there)."
    )

    def handle(self, *args, **options):
        if not send_reminders.get_backend().supports_defer:
            sent = send_due(timezone.now())
            self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''} due now.")
            prune(timezone.now())
            return
        if schedule_once(prune_records):
            self.stdout.write("Old records are pruned daily by the worker.")
        if schedule_reminders():
            self.stdout.write("Reminders are scheduled: the worker sends them when due.")
        else:
            self.stdout.write("Reminders were already scheduled.")
