from django.core.management.base import BaseCommand
from django.utils import timezone

from tracker.reminders.sending import send_due
from tracker.tasks import schedule_reminders, send_reminders


class Command(BaseCommand):
    help = (
        "Start the daily reminders on the queue: a round every few minutes, each "
        "queuing the next. Safe to run at every start: it adds nothing if one waits. "
        "With a backend that cannot defer tasks, it sends the reminders due now instead "
        "(run it from cron every few minutes there)."
    )

    def handle(self, *args, **options):
        if not send_reminders.get_backend().supports_defer:
            sent = send_due(timezone.now())
            self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''} due now.")
        elif schedule_reminders():
            self.stdout.write("Reminders are scheduled: the worker sends them when due.")
        else:
            self.stdout.write("Reminders were already scheduled.")
